#include "calendar/routes.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <set>

#include "calendar/ics.hpp"
#include "common/etag.hpp"
#include "common/timezone.hpp"
#include "guard/signed_in.hpp"
#include "today/class_day.hpp"
#include "today/school_time.hpp"

namespace cartable::calendar {

namespace {

using boost::asio::awaitable;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

constexpr std::string_view kFeedSuffix = ".ics";

std::string feed_path(const std::string& token) {
  return "/calendar/" + token + std::string(kFeedSuffix);
}

bool is_holiday(Date date, const std::vector<HolidayRecord>& holidays) {
  const std::string day = format_date(date);
  for (const HolidayRecord& holiday : holidays) {
    if (holiday.first_day <= day && day <= holiday.last_day) {
      return true;
    }
  }
  return false;
}

// The school's zone (as the day view falls back: Europe/Paris, then UTC offsets of zero).
std::int64_t local_to_utc(const TimeZone* zone, Date date, int minute_of_day) {
  return zone != nullptr ? zone->to_utc(date, minute_of_day)
                         : days_from_civil(date) * 86400 + minute_of_day * 60;
}

// A class whose timetable and homework the feed shows, and for whom (a parent's child's first
// name, so two children's lessons tell apart; empty for the pupil themself).
struct FollowedClass {
  NamedRef school_class;
  std::string for_whom;
};

std::string with_whom(std::string text, const std::string& for_whom) {
  return for_whom.empty() ? text : text + " (" + for_whom + ")";
}

IcsEvent lesson_event(const LessonRecord& lesson, Date day, const TimeZone* zone,
                      std::string summary) {
  IcsEvent event;
  // The slot's identity on that day: stable across fetches, distinct for every lesson shown.
  event.uid = "lesson-" + format_date(day) + "-" + std::to_string(lesson.school_class.id) + "-" +
              std::to_string(lesson.start_minute) + "-" + std::to_string(lesson.subject.id) + "-" +
              std::to_string(lesson.teacher.id) + "@cartable";
  event.start = local_to_utc(zone, day, lesson.start_minute);
  event.end = local_to_utc(zone, day, lesson.end_minute);
  event.summary = std::move(summary);
  event.location = lesson.room;
  event.description = lesson.teacher.first_name + " " + lesson.teacher.last_name;
  return event;
}

IcsEvent homework_event(const HomeworkRecord& homework, std::string summary) {
  IcsEvent event;
  event.uid = "homework-" + std::to_string(homework.id) + "@cartable";
  event.all_day = true;
  event.day = *parse_date(homework.due_date);
  event.summary = std::move(summary);
  event.description = homework.body;
  return event;
}

// The user's feed: lessons of the next kFeedDays school days (week A/B and holidays respected)
// and homework due in that time, as all-day events. Built on the reader pool.
std::string build_feed(Store& store, const UserRecord& user, std::int64_t now) {
  std::string error;
  auto zone = find_time_zone(user.school.timezone, &error);
  if (!zone) {
    zone = find_time_zone("Europe/Paris", &error);
  }
  const Date today = today::school_now(user.school, now).date;
  const Date last = add_days(today, kFeedDays - 1);
  const std::string from = format_date(today);
  const std::string to = format_date(last);
  const auto holidays = store.holidays(user.school.id);

  std::vector<FollowedClass> followed;
  if (user.role == Role::pupil && user.school_class) {
    followed.push_back({*user.school_class, ""});
  } else if (user.role == Role::parent) {
    for (const ChildRecord& child : store.children(user.id)) {
      followed.push_back({child.school_class, child.person.first_name});
    }
  }

  std::vector<IcsEvent> events;
  std::set<std::string> uids;  // twins share a class: their lessons once
  const auto add = [&](IcsEvent event) {
    if (uids.insert(event.uid).second) {
      events.push_back(std::move(event));
    }
  };
  // Lessons by weekday, read once per class (or once for a teacher's own).
  std::map<std::pair<Id, int>, std::vector<LessonRecord>> lessons_by_day;
  for (Date day = today; day <= last; day = add_days(day, 1)) {
    const int weekday = iso_weekday(day);
    if (weekday > 5 || is_holiday(day, holidays)) {
      continue;
    }
    const WeekParity parity = today::week_parity(day);
    for (const FollowedClass& item : followed) {
      auto& lessons = lessons_by_day[{item.school_class.id, weekday}];
      if (lessons.empty()) {
        lessons = store.class_lessons(item.school_class.id, weekday);
      }
      for (const LessonRecord& lesson : lessons) {
        if (today::happens(lesson.week, parity)) {
          add(lesson_event(lesson, day, zone.get(), with_whom(lesson.subject.name, item.for_whom)));
        }
      }
    }
    if (user.role == Role::teacher) {
      auto& lessons = lessons_by_day[{0, weekday}];
      if (lessons.empty()) {
        lessons = store.teacher_lessons(user.id, weekday);
      }
      for (const LessonRecord& lesson : lessons) {
        if (today::happens(lesson.week, parity)) {
          add(lesson_event(lesson, day, zone.get(),
                           lesson.subject.name + " — " + lesson.school_class.name));
        }
      }
    }
  }
  for (const FollowedClass& item : followed) {
    for (const HomeworkRecord& homework : store.class_homework(item.school_class.id, from, to)) {
      add(homework_event(homework,
                         with_whom("À rendre : " + homework.subject.name + " — " + homework.title,
                                   item.for_whom)));
    }
  }
  if (user.role == Role::teacher) {
    for (const HomeworkRecord& homework : store.authored_homework(user.id, from, to)) {
      add(homework_event(homework, "À rendre : " + homework.school_class.name + " " +
                                       homework.subject.name + " — " + homework.title));
    }
  }
  // DTSTAMP changes once a day, not on every fetch, so the ETag holds while nothing changes.
  const std::int64_t stamp = now - (now % 86400);
  return write_calendar("Cartable — " + user.first_name + " " + user.last_name, events, stamp);
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> url(RequestContext&, const SessionClaims& actor) {
    auto existing = [&](Store& store) { return store.calendar_feed_nonce(actor.user_id); };
    std::optional<std::string> nonce = co_await deps_.database.read(existing);
    if (!nonce) {
      auto create = [&](Store& store) {
        // Asked again on the writer: two first calls at once must not make two feeds.
        if (auto raced = store.calendar_feed_nonce(actor.user_id)) {
          return *raced;
        }
        return save_new_feed(store, actor.user_id);
      };
      nonce = co_await deps_.database.write(create);
    }
    co_return url_response(actor.user_id, *nonce);
  }

  awaitable<Response> reset(RequestContext&, const SessionClaims& actor) {
    auto create = [&](Store& store) { return save_new_feed(store, actor.user_id); };
    const std::string nonce = co_await deps_.database.write(create);
    co_return url_response(actor.user_id, nonce);
  }

  // GET /calendar/{token}: refuses (404) a segment without the .ics suffix, a token of the wrong
  // length, and one that opens no feed.
  awaitable<Response> feed(RequestContext& context) {
    std::string_view token = context.token;
    if (!token.ends_with(kFeedSuffix)) {
      co_return not_found();
    }
    token.remove_suffix(kFeedSuffix.size());
    if (token.size() != kTokenChars) {
      co_return not_found();
    }
    const std::string hash = token_hash(token);
    const std::int64_t now = deps_.clock.unix_seconds();
    auto build = [&](Store& store) -> std::optional<std::string> {
      const auto user_id = store.calendar_feed_user(hash);
      const auto user = user_id ? store.user(*user_id) : std::nullopt;
      if (!user) {
        return std::nullopt;
      }
      return build_feed(store, *user, now);
    };
    const std::optional<std::string> body = co_await deps_.database.read(build);
    if (!body) {
      co_return not_found();
    }
    const std::string etag = entity_tag(*body);
    Response response{Status::ok, 11};
    if (context.request[boost::beast::http::field::if_none_match] == etag) {
      response.result(Status::not_modified);
    } else {
      response.set(boost::beast::http::field::content_type, "text/calendar; charset=utf-8");
      response.body().owned = *body;
    }
    response.set(boost::beast::http::field::etag, etag);
    response.set(boost::beast::http::field::cache_control,
                 "private, max-age=" + std::to_string(kFeedMaxAgeSeconds));
    response.prepare_payload();
    co_return response;
  }

 private:
  // base64url of a 32-byte MAC.
  static constexpr std::size_t kTokenChars = 43;

  static Response not_found() {
    return http::error_response(Status::not_found, "not_found", "No such calendar.");
  }

  std::string save_new_feed(Store& store, Id user_id) const {
    std::string nonce = new_nonce();
    store.set_calendar_feed(user_id, nonce, token_hash(feed_token(deps_.key, user_id, nonce)));
    return nonce;
  }

  Response url_response(Id user_id, const std::string& nonce) const {
    return http::json_response(
        Status::ok, boost::json::object{{"url", feed_path(feed_token(deps_.key, user_id, nonce))}});
  }

  Dependencies deps_;
};

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handlers = std::make_shared<Handlers>(dependencies);
  router.add({http::Verb::get, "/api/calendar", "calendar.url", 0,
              guard::signed_in(dependencies.sessions,
                               [handlers](RequestContext& context, const SessionClaims& actor) {
                                 return handlers->url(context, actor);
                               })});
  router.add({http::Verb::post, "/api/calendar/reset", "calendar.reset", 0,
              guard::signed_in(dependencies.sessions,
                               [handlers](RequestContext& context, const SessionClaims& actor) {
                                 return handlers->reset(context, actor);
                               })});
  router.add({http::Verb::get, "/calendar/{token}", "calendar.feed", 0,
              [handlers](RequestContext& context) { return handlers->feed(context); }});
}

}  // namespace cartable::calendar
