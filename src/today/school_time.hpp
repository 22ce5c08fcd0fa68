// The school's wall clock: its local date and minute now, and when its day ends.
#pragma once

#include <cstdint>

#include "common/civil_time.hpp"
#include "store/store.hpp"

namespace cartable::today {

struct SchoolNow {
  Date date;
  int minute_of_day = 0;
  std::int64_t next_midnight = 0;  // unix seconds
};

// In the school's time zone; an unknown zone falls back to Europe/Paris (logged), then UTC.
SchoolNow school_now(const SchoolRecord& school, std::int64_t now);

}  // namespace cartable::today
