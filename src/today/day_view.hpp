// The day view, GET /api/me/today: the timetable of the school day and the homework due soon, for
// a pupil (their class), a parent (one section per child) or a teacher (their lessons and the
// homework they set). On a day without lessons (weekend, holidays) it shows the next school day
// and says why.
#pragma once

#include <string>

#include "cache/class_versions.hpp"
#include "common/civil_time.hpp"
#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"
#include "today/class_day.hpp"
#include "today/day_cache.hpp"

namespace cartable::today {

// How far ahead to look for a school day (a summer holiday is ~9 weeks).
constexpr int kMaxDaysToNextSchoolDay = 120;

struct SchoolDay {
  Date today;                 // the school's local date now
  Date shown;                 // the day the view shows
  std::string shift_reason;   // "", "weekend" or "holiday"
  std::string holiday_label;  // when shift_reason is "holiday" (or today is in one)
};

// The day to show: `today` if it is a school day, else the next one within the horizon.
SchoolDay choose_school_day(Date today, const std::vector<HolidayRecord>& holidays);

struct DayView {
  std::string body;  // JSON; empty when the user no longer exists
  // The classes it was built from, with their versions captured before reading them.
  std::vector<ClassVersions::Dependency> dependencies;
  std::int64_t valid_until = 0;  // unix seconds: the school's next local midnight
};

// Builds the view (on the reader pool).
DayView build_day_view(Store& store, const guard::SessionClaims& actor, const Clock& clock,
                       const ClassVersions& versions, ClassDayCache& classes);

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  const ClassVersions& versions;
  ClassDayCache& classes;  // shared with pre-warming
  DayCache& days;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::today
