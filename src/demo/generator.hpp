// The demo region behind `cartable demo`: a realistic, entirely made-up set of French collèges
// (classes, subjects, teachers, pupils, parents, staff, weekly timetables, the zone C school
// calendar and homework for the coming two weeks), built as a Roster. Pure: no I/O, no clock, no
// global state; the caller hashes the passwords and writes the Roster to the Store.
#pragma once

#include <cstdint>

#include "common/civil_time.hpp"
#include "school/model.hpp"

namespace cartable {

// Every bound generate_demo enforces on its options, inclusive.
namespace demo_limits {
inline constexpr int min_schools = 1;
inline constexpr int max_schools = 100;
inline constexpr int min_classes_per_school = 1;
inline constexpr int max_classes_per_school = 60;
inline constexpr int min_pupils_per_class = 1;
inline constexpr int max_pupils_per_class = 40;
}  // namespace demo_limits

struct DemoOptions {
  int schools = 1;
  int classes_per_school = 12;  // spread evenly over the levels 6e, 5e, 4e and 3e
  int pupils_per_class = 28;
  // Fraction (0..1) of families with a parent account. Siblings share their family's parent, so
  // with 1.0 every pupil has exactly one parent and there are slightly fewer parents than pupils.
  double parents_per_pupil = 1.0;
  std::uint64_t seed = 2021;
  // Homework is due on the school days of the two weeks after this day (see generate_demo).
  Date today;
};

// Builds the demo region. Deterministic: the same options always give a byte-identical Roster,
// on any platform (its own PRNG, no std distributions, no unordered iteration); another seed gives
// other names, passwords, timetables and homework.
//
// What it builds, in this order in each vector:
//  - schools "Collège Jean Jaurès", ... with codes such as "college-jaures", zone "Europe/Paris";
//  - per school, classes "6e A" (code "6A") ... "3e C", levels in equal shares, youngest first,
//    and the 12 subjects of a collège (codes FRA, MATH, HG, ANG, ESP, ALL, SVT, PC, TECH, ARTS,
//    MUS, EPS); 5e to 3e classes learn Espagnol or Allemand as second language, 6e classes neither;
//  - people: per school a principal "principal.<school>" and a CPE "cpe.<school>" (staff), an
//    administrator "admin.<school>", teachers (one subject each, at most 6 classes and 18 hours a
//    week), pupils and parents ("parent.<last name>"); logins are unique region-wide, lower-case
//    ASCII ([a-z0-9.-], a number appended on a clash); every person has a password such as
//    "soleil-tigre-42";
//  - a Teaching for every class and subject it learns, and ParentLinks from parents to pupils;
//  - a weekly timetable per class: 55-minute lessons at 08:00, 09:00, 10:05, 11:05, 13:30, 14:30,
//    15:35 and 16:30 Monday to Friday, Wednesday afternoon free, 26 hours with the half hours of
//    a subject in alternate weeks (WeekParity a/b); no teacher or class is ever in two lessons at
//    once, and every class has lessons every weekday of both weeks;
//  - the zone C school holidays and public holidays of 2025-2026 and 2026-2027, for each school;
//  - per class 6 to 10 homework items, each due on a day the class has a lesson of that subject,
//    written by the class's teacher of that subject. Due days are school days (Monday to Friday,
//    outside holidays) from the first school day after `today` up to today + 14 days (or, when
//    that first school day is more than a week away, as in holidays, up to 13 days after it); at
//    least one item is due on that first school day (without attachments: `cartable demo` then
//    attaches its author's worksheet PDF to each, see demo/worksheets.hpp);
//  - per class 3 evaluations in each of Français, Mathématiques, Histoire-Géographie and Anglais,
//    by the class's teacher of the subject, on school days in the five weeks before `today`, out
//    of 20 or 10, coefficient 1 or 2, with a mark for every pupil (about 4% absent, 2% excused).
//
// Refuses options out of demo_limits, or a parents_per_pupil outside 0..1 (or NaN), by throwing
// std::invalid_argument whose message names the option, its value and the allowed range.
Roster generate_demo(const DemoOptions& options);

}  // namespace cartable
