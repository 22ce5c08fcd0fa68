// What the pupils of one class see of a school day — its lessons, the homework due soon and the
// current announcements to the class or its whole school — built
// once and shared by the class's thirty pupils and their parents. Valid while the class's version
// is unchanged, for the day it was built for, and at most kMaxAge (changes made outside this
// process, like an import, show within that time).
#pragma once

#include <array>
#include <atomic>
#include <boost/json/array.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cache/class_versions.hpp"
#include "common/civil_time.hpp"
#include "store/store.hpp"

namespace cartable::today {

// How far ahead homework is listed, from the shown day.
constexpr int kHomeworkHorizonDays = 7;

// The day a view shows, as the store is asked about it.
struct ShownDay {
  Date date;
  int weekday = 1;
  WeekParity parity = WeekParity::a;
  std::string from;   // homework due from this date...
  std::string to;     // ...to this one
  std::string since;  // announcements shown until this date or later (the school's today)
};

// `today` defaults to `date` (a school day shown on the day itself).
ShownDay shown_day(Date date);
ShownDay shown_day(Date date, Date today);
// Week A on odd ISO weeks, week B on even ones.
WeekParity week_parity(Date date);
bool happens(WeekParity lesson_week, WeekParity parity);

struct ClassDay {
  boost::json::array lessons;
  boost::json::array homework;
  boost::json::array announcements;  // newest first
  Date date;
  std::string since;
  ClassVersions::Dependency dependency;
  std::int64_t built_at = 0;  // unix seconds
};

struct CacheCounters {
  std::atomic<std::uint64_t> hits{0};
  std::atomic<std::uint64_t> misses{0};
};

class ClassDayCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{900};

  explicit ClassDayCache(const ClassVersions& versions) : versions_(versions) {}

  // The class's day, from the cache or read from the store (call on a database thread).
  std::shared_ptr<const ClassDay> get(Store& store, const NamedRef& school_class,
                                      const ShownDay& day, std::int64_t now);
  // Builds and caches it whatever is cached (pre-warming before lessons).
  void warm(Store& store, const NamedRef& school_class, const ShownDay& day, std::int64_t now);

  const CacheCounters& counters() const { return counters_; }

 private:
  static constexpr std::size_t kShards = 32;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::int64_t, std::shared_ptr<const ClassDay>> days;
  };

  std::shared_ptr<const ClassDay> build(Store& store, const NamedRef& school_class,
                                        const ShownDay& day, std::int64_t now);
  Shard& shard(std::int64_t class_id) {
    return shards_[static_cast<std::size_t>(class_id) % kShards];
  }

  const ClassVersions& versions_;
  std::array<Shard, kShards> shards_;
  CacheCounters counters_;
};

}  // namespace cartable::today
