#include "today/school_time.hpp"

#include <spdlog/spdlog.h>

#include "common/timezone.hpp"

namespace cartable::today {

SchoolNow school_now(const SchoolRecord& school, std::int64_t now) {
  std::string error;
  auto zone = find_time_zone(school.timezone, &error);
  if (!zone) {
    spdlog::warn("school {}: time zone {}: {}; using Europe/Paris", school.code, school.timezone,
                 error);
    zone = find_time_zone("Europe/Paris", &error);
  }
  if (!zone) {
    const Date date = civil_from_days(now / 86400);
    return {date, static_cast<int>(now % 86400 / 60), (days_from_civil(date) + 1) * 86400};
  }
  const LocalTime local = zone->to_local(now);
  return {local.date, local.minute_of_day, zone->to_utc(add_days(local.date, 1), 0)};
}

}  // namespace cartable::today
