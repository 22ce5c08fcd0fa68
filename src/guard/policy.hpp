// Who may do what to which object, decided from relationships only. Every handler asks here; a
// route never decides by itself. Relationship facts are gathered by the feature (from the Store)
// and passed in, so the rules stay pure and testable.
#pragma once

#include <cstdint>

#include "guard/session_token.hpp"

namespace cartable::guard {

// How the actor relates to a class (and, for teachers, to one subject of it).
struct ClassRelation {
  std::int64_t school_id = 0;       // the class's school
  bool enrolled = false;            // actor is a pupil of the class
  bool parent_of_enrolled = false;  // actor is a parent of a pupil of the class
  bool teaches_class = false;       // actor teaches the class (any subject)
  bool teaches_subject = false;     // actor teaches the class this very subject
};

enum class Action {
  read_class_work,    // timetable and homework of a class
  write_homework,     // create, edit, delete homework of a class and subject
  join_live_class,    // be a member of a class's live lesson
  run_live_class,     // start, lead and end a class's live lesson
  read_class_grades,  // every pupil's marks in a class's evaluations of one subject
  write_grades,       // create, edit, delete evaluations of a class and subject, set their marks
  write_resources,    // add, rename, move, delete the class's documents of one subject
  read_attendance,    // who attended a class's live lessons
};

// Pupils read their class; parents their children's classes; teachers the classes they teach;
// staff and admins every class of their own school. Only a teacher of the class and subject writes
// its homework. A class's live lesson is for its pupils, its teachers and its school's staff (not
// parents); only a teacher of the class runs one. Every pupil's marks in a subject are for the
// class's teachers of that subject and its school's staff; only those teachers write them (pupils
// and parents see their own marks through the grades feature, not through this rule).
bool can(const SessionClaims& actor, Action action, const ClassRelation& relation);

// How the actor relates to one pupil's work for a homework: the homework's class and subject, and
// the pupil.
struct PupilWorkRelation {
  ClassRelation school_class;
  bool own = false;     // the actor is the pupil
  bool parent = false;  // the actor is a parent of the pupil
};

enum class WorkAction {
  hand_in,      // hand in (or replace) one's own work
  read_work,    // see a pupil's hand-in, its files and its mark
  review_work,  // list a homework's hand-ins, download them all, mark them
};

// A pupil of the class hands in their own work; they and their parents see it, and so does the
// teacher of the class and subject, who alone reviews and marks it. Staff do not read pupils' work.
bool can(const SessionClaims& actor, WorkAction action, const PupilWorkRelation& relation);

// How the actor (the writer of a message) relates to another person (its recipient).
struct PersonRelation {
  Role role = Role::pupil;     // the other person's role
  std::int64_t school_id = 0;  // the other person's school
  // The other person teaches the actor's class (actor a pupil) or a class of one of the actor's
  // children (actor a parent).
  bool teaches_actor = false;
  bool taught_by_actor = false;   // the other person is a pupil of a class the actor teaches
  bool parent_of_taught = false;  // ... a parent of a pupil of a class the actor teaches
  bool pupil_messaging = false;   // the school lets its pupils write to each other (a setting)
};

// Whom one may write to, within one's own school only (never across schools, never to oneself):
//  - staff and admins write to anyone, and anyone writes to them;
//  - teachers write to teachers, to the pupils of the classes they teach and to those pupils'
//    parents; pupils and parents write to the teachers of their (children's) classes;
//  - pupils write to pupils only when the school has turned pupil_messaging on;
//  - parents never write to other parents or to pupils.
// The rule is symmetric: may_message(a, b) == may_message(b, a) for the same facts seen from b.
bool may_message(const SessionClaims& from, std::int64_t to_user_id, const PersonRelation& to);

// A conversation, its messages and their attachments are for its participants only; a participant
// writes in it whoever else is there (each was checked with may_message when it was created).
bool may_read_conversation(const SessionClaims& actor, bool participant);
bool may_post_in_conversation(const SessionClaims& actor, bool participant);

// How the actor relates to an announcement.
struct AnnouncementRelation {
  std::int64_t school_id = 0;     // the announcement's school
  bool school_wide = false;       // to the whole school rather than to some classes
  bool member_of_school = false;  // the actor is of that school, or a parent of a pupil there
  // One of its classes is the actor's (a pupil's class, a parent's child's, one a teacher teaches).
  bool to_own_class = false;
  bool author = false;
};

// Announcements. A school-wide one is for everyone of the school (parents included), one to classes
// for those classes' pupils, parents and teachers; its author and the school's staff and admins
// always see it. A teacher announces to classes they teach, staff and admins to any class of their
// school or to the whole school; the author and the school's staff and admins delete one.
bool may_read_announcement(const SessionClaims& actor, const AnnouncementRelation& relation);
bool may_announce_to_class(const SessionClaims& actor, const ClassRelation& relation);
bool may_announce_school_wide(const SessionClaims& actor, std::int64_t school_id);
bool may_delete_announcement(const SessionClaims& actor, std::int64_t school_id, bool author);

// The school's settings (pupil messaging): its staff and admins only.
bool may_manage_school(const SessionClaims& actor, std::int64_t school_id);

}  // namespace cartable::guard
