// Announcements: staff and admins post to their whole school or to some of its classes, teachers to
// classes they teach. GET /api/announcements (what the caller sees), POST, DELETE /{id}. The day
// view shows the current ones; every write bumps the versions of the classes it reaches (all of
// the school's for a school-wide one), so no cached day view or ETag outlives it.
#pragma once

#include "cache/class_versions.hpp"
#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::announcements {

constexpr std::size_t kMaxTitleChars = 200;
constexpr std::size_t kMaxBodyChars = 5'000;
// Shown until this many days after today when no `until` is given.
constexpr int kDefaultDaysShown = 14;
// `until` is at most this many days after today.
constexpr int kMaxDaysShown = 366;
// Classes one announcement names at most (a school has at most 60 in the demo).
constexpr std::size_t kMaxClasses = 100;
constexpr std::size_t kMaxRequestBodyBytes = 48 * 1024;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  // Bumped after every write, so cached day views of the classes reached are rebuilt.
  ClassVersions& versions;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::announcements
