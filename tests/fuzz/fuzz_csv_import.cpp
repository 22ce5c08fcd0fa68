// libFuzzer target for the roster CSV importer: any bytes must give a result, never a crash, a
// sanitizer report or a hang; a valid result must be deterministic and internally consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "roster/csv_import.hpp"

namespace {

// A few keys "already in the database", so inputs can reach the existing-key paths too.
const cartable::RosterKeys& existing_keys() {
  static const cartable::RosterKeys keys = [] {
    cartable::RosterKeys k;
    k.schools = {"S1", "0750001A"};
    k.classes = {{"S1", "6A"}};
    k.subjects = {{"S1", "MATH"}};
    k.people = {{"t.one", {cartable::Role::teacher, "S1"}},
                {"p.one", {cartable::Role::pupil, "S1"}},
                {"r.one", {cartable::Role::parent, "S1"}}};
    return k;
  }();
  return keys;
}

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto first = cartable::parse_roster_csv(text, existing_keys());
  const auto& roster = first.roster;

  if (!first.errors.empty()) {
    // Errors come sorted by line, bounded, and never with a partial roster.
    check(first.errors.size() <= cartable::roster_csv_limits::max_errors + 1);
    for (std::size_t i = 1; i < first.errors.size(); ++i) {
      check(first.errors[i - 1].line <= first.errors[i].line || first.errors[i].line == 0);
    }
    for (const auto& error : first.errors) {
      check(!error.message.empty());
    }
    check(roster.schools.empty() && roster.classes.empty() && roster.subjects.empty() &&
          roster.people.empty() && roster.teachings.empty() && roster.parent_links.empty() &&
          roster.slots.empty() && roster.holidays.empty());
    return 0;
  }

  const auto second = cartable::parse_roster_csv(text, existing_keys());
  check(second.errors.empty());
  check(second.roster.schools.size() == roster.schools.size());
  check(second.roster.classes.size() == roster.classes.size());
  check(second.roster.subjects.size() == roster.subjects.size());
  check(second.roster.people.size() == roster.people.size());
  check(second.roster.teachings.size() == roster.teachings.size());
  check(second.roster.parent_links.size() == roster.parent_links.size());
  check(second.roster.slots.size() == roster.slots.size());
  check(second.roster.holidays.size() == roster.holidays.size());
  check(roster.homework.empty());

  // What the importer promises the Store about a valid roster.
  for (const auto& slot : roster.slots) {
    check(slot.weekday >= 1 && slot.weekday <= 7);
    check(slot.start_minute >= 0 && slot.start_minute < slot.end_minute &&
          slot.end_minute <= 24 * 60);
  }
  for (const auto& person : roster.people) {
    check(!person.login.empty());
    for (const char c : person.login) {
      check(!(c >= 'A' && c <= 'Z'));
    }
    check(person.password.empty() ||
          (person.password.size() >= cartable::roster_csv_limits::min_password_bytes &&
           person.password.size() <= cartable::roster_csv_limits::max_password_bytes));
  }
  for (const auto& holiday : roster.holidays) {
    check(holiday.first_day <= holiday.last_day);
  }
  return 0;
}
