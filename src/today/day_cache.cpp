#include "today/day_cache.hpp"

namespace cartable::today {

std::shared_ptr<const CachedDay> DayCache::find(std::int64_t user_id, std::int64_t now) const {
  std::shared_ptr<const CachedDay> day;
  {
    Shard& mine = shard(user_id);
    std::lock_guard lock(mine.mutex);
    const auto it = mine.days.find(user_id);
    if (it == mine.days.end()) {
      counters_.misses.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    day = it->second;
  }
  if (now >= day->valid_until || !versions_.unchanged(day->dependencies)) {
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  counters_.hits.fetch_add(1, std::memory_order_relaxed);
  return day;
}

std::shared_ptr<const CachedDay> DayCache::find_stale(std::int64_t user_id) const {
  Shard& mine = shard(user_id);
  std::lock_guard lock(mine.mutex);
  const auto it = mine.days.find(user_id);
  return it == mine.days.end() ? nullptr : it->second;
}

void DayCache::store(std::int64_t user_id, std::shared_ptr<const CachedDay> day) {
  Shard& mine = shard(user_id);
  std::lock_guard lock(mine.mutex);
  if (mine.days.size() >= kMaxEntriesPerShard && !mine.days.contains(user_id)) {
    mine.days.clear();
  }
  mine.days[user_id] = std::move(day);
}

}  // namespace cartable::today
