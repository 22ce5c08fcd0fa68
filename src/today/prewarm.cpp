#include "today/prewarm.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <map>
#include <mutex>

#include "today/day_view.hpp"
#include "today/school_time.hpp"

namespace cartable::today {

Prewarmer::Prewarmer(Store& store, const Clock& clock, ClassDayCache& classes,
                     std::chrono::minutes lead)
    : store_(store), clock_(clock), classes_(classes), lead_(lead) {}

Prewarmer::~Prewarmer() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void Prewarmer::start() {
  if (lead_.count() <= 0) {
    return;
  }
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      try {
        run_once(clock_.unix_seconds());
      } catch (const std::exception& error) {
        spdlog::warn("pre-warming the day views: {}", error.what());
      }
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, std::chrono::seconds(30), [] { return false; });
    }
  });
}

std::size_t Prewarmer::run_once(std::int64_t now) {
  std::size_t count = 0;
  std::map<int, std::vector<LessonStart>> starts_by_weekday;
  for (const SchoolRecord& school : store_.schools()) {
    const SchoolNow local = school_now(school, now);
    const SchoolDay day = choose_school_day(local.date, store_.holidays(school.id));
    if (day.shown != local.date) {
      continue;  // no lessons today: nobody is coming
    }
    const ShownDay shown = shown_day(local.date);
    auto [entry, fresh] = starts_by_weekday.try_emplace(shown.weekday);
    if (fresh) {
      entry->second = store_.lesson_starts(shown.weekday);
    }
    const std::int64_t day_number = days_from_civil(local.date);
    for (const LessonStart& start : entry->second) {
      const bool soon = local.minute_of_day < start.start_minute &&
                        local.minute_of_day >= start.start_minute - lead_.count();
      if (start.school_id != school.id || !soon || !happens(start.week, shown.parity) ||
          !done_.emplace(start.school_class.id, day_number, start.start_minute).second) {
        continue;
      }
      classes_.warm(store_, start.school_class, shown, now);
      // Local minutes are whole minutes of unix time: time zones are offset by whole minutes.
      const std::int64_t starts_at =
          now - now % 60 + std::int64_t{start.start_minute - local.minute_of_day} * 60;
      for (const LessonSoon& prepare : also_) {
        prepare(store_, start.school_class, starts_at);
      }
      ++count;
    }
  }
  // Forget earlier days.
  const std::int64_t yesterday = now / 86400 - 1;
  std::erase_if(done_, [yesterday](const auto& key) { return std::get<1>(key) < yesterday; });
  if (count > 0) {
    warmed_.fetch_add(count, std::memory_order_relaxed);
    spdlog::info("pre-warmed the day of {} classes before their lessons", count);
  }
  return count;
}

}  // namespace cartable::today
