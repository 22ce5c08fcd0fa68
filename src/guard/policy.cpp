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

namespace {

bool is_staff(Role role) {
  return role == Role::staff || role == Role::admin;
}

}  // namespace

bool may_message(const SessionClaims& from, std::int64_t to_user_id, const PersonRelation& to) {
  if (from.school_id != to.school_id || from.user_id == to_user_id) {
    return false;
  }
  if (is_staff(from.role) || is_staff(to.role)) {
    return true;
  }
  switch (from.role) {
    case Role::pupil:
      return (to.role == Role::teacher && to.teaches_actor) ||
             (to.role == Role::pupil && to.pupil_messaging);
    case Role::parent:
      return to.role == Role::teacher && to.teaches_actor;
    case Role::teacher:
      switch (to.role) {
        case Role::teacher:
          return true;
        case Role::pupil:
          return to.taught_by_actor;
        case Role::parent:
          return to.parent_of_taught;
        case Role::staff:
        case Role::admin:
          return true;
      }
      return false;
    case Role::staff:
    case Role::admin:
      return true;
  }
  return false;
}

bool may_read_conversation(const SessionClaims& actor, bool participant) {
  return actor.user_id != 0 && participant;
}

bool may_post_in_conversation(const SessionClaims& actor, bool participant) {
  return may_read_conversation(actor, participant);
}

bool may_read_announcement(const SessionClaims& actor, const AnnouncementRelation& relation) {
  if (relation.author || may_manage_school(actor, relation.school_id)) {
    return true;
  }
  return (relation.school_wide && relation.member_of_school) || relation.to_own_class;
}

bool may_announce_to_class(const SessionClaims& actor, const ClassRelation& relation) {
  if (actor.role == Role::teacher) {
    return relation.teaches_class;
  }
  return is_staff(actor.role) && actor.school_id == relation.school_id;
}

bool may_announce_school_wide(const SessionClaims& actor, std::int64_t school_id) {
  return may_manage_school(actor, school_id);
}

bool may_delete_announcement(const SessionClaims& actor, std::int64_t school_id, bool author) {
  return (author && actor.school_id == school_id) || may_manage_school(actor, school_id);
}

bool may_manage_school(const SessionClaims& actor, std::int64_t school_id) {
  return is_staff(actor.role) && actor.school_id == school_id;
}

}  // namespace cartable::guard
