// The timetable says when the wave comes: a few minutes before each start of lessons, the shared
// day of every class with a lesson starting then is built, so that the first of its pupils finds
// it ready instead of paying for the database reads at 8:00 sharp.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include "common/clock.hpp"
#include "store/store.hpp"
#include "today/class_day.hpp"

namespace cartable::today {

class Prewarmer {
 public:
  // `lead`: how long before a start of lessons; zero turns pre-warming off.
  Prewarmer(Store& store, const Clock& clock, ClassDayCache& classes, std::chrono::minutes lead);
  ~Prewarmer();

  // Something else to make ready for a class's lesson starting at `starts_at` (unix seconds), on
  // the pre-warming thread: e.g. its live lesson. Register before start().
  using LessonSoon =
      std::function<void(Store& store, const NamedRef& school_class, std::int64_t starts_at)>;
  void also_prepare(LessonSoon prepare) { also_.push_back(std::move(prepare)); }

  // Checks every 30 s on its own thread (reads go straight to the store's reader connections:
  // this is background work, never on an I/O thread).
  void start();
  // One check at `now`; the number of classes warmed.
  std::size_t run_once(std::int64_t now);
  std::uint64_t warmed() const { return warmed_.load(std::memory_order_relaxed); }

 private:
  Store& store_;
  const Clock& clock_;
  ClassDayCache& classes_;
  std::chrono::minutes lead_;
  std::vector<LessonSoon> also_;
  // (class, days since epoch, start minute) already warmed.
  std::set<std::tuple<Id, std::int64_t, int>> done_;
  std::atomic<std::uint64_t> warmed_{0};
  std::jthread thread_;
};

}  // namespace cartable::today
