// The day view's caches in the Prometheus text format: hits and misses, and pre-warmed classes.
#pragma once

#include <string>

#include "today/day_cache.hpp"
#include "today/prewarm.hpp"

namespace cartable::today {

std::string render_metrics(const DayCache& days, const ClassDayCache& classes,
                           const Prewarmer& prewarmer);

}  // namespace cartable::today
