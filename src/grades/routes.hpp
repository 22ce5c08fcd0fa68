// Grades: evaluations of a class in a subject, the marks of its pupils, averages and a CSV export.
//   GET    /api/evaluations?class_id=&subject_id=   teachers and staff: a class's evaluations
//   POST   /api/evaluations                          a teacher of the class and subject
//   GET    /api/evaluations/{id}                     with the marks the caller may see
//   PUT    /api/evaluations/{id}, DELETE             a teacher of the class and subject
//   PUT    /api/evaluations/{id}/marks               the same teacher, all rows or none
//   GET    /api/evaluations/export.csv?class_id=&subject_id=   teachers and staff
//   GET    /api/grades?pupil_id=                     a pupil's report (pupil, parent, staff...)
// docs/api.md gives the shapes and every refusal.
#pragma once

#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::grades {

constexpr std::size_t kMaxTitleChars = 200;
constexpr std::size_t kMaxCommentChars = 500;
// out_of is in (0, kMaxOutOf], a coefficient in (0, kMaxCoefficient]; both, and mark values, have
// at most two decimals.
constexpr double kMaxOutOf = 1000;
constexpr double kMaxCoefficient = 100;
// Rows in one PUT .../marks: more than a class (40 pupils at most), so one request sets them all.
constexpr std::size_t kMaxMarksPerRequest = 100;
// An evaluation's JSON body: the title at up to 4 bytes a character, escaped, and a few numbers.
constexpr std::size_t kMaxEvaluationBodyBytes = 8 * 1024;
// The marks' body: a class's worth of rows with comments (500 characters of French text is
// about 600 bytes).
constexpr std::size_t kMaxMarksBodyBytes = 64 * 1024;
// Evaluation dates stay within a year of today.
constexpr int kMaxDaysFromToday = 366;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::grades
