#include "guard/policy.hpp"

namespace cartable::guard {

bool can(const SessionClaims& actor, Action action, const ClassRelation& relation) {
  const bool same_school = actor.school_id == relation.school_id;
  switch (action) {
    case Action::read_class_work:
      switch (actor.role) {
        case Role::pupil:
          return relation.enrolled;
        case Role::parent:
          return relation.parent_of_enrolled;
        case Role::teacher:
          return relation.teaches_class;
        case Role::staff:
        case Role::admin:
          return same_school;
      }
      return false;
    case Action::write_homework:
      return actor.role == Role::teacher && relation.teaches_subject;
    case Action::join_live_class:
      switch (actor.role) {
        case Role::pupil:
          return relation.enrolled;
        case Role::teacher:
          return relation.teaches_class;
        case Role::staff:
        case Role::admin:
          return same_school;
        case Role::parent:
          return false;
      }
      return false;
    case Action::run_live_class:
      return actor.role == Role::teacher && relation.teaches_class;
    case Action::read_class_grades:
      switch (actor.role) {
        case Role::teacher:
          return relation.teaches_subject;
        case Role::staff:
        case Role::admin:
          return same_school;
        case Role::pupil:
        case Role::parent:
          return false;
      }
      return false;
    case Action::read_attendance:
      switch (actor.role) {
        case Role::teacher:
          return relation.teaches_class;
        case Role::staff:
        case Role::admin:
          return same_school;
        case Role::pupil:
        case Role::parent:
          return false;
      }
      return false;
    case Action::write_resources:
    case Action::write_grades:
      return actor.role == Role::teacher && relation.teaches_subject;
  }
  return false;
}

bool can(const SessionClaims& actor, WorkAction action, const PupilWorkRelation& relation) {
  const bool teacher_of_subject =
      actor.role == Role::teacher && relation.school_class.teaches_subject;
  switch (action) {
    case WorkAction::hand_in:
      return actor.role == Role::pupil && relation.own && relation.school_class.enrolled;
    case WorkAction::read_work:
      return (actor.role == Role::pupil && relation.own) ||
             (actor.role == Role::parent && relation.parent) || teacher_of_subject;
    case WorkAction::review_work:
      return teacher_of_subject;
  }
  return false;
}

}  // namespace cartable::guard
