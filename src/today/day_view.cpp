#include "today/day_view.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

#include "common/dependency_error.hpp"
#include "common/etag.hpp"
#include "guard/signed_in.hpp"
#include "school/json_views.hpp"
#include "today/day_cache.hpp"
#include "today/school_time.hpp"

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

boost::json::object section(std::string_view kind, const PersonRef& person,
                            boost::json::value school_class, boost::json::array lessons,
                            boost::json::array homework) {
  return {{"kind", kind},
          {"person", to_json(person)},
          {"class", std::move(school_class)},
          {"lessons", std::move(lessons)},
          {"homework", std::move(homework)}};
}

// Announcements of several classes, each once, newest first.
void merge_announcements(boost::json::array& into, const boost::json::array& more) {
  for (const boost::json::value& item : more) {
    const std::int64_t id = item.as_object().at("id").as_int64();
    const bool known = std::any_of(into.begin(), into.end(), [id](const boost::json::value& held) {
      return held.as_object().at("id").as_int64() == id;
    });
    if (!known) {
      into.push_back(item);
    }
  }
  std::sort(into.begin(), into.end(), [](const boost::json::value& a, const boost::json::value& b) {
    return a.as_object().at("id").as_int64() > b.as_object().at("id").as_int64();
  });
}

boost::json::array announcements_json(Store& store, const AnnouncementQuery& query) {
  boost::json::array list;
  for (const AnnouncementRecord& item : store.announcements(query)) {
    list.push_back(to_json(item));
  }
  return list;
}

boost::json::object teacher_section(Store& store, const UserRecord& teacher, const ShownDay& day) {
  boost::json::array lessons;
  for (const LessonRecord& lesson : store.teacher_lessons(teacher.id, day.weekday)) {
    if (happens(lesson.week, day.parity)) {
      lessons.push_back(to_json(lesson));
    }
  }
  boost::json::array homework;
  for (const HomeworkRecord& item : store.authored_homework(teacher.id, day.from, day.to)) {
    homework.push_back(to_json(item));
  }
  return section("teacher", PersonRef{teacher.id, teacher.first_name, teacher.last_name}, nullptr,
                 std::move(lessons), std::move(homework));
}

}  // namespace

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
                       const ClassVersions& versions, ClassDayCache& classes) {
  DayView result;
  const auto user = store.user(actor.user_id);
  if (!user) {
    return result;
  }
  const std::int64_t now = clock.unix_seconds();
  const SchoolNow local = school_now(user->school, now);
  result.valid_until = local.next_midnight;
  const SchoolDay day = choose_school_day(local.date, store.holidays(user->school.id));
  const ShownDay shown = shown_day(day.shown, day.today);
  boost::json::array announcements;
  boost::json::array sections;
  const PersonRef self{user->id, user->first_name, user->last_name};
  // Versions are captured before the class data is read: a write committed meanwhile then
  // invalidates this view rather than hiding in it.
  // Announcements to a class bump its version; school-wide ones bump every class of the school.
  switch (user->role) {
    case Role::pupil:
      if (user->school_class) {
        result.dependencies.push_back(versions.capture(user->school_class->id));
        const auto shared = classes.get(store, *user->school_class, shown, now);
        sections.push_back(section("pupil", self, to_json(*user->school_class), shared->lessons,
                                   shared->homework));
        announcements = shared->announcements;
      }
      break;
    case Role::parent: {
      const auto children = store.children(user->id);
      for (const ChildRecord& child : children) {
        result.dependencies.push_back(versions.capture(child.school_class.id));
      }
      for (const ChildRecord& child : children) {
        const auto shared = classes.get(store, child.school_class, shown, now);
        sections.push_back(section("child", child.person, to_json(child.school_class),
                                   shared->lessons, shared->homework));
        merge_announcements(announcements, shared->announcements);
      }
      break;
    }
    case Role::teacher: {
      // A teacher's homework is written to classes they teach.
      AnnouncementQuery query{user->school.id, shown.since, {}, user->id, false};
      for (const TeachingRecord& teaching : store.teachings(user->id)) {
        result.dependencies.push_back(versions.capture(teaching.school_class.id));
        query.class_ids.push_back(teaching.school_class.id);
      }
      sections.push_back(teacher_section(store, *user, shown));
      announcements = announcements_json(store, query);
      break;
    }
    case Role::staff:
    case Role::admin:
      for (const ClassRecord& school_class : store.school_classes(user->school.id)) {
        result.dependencies.push_back(versions.capture(school_class.id));
      }
      announcements = announcements_json(
          store, AnnouncementQuery{user->school.id, shown.since, {}, user->id, true});
      break;
  }
  boost::json::object view{{"date", format_date(day.shown)},
                           {"today", format_date(day.today)},
                           {"shifted", day.shown != day.today},
                           {"week", week_parity(day.shown) == WeekParity::a ? "A" : "B"},
                           {"sections", std::move(sections)},
                           {"announcements", std::move(announcements)}};
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

// The last view built, when the database cannot answer: better yesterday's timetable than an
// error page at 8:00. Marked in the body ("stale", "as_of") and never cached by the browser.
Response send_stale(const CachedDay& day) {
  std::string body = R"({"stale":true,"as_of":")" + format_utc_timestamp(day.built_at) + "\",";
  body.append(*day.body, 1);
  Response response =
      http::text_response(Status::ok, std::move(body), "application/json; charset=utf-8");
  response.set("X-Cartable-Stale", "1");
  return response;
}

// The reader pool is more than half full: the database is slow, do not queue behind it when an
// older view can be shown.
bool database_slow(const Database& database) {
  return database.reader_pool().queued() * 2 >= database.reader_pool().capacity();
}

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handler = [dependencies](
                     RequestContext& context,
                     const guard::SessionClaims& claims) -> boost::asio::awaitable<Response> {
    const Clock& clock = dependencies.clock;
    // F5 at 8:00: served from memory, without a database read, while nothing it shows changed.
    DayCache& cache = dependencies.days;
    if (const auto cached = cache.find(claims.user_id, clock.unix_seconds())) {
      co_return send_day(context, *cached);
    }
    const ClassVersions& versions = dependencies.versions;
    ClassDayCache& classes = dependencies.classes;
    auto build = [&](Store& store) {
      return build_day_view(store, claims, clock, versions, classes);
    };
    if (database_slow(dependencies.database)) {
      if (const auto stale = cache.find_stale(claims.user_id)) {
        co_return send_stale(*stale);
      }
    }
    DayView view;
    std::exception_ptr failure;
    try {
      view = co_await dependencies.database.read(build);
    } catch (const PoolOverloaded&) {
      failure = std::current_exception();
    } catch (const DependencyError& error) {
      if (!error.transient()) {
        throw;
      }
      failure = std::current_exception();
    }
    if (failure) {
      if (const auto stale = cache.find_stale(claims.user_id)) {
        co_return send_stale(*stale);
      }
      std::rethrow_exception(failure);
    }
    if (view.body.empty()) {
      co_return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
    }
    auto day = std::make_shared<CachedDay>();
    day->etag = entity_tag(view.body);
    day->body = std::make_shared<const std::string>(std::move(view.body));
    day->dependencies = std::move(view.dependencies);
    day->built_at = clock.unix_seconds();
    day->valid_until = std::min(view.valid_until, day->built_at + DayCache::kMaxAge.count());
    cache.store(claims.user_id, day);
    co_return send_day(context, *day);
  };
  router.add({http::Verb::get, "/api/me/today", "me.today", 0,
              guard::signed_in(dependencies.sessions, std::move(handler))});
}

}  // namespace cartable::today
