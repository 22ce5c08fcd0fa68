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

}  // namespace cartable::guard
