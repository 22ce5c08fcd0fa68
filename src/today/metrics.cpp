#include "today/metrics.hpp"

#include <sstream>

namespace cartable::today {

std::string render_metrics(const DayCache& days, const ClassDayCache& classes,
                           const Prewarmer& prewarmer) {
  std::ostringstream out;
  out << "# HELP cartable_cache_lookups_total Cache look-ups, by cache and result.\n"
         "# TYPE cartable_cache_lookups_total counter\n";
  const auto lookups = [&out](const char* cache, const CacheCounters& counters) {
    out << "cartable_cache_lookups_total{cache=\"" << cache << "\",result=\"hit\"} "
        << counters.hits.load(std::memory_order_relaxed) << "\n"
        << "cartable_cache_lookups_total{cache=\"" << cache << "\",result=\"miss\"} "
        << counters.misses.load(std::memory_order_relaxed) << "\n";
  };
  lookups("day_view", days.counters());
  lookups("class_day", classes.counters());
  out << "# HELP cartable_prewarmed_classes_total Class days built ahead of lessons.\n"
         "# TYPE cartable_prewarmed_classes_total counter\n"
      << "cartable_prewarmed_classes_total " << prewarmer.warmed() << "\n";
  return out.str();
}

}  // namespace cartable::today
