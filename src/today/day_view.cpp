#include "today/day_view.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

#include "common/etag.hpp"
#include "common/timezone.hpp"
#include "guard/signed_in.hpp"
#include "school/json_views.hpp"

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

boost::json::object class_section(Store& store, std::string_view kind, const PersonRef& person,
                                  const NamedRef& school_class, const SchoolDay& day) {
  const WeekParity parity = week_parity(day.shown);
  const std::string from = format_date(day.shown);
  const std::string to = format_date(add_days(day.shown, kHomeworkHorizonDays));
  return {{"kind", kind},
          {"person", to_json(person)},
          {"class", to_json(school_class)},
          {"lessons", lessons_json(store.class_lessons(school_class.id, iso_weekday(day.shown)), parity)},
          {"homework", homework_json(store.class_homework(school_class.id, from, to))}};
}

boost::json::object teacher_section(Store& store, const UserRecord& teacher, const SchoolDay& day) {
  const WeekParity parity = week_parity(day.shown);
  const std::string from = format_date(day.shown);
  const std::string to = format_date(add_days(day.shown, kHomeworkHorizonDays));
  return {{"kind", "teacher"},
          {"person", to_json(PersonRef{teacher.id, teacher.first_name, teacher.last_name})},
          {"class", nullptr},
          {"lessons", lessons_json(store.teacher_lessons(teacher.id, iso_weekday(day.shown)), parity)},
          {"homework", homework_json(store.authored_homework(teacher.id, from, to))}};
}

Date local_today(const SchoolRecord& school, const Clock& clock) {
  std::string error;
  auto zone = find_time_zone(school.timezone, &error);
  if (!zone) {
    spdlog::warn("school {}: time zone {}: {}; using Europe/Paris", school.code, school.timezone,
                 error);
    zone = find_time_zone("Europe/Paris", &error);
  }
  if (!zone) {
    return civil_from_days(clock.unix_seconds() / 86400);
  }
  return zone->to_local(clock.unix_seconds()).date;
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

std::string build_day_view(Store& store, const guard::SessionClaims& actor, const Clock& clock) {
  const auto user = store.user(actor.user_id);
  if (!user) {
    return {};
  }
  const SchoolDay day = choose_school_day(local_today(user->school, clock),
                                          store.holidays(user->school.id));
  boost::json::array sections;
  const PersonRef self{user->id, user->first_name, user->last_name};
  switch (user->role) {
    case Role::pupil:
      if (user->school_class) {
        sections.push_back(class_section(store, "pupil", self, *user->school_class, day));
      }
      break;
    case Role::parent:
      for (const ChildRecord& child : store.children(user->id)) {
        sections.push_back(class_section(store, "child", child.person, child.school_class, day));
      }
      break;
    case Role::teacher:
      sections.push_back(teacher_section(store, *user, day));
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
  view["holiday"] =
      day.holiday_label.empty() ? boost::json::value(nullptr) : boost::json::value(day.holiday_label);
  return boost::json::serialize(view);
}

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handler = [dependencies](RequestContext& context,
                                const guard::SessionClaims& claims) -> boost::asio::awaitable<Response> {
    const Clock& clock = dependencies.clock;
    auto build = [&](Store& store) { return build_day_view(store, claims, clock); };
    std::string body = co_await dependencies.database.read(build);
    if (body.empty()) {
      co_return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
    }
    const std::string tag = entity_tag(body);
    Response response = context.request[boost::beast::http::field::if_none_match] == tag
                            ? http::empty_response(Status::not_modified)
                            : http::text_response(Status::ok, std::move(body),
                                                  "application/json; charset=utf-8");
    response.set(boost::beast::http::field::etag, tag);
    response.set(boost::beast::http::field::cache_control, "private, no-cache");
    co_return response;
  };
  router.add({http::Verb::get, "/api/me/today", "me.today", 0,
              guard::signed_in(dependencies.sessions, std::move(handler))});
}

}  // namespace cartable::today
