#include "today/class_day.hpp"

#include "school/json_views.hpp"

namespace cartable::today {

WeekParity week_parity(Date date) {
  return iso_week_number(date) % 2 == 1 ? WeekParity::a : WeekParity::b;
}

bool happens(WeekParity lesson_week, WeekParity parity) {
  return lesson_week == WeekParity::every || lesson_week == parity;
}

ShownDay shown_day(Date date) {
  return shown_day(date, date);
}

ShownDay shown_day(Date date, Date today) {
  return {date,
          iso_weekday(date),
          week_parity(date),
          format_date(date),
          format_date(add_days(date, kHomeworkHorizonDays)),
          format_date(today)};
}

std::shared_ptr<const ClassDay> ClassDayCache::get(Store& store, const NamedRef& school_class,
                                                   const ShownDay& day, std::int64_t now) {
  Shard& owner = shard(school_class.id);
  {
    const std::lock_guard lock(owner.mutex);
    const auto found = owner.days.find(school_class.id);
    if (found != owner.days.end()) {
      const ClassDay& cached = *found->second;
      if (cached.date == day.date && cached.since == day.since &&
          now - cached.built_at < kMaxAge.count() && versions_.unchanged({cached.dependency})) {
        counters_.hits.fetch_add(1, std::memory_order_relaxed);
        return found->second;
      }
    }
  }
  counters_.misses.fetch_add(1, std::memory_order_relaxed);
  return build(store, school_class, day, now);
}

void ClassDayCache::warm(Store& store, const NamedRef& school_class, const ShownDay& day,
                         std::int64_t now) {
  build(store, school_class, day, now);
}

std::shared_ptr<const ClassDay> ClassDayCache::build(Store& store, const NamedRef& school_class,
                                                     const ShownDay& day, std::int64_t now) {
  auto built = std::make_shared<ClassDay>();
  built->date = day.date;
  built->since = day.since;
  built->built_at = now;
  // Captured before reading: a write committed meanwhile invalidates this rather than hides in it.
  built->dependency = versions_.capture(school_class.id);
  for (const LessonRecord& lesson : store.class_lessons(school_class.id, day.weekday)) {
    if (happens(lesson.week, day.parity)) {
      built->lessons.push_back(to_json(lesson));
    }
  }
  for (const HomeworkRecord& item : store.class_homework(school_class.id, day.from, day.to)) {
    built->homework.push_back(to_json(item));
  }
  if (const auto record = store.school_class(school_class.id)) {
    AnnouncementQuery query;
    query.school_id = record->school_id;
    query.from = day.since;
    query.class_ids = {school_class.id};
    for (const AnnouncementRecord& item : store.announcements(query)) {
      built->announcements.push_back(to_json(item));
    }
  }
  Shard& owner = shard(school_class.id);
  const std::lock_guard lock(owner.mutex);
  owner.days[school_class.id] = built;
  return built;
}

}  // namespace cartable::today
