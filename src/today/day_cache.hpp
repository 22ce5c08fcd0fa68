// The built day views, per user, served again without a database read while the classes they
// depend on are unchanged, the school day has not changed, and they are not older than kMaxAge
// (which bounds staleness from changes made outside this process, such as a roster import).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/class_versions.hpp"
#include "today/class_day.hpp"

namespace cartable::today {

struct CachedDay {
  std::shared_ptr<const std::string> body;
  std::string etag;
  std::vector<ClassVersions::Dependency> dependencies;
  std::int64_t valid_until = 0;  // unix seconds: the school's next local midnight, or kMaxAge
  std::int64_t built_at = 0;     // unix seconds
};

class DayCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{600};
  // Entries per shard; a full shard is emptied (views are cheap to rebuild, memory must be
  // bounded).
  static constexpr std::size_t kMaxEntriesPerShard = 8192;

  explicit DayCache(const ClassVersions& versions) : versions_(versions) {}

  // The cached view of `user_id` if still valid at `now`; nullptr otherwise.
  std::shared_ptr<const CachedDay> find(std::int64_t user_id, std::int64_t now) const;
  // The last view built for `user_id`, valid or not: what is served, marked stale, when the
  // database cannot answer.
  std::shared_ptr<const CachedDay> find_stale(std::int64_t user_id) const;
  void store(std::int64_t user_id, std::shared_ptr<const CachedDay> day);
  const CacheCounters& counters() const { return counters_; }

 private:
  static constexpr std::size_t kShards = 32;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::int64_t, std::shared_ptr<const CachedDay>> days;
  };
  Shard& shard(std::int64_t user_id) const {
    return shards_[static_cast<std::size_t>(user_id) % kShards];
  }

  const ClassVersions& versions_;
  mutable std::array<Shard, kShards> shards_;
  mutable CacheCounters counters_;
};

}  // namespace cartable::today
