#include "announcements/routes.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <map>

#include "common/civil_time.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"
#include "today/school_time.hpp"

namespace cartable::announcements {

namespace {

using boost::asio::awaitable;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

Response not_found() {
  return http::error_response(Status::not_found, "not_found", "No such announcement.");
}

Response forbidden(std::string_view message) {
  return http::error_response(Status::forbidden, "forbidden", message);
}

// The school's date now, for the actor's school.
std::optional<Date> school_today(Store& store, Id user_id, std::int64_t now) {
  const auto user = store.user(user_id);
  if (!user) {
    return std::nullopt;
  }
  return today::school_now(user->school, now).date;
}

struct Input {
  std::string title;
  std::string body;
  std::optional<Date> until;
  std::vector<Id> class_ids;
};

std::optional<Input> read_input(const RequestContext& context, Response& error) {
  const auto body = http::parse_json_object(context.request, error);
  if (!body) {
    return std::nullopt;
  }
  http::FieldErrors errors;
  Input input;
  input.title = errors.text(*body, "title", 1, kMaxTitleChars).value_or("");
  input.body = errors.text(*body, "body", 0, kMaxBodyChars, true).value_or("");
  input.class_ids = errors.id_list(*body, "class_ids", kMaxClasses).value_or(std::vector<Id>{});
  if (const auto* until = body->if_contains("until"); until != nullptr && !until->is_null()) {
    input.until = until->is_string() ? parse_date(until->as_string()) : std::nullopt;
    if (!input.until) {
      errors.add("until", "must be a date YYYY-MM-DD");
    }
  }
  if (!errors.empty()) {
    error = errors.response();
    return std::nullopt;
  }
  return input;
}

// The announcements the actor sees, shown on `from` or later, newest first.
std::vector<AnnouncementRecord> visible(Store& store, const SessionClaims& actor,
                                        const std::string& from) {
  std::vector<AnnouncementRecord> result;
  const auto add = [&](const AnnouncementQuery& query) {
    for (AnnouncementRecord& item : store.announcements(query)) {
      const bool known =
          std::any_of(result.begin(), result.end(),
                      [&](const AnnouncementRecord& held) { return held.id == item.id; });
      if (!known) {
        result.push_back(std::move(item));
      }
    }
  };
  switch (actor.role) {
    case Role::pupil:
    case Role::teacher:
      add({actor.school_id, from, own_class_ids(store, actor), actor.user_id, false});
      break;
    case Role::parent: {
      // A child's school may differ from the parent's own: each school with its children's classes.
      std::map<Id, std::vector<Id>> classes_by_school{{actor.school_id, {}}};
      for (const ChildRecord& child : store.children(actor.user_id)) {
        classes_by_school[child.school_id].push_back(child.school_class.id);
      }
      for (const auto& [school_id, class_ids] : classes_by_school) {
        add({school_id, from, class_ids, actor.user_id, false});
      }
      std::sort(result.begin(), result.end(),
                [](const auto& a, const auto& b) { return a.id > b.id; });
      break;
    }
    case Role::staff:
    case Role::admin:
      add({actor.school_id, from, {}, actor.user_id, true});
      break;
  }
  return result;
}

// The classes whose day views an announcement appears in: its classes, or all of its school's.
std::vector<Id> reached_classes(Store& store, Id school_id, const std::vector<Id>& class_ids) {
  if (!class_ids.empty()) {
    return class_ids;
  }
  std::vector<Id> all;
  for (const ClassRecord& school_class : store.school_classes(school_id)) {
    all.push_back(school_class.id);
  }
  return all;
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> list(RequestContext&, const SessionClaims& actor) {
    const std::int64_t now = deps_.clock.unix_seconds();
    auto answer = [&](Store& store) -> Response {
      const auto today = school_today(store, actor.user_id, now);
      if (!today) {
        return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
      }
      boost::json::array list;
      for (const AnnouncementRecord& item : visible(store, actor, format_date(*today))) {
        list.push_back(to_json(item));
      }
      return http::json_response(Status::ok,
                                 boost::json::object{{"announcements", std::move(list)}});
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> create(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto input = read_input(context, error);
    if (!input) {
      co_return error;
    }
    const std::int64_t now = deps_.clock.unix_seconds();
    AnnouncementDraft draft;
    // Who may post where, and the dates against the school's today: refused with 403 or 400.
    auto check = [&](Store& store) -> std::optional<Response> {
      if (actor.role == Role::pupil || actor.role == Role::parent) {
        return forbidden("Only teachers and staff post announcements.");
      }
      const auto today = school_today(store, actor.user_id, now);
      if (!today) {
        return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
      }
      http::FieldErrors errors;
      const Date until = input->until.value_or(add_days(*today, kDefaultDaysShown));
      const std::int64_t days = days_from_civil(until) - days_from_civil(*today);
      if (days < 0) {
        errors.add("until", "must not be before today");
      } else if (days > kMaxDaysShown) {
        errors.add("until", "must be within a year of today");
      }
      if (input->class_ids.empty()) {
        if (actor.role == Role::teacher) {
          errors.add("class_ids", "name the classes you teach to announce to");
        } else if (!guard::may_announce_school_wide(actor, actor.school_id)) {
          return forbidden("Only the school's staff announce to the whole school.");
        }
      }
      for (const Id class_id : input->class_ids) {
        const auto relation = relation_to_class(store, actor, class_id, 0);
        if (!relation) {
          errors.add("class_ids", "no class " + std::to_string(class_id));
          break;
        }
        if (!guard::may_announce_to_class(actor, *relation)) {
          return forbidden("You may announce only to classes you teach (staff: of your school).");
        }
      }
      if (!errors.empty()) {
        return errors.response();
      }
      draft = {actor.school_id, actor.user_id,      input->title,
               input->body,     format_date(until), input->class_ids};
      return std::nullopt;
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string stamp = format_utc_timestamp(now);
    std::vector<Id> reached;
    auto insert = [&](Store& store) {
      const Id id = store.create_announcement(draft, stamp);
      reached = reached_classes(store, draft.school_id, draft.class_ids);
      return to_json(*store.announcement(id));
    };
    const auto created = co_await deps_.database.write(insert);
    for (const Id class_id : reached) {
      deps_.versions.bump(class_id);
    }
    Response response = http::json_response(Status::created, created);
    response.set(boost::beast::http::field::location,
                 "/api/announcements/" + std::to_string(created.at("id").as_int64()));
    co_return response;
  }

  awaitable<Response> remove(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    std::optional<AnnouncementRecord> record;
    auto check = [&](Store& store) -> std::optional<Response> {
      record = store.announcement(id);
      if (!record) {
        return not_found();
      }
      const auto relation = relation_to_announcement(store, actor, *record);
      if (!guard::may_read_announcement(actor, relation)) {
        return not_found();
      }
      if (!guard::may_delete_announcement(actor, record->school_id, relation.author)) {
        return forbidden("Only its author or the school's staff may delete this announcement.");
      }
      return std::nullopt;
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    std::vector<Id> class_ids;
    for (const NamedRef& school_class : record->classes) {
      class_ids.push_back(school_class.id);
    }
    std::vector<Id> reached;
    auto erase = [&](Store& store) {
      reached = reached_classes(store, record->school_id, class_ids);
      return store.delete_announcement(id);
    };
    const bool deleted = co_await deps_.database.write(erase);
    for (const Id class_id : reached) {
      deps_.versions.bump(class_id);
    }
    co_return deleted ? http::empty_response(Status::no_content) : not_found();
  }

 private:
  Dependencies deps_;
};

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handlers = std::make_shared<Handlers>(dependencies);
  const auto bind = [&](auto member) {
    return guard::signed_in_member(dependencies.sessions, handlers, member);
  };
  router.add(
      {http::Verb::get, "/api/announcements", "announcements.list", 0, bind(&Handlers::list)});
  router.add({http::Verb::post, "/api/announcements", "announcements.create", kMaxRequestBodyBytes,
              bind(&Handlers::create)});
  router.add({http::Verb::delete_, "/api/announcements/{id}", "announcements.delete", 0,
              bind(&Handlers::remove)});
}

}  // namespace cartable::announcements
