#include "today/day_view.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

#include "common/etag.hpp"
#include "common/timezone.hpp"
#include "guard/signed_in.hpp"
#include "school/json_views.hpp"
#include "today/day_cache.hpp"

namespace cartable::today {

namespace {

using http::RequestContext;
using http::Response;
using http::Status;

const HolidayRecord* holiday_on(Date date, const std::vector<HolidayRecord>& holidays) {
  const std::string day = format_date(date);
  for (const HolidayRecord& holiday : holidays) {
    if (holiday.first_day <= day && day <= holiday.last_day) {
      return &holiday;
    }
  }
  return nullptr;
}

bool happens(const LessonRecord& lesson, WeekParity parity) {
  return lesson.week == WeekParity::every || lesson.week == parity;
}

boost::json::array lessons_json(const std::vector<LessonRecord>& lessons, WeekParity parity) {
  boost::json::array result;
  for (const LessonRecord& lesson : lessons) {
    if (happens(lesson, parity)) {
      result.push_back(to_json(lesson));
    }
  }
  return result;
}

boost::json::array homework_json(const std::vector<HomeworkRecord>& homework) {
  boost::json::array result;
  for (const HomeworkRecord& item : homework) {
    result.push_back(to_json(item));
  }
  return result;
}

// What a section shows of the chosen day: its weekday and week, and the homework due soon.
struct ShownDay {
  int weekday;
  WeekParity parity;
  std::string from;
  std::string to;
};

ShownDay shown_day(const SchoolDay& day) {
  return {iso_weekday(day.shown), week_parity(day.shown), format_date(day.shown),
          format_date(add_days(day.shown, kHomeworkHorizonDays))};
}

boost::json::object section(std::string_view kind, const PersonRef& person,
                            boost::json::value school_class,
                            const std::vector<LessonRecord>& lessons,
                            const std::vector<HomeworkRecord>& homework, WeekParity parity) {
  return {{"kind", kind},
          {"person", to_json(person)},
          {"class", std::move(school_class)},
          {"lessons", lessons_json(lessons, parity)},
          {"homework", homework_json(homework)}};
}

boost::json::object class_section(Store& store, std::string_view kind, const PersonRef& person,
                                  const NamedRef& school_class, const ShownDay& day) {
  return section(kind, person, to_json(school_class),
                 store.class_lessons(school_class.id, day.weekday),
                 store.class_homework(school_class.id, day.from, day.to), day.parity);
}

boost::json::object teacher_section(Store& store, const UserRecord& teacher, const ShownDay& day) {
  return section("teacher", PersonRef{teacher.id, teacher.first_name, teacher.last_name}, nullptr,
                 store.teacher_lessons(teacher.id, day.weekday),
                 store.authored_homework(teacher.id, day.from, day.to), day.parity);
}

struct LocalDay {
  Date date;
  std::int64_t next_midnight = 0;  // unix seconds
};

LocalDay local_day(const SchoolRecord& school, std::int64_t now) {
  std::string error;
  auto zone = find_time_zone(school.timezone, &error);
  if (!zone) {
    spdlog::warn("school {}: time zone {}: {}; using Europe/Paris", school.code, school.timezone,
                 error);
    zone = find_time_zone("Europe/Paris", &error);
  }
  if (!zone) {
    const Date date = civil_from_days(now / 86400);
    return {date, (days_from_civil(date) + 1) * 86400};
  }
  const Date date = zone->to_local(now).date;
  return {date, zone->to_utc(add_days(date, 1), 0)};
}

}  // namespace

WeekParity week_parity(Date date) {
  return iso_week_number(date) % 2 == 1 ? WeekParity::a : WeekParity::b;
}

SchoolDay choose_school_day(Date today, const std::vector<HolidayRecord>& holidays) {
  SchoolDay day{today, today, "", ""};
  if (const HolidayRecord* holiday = holiday_on(today, holidays)) {
    day.shift_reason = "holiday";
    day.holiday_label = holiday->label;
  } else if (iso_weekday(today) >= 6) {
    day.shift_reason = "weekend";
  }
  for (int offset = 0; offset <= kMaxDaysToNextSchoolDay; ++offset) {
    const Date candidate = add_days(today, offset);
    if (iso_weekday(candidate) < 6 && holiday_on(candidate, holidays) == nullptr) {
      day.shown = candidate;
      return day;
    }
  }
  day.shown = today;  // no school day in sight (end of the school year): show today, empty
  return day;
}

DayView build_day_view(Store& store, const guard::SessionClaims& actor, const Clock& clock,
                       const ClassVersions& versions) {
  DayView result;
  const auto user = store.user(actor.user_id);
  if (!user) {
    return result;
  }
  const LocalDay local = local_day(user->school, clock.unix_seconds());
  result.valid_until = local.next_midnight;
  const SchoolDay day = choose_school_day(local.date, store.holidays(user->school.id));
  const ShownDay shown = shown_day(day);
  boost::json::array sections;
  const PersonRef self{user->id, user->first_name, user->last_name};
  // Versions are captured before the class data is read: a write committed meanwhile then
  // invalidates this view rather than hiding in it.
  switch (user->role) {
    case Role::pupil:
      if (user->school_class) {
        result.dependencies.push_back(versions.capture(user->school_class->id));
        sections.push_back(class_section(store, "pupil", self, *user->school_class, shown));
      }
      break;
    case Role::parent: {
      const auto children = store.children(user->id);
      for (const ChildRecord& child : children) {
        result.dependencies.push_back(versions.capture(child.school_class.id));
      }
      for (const ChildRecord& child : children) {
        sections.push_back(class_section(store, "child", child.person, child.school_class, shown));
      }
      break;
    }
    case Role::teacher:
      // A teacher's homework is written to classes they teach.
      for (const TeachingRecord& teaching : store.teachings(user->id)) {
        result.dependencies.push_back(versions.capture(teaching.school_class.id));
      }
      sections.push_back(teacher_section(store, *user, shown));
      break;
    case Role::staff:
    case Role::admin:
      break;
  }
  boost::json::object view{{"date", format_date(day.shown)},
                           {"today", format_date(day.today)},
                           {"shifted", day.shown != day.today},
                           {"week", week_parity(day.shown) == WeekParity::a ? "A" : "B"},
                           {"sections", std::move(sections)}};
  view["shift_reason"] =
      day.shift_reason.empty() ? boost::json::value(nullptr) : boost::json::value(day.shift_reason);
  view["holiday"] = day.holiday_label.empty() ? boost::json::value(nullptr)
                                              : boost::json::value(day.holiday_label);
  result.body = boost::json::serialize(view);
  return result;
}

namespace {

Response send_day(const RequestContext& context, const CachedDay& day) {
  Response response{Status::ok, 11};
  if (context.request[boost::beast::http::field::if_none_match] == day.etag) {
    response.result(Status::not_modified);
  } else {
    response.set(boost::beast::http::field::content_type, "application/json; charset=utf-8");
    response.body().shared = day.body;
  }
  response.set(boost::beast::http::field::etag, day.etag);
  response.set(boost::beast::http::field::cache_control, "private, no-cache");
  return response;
}

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto cache = std::make_shared<DayCache>(dependencies.versions);
  auto handler = [dependencies, cache](
                     RequestContext& context,
                     const guard::SessionClaims& claims) -> boost::asio::awaitable<Response> {
    const Clock& clock = dependencies.clock;
    // F5 at 8:00: served from memory, without a database read, while nothing it shows changed.
    if (const auto cached = cache->find(claims.user_id, clock.unix_seconds())) {
      co_return send_day(context, *cached);
    }
    const ClassVersions& versions = dependencies.versions;
    auto build = [&](Store& store) { return build_day_view(store, claims, clock, versions); };
    DayView view = co_await dependencies.database.read(build);
    if (view.body.empty()) {
      co_return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
    }
    auto day = std::make_shared<CachedDay>();
    day->etag = entity_tag(view.body);
    day->body = std::make_shared<const std::string>(std::move(view.body));
    day->dependencies = std::move(view.dependencies);
    day->valid_until = std::min(view.valid_until, clock.unix_seconds() + DayCache::kMaxAge.count());
    cache->store(claims.user_id, day);
    co_return send_day(context, *day);
  };
  router.add({http::Verb::get, "/api/me/today", "me.today", 0,
              guard::signed_in(dependencies.sessions, std::move(handler))});
}

}  // namespace cartable::today
