#include "school/model.hpp"

#include <cstdlib>

namespace cartable {

const char* role_name(Role role) {
  switch (role) {
    case Role::pupil:
      return "pupil";
    case Role::teacher:
      return "teacher";
    case Role::parent:
      return "parent";
    case Role::staff:
      return "staff";
    case Role::admin:
      return "admin";
  }
  // Only a value cast from outside the enumerators gets here: a bug of ours, so fail loudly.
  std::abort();
}

std::optional<Role> parse_role(std::string_view name) {
  for (const Role role : {Role::pupil, Role::teacher, Role::parent, Role::staff, Role::admin}) {
    if (name == role_name(role)) {
      return role;
    }
  }
  return std::nullopt;
}

const char* mark_state_name(MarkState state) {
  switch (state) {
    case MarkState::graded:
      return "graded";
    case MarkState::absent:
      return "absent";
    case MarkState::excused:
      return "excused";
  }
  std::abort();  // as in role_name
}

std::optional<MarkState> parse_mark_state(std::string_view name) {
  for (const MarkState state : {MarkState::graded, MarkState::absent, MarkState::excused}) {
    if (name == mark_state_name(state)) {
      return state;
    }
  }
  return std::nullopt;
}

}  // namespace cartable
