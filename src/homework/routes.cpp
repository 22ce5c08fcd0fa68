#include "homework/routes.hpp"

#include <boost/json/array.hpp>
#include <charconv>

#include "common/civil_time.hpp"
#include "files/access.hpp"
#include "files/download.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"

namespace cartable::homework {

namespace {

using boost::asio::awaitable;
using guard::Action;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

Response not_found() {
  return http::error_response(Status::not_found, "not_found", "No such homework.");
}

Response forbidden() {
  return http::error_response(Status::forbidden, "forbidden",
                              "Only a teacher of this class and subject may do this.");
}

// Today in UTC is close enough to bound dates (a day of slack either way is harmless here).
Date utc_today(const Clock& clock) {
  return civil_from_days(clock.unix_seconds() / 86400);
}

// A date within kMaxDaysFromToday of today, or a field error.
std::optional<std::string> bounded_date(http::FieldErrors& errors, std::string_view field,
                                        std::string_view text, Date today) {
  const auto date = parse_date(text);
  if (!date) {
    errors.add(field, "must be a date YYYY-MM-DD");
    return std::nullopt;
  }
  const std::int64_t distance = days_from_civil(*date) - days_from_civil(today);
  if (distance < -kMaxDaysFromToday || distance > kMaxDaysFromToday) {
    errors.add(field, "must be within a year of today");
    return std::nullopt;
  }
  return format_date(*date);
}

struct Draft {
  HomeworkDraft fields;
  // Files to attach (the teacher's own uploads); absent on an update: the attachments stay.
  std::optional<std::vector<Id>> attachment_ids;
  Response error;
  bool valid = false;
};

Draft read_draft(const RequestContext& context, const SessionClaims& actor, const Clock& clock) {
  Draft draft;
  const auto body = http::parse_json_object(context.request, draft.error);
  if (!body) {
    return draft;
  }
  http::FieldErrors errors;
  const auto class_id = errors.id(*body, "class_id");
  const auto subject_id = errors.id(*body, "subject_id");
  const auto title = errors.text(*body, "title", 1, kMaxTitleChars);
  const auto text = errors.text(*body, "body", 0, kMaxBodyChars, true);
  draft.attachment_ids = errors.id_list(*body, "attachment_ids", kMaxAttachments);
  std::optional<std::string> due;
  const auto* due_value = body->if_contains("due_date");
  if (due_value == nullptr || !due_value->is_string()) {
    errors.add("due_date", "required");
  } else {
    due = bounded_date(errors, "due_date", due_value->as_string(), utc_today(clock));
  }
  if (!errors.empty()) {
    draft.error = errors.response();
    return draft;
  }
  draft.fields = {*class_id, *subject_id, actor.user_id, *title, *text, *due};
  draft.valid = true;
  return draft;
}

// What the actor may do with an existing homework: nothing (404), read, or write.
enum class Access { none, read, write };

Access access_to(Store& store, const SessionClaims& actor, const HomeworkRecord& homework) {
  const auto relation =
      relation_to_class(store, actor, homework.school_class.id, homework.subject.id);
  if (!relation) {
    return Access::none;
  }
  if (guard::can(actor, Action::write_homework, *relation)) {
    return Access::write;
  }
  return guard::can(actor, Action::read_class_work, *relation) ? Access::read : Access::none;
}

bool may_write(Store& store, const SessionClaims& actor, Id class_id, Id subject_id) {
  const auto relation = relation_to_class(store, actor, class_id, subject_id);
  return relation && guard::can(actor, Action::write_homework, *relation);
}

// 400 naming a file the teacher may not attach, if any.
std::optional<Response> foreign_attachment(Store& store, const SessionClaims& actor,
                                           const std::optional<std::vector<Id>>& ids) {
  if (!ids) {
    return std::nullopt;
  }
  if (const auto stranger = files::first_not_owned(store, actor.user_id, *ids)) {
    http::FieldErrors errors;
    errors.add("attachment_ids", "no file " + std::to_string(*stranger) + " of yours");
    return errors.response();
  }
  return std::nullopt;
}

// The homework with its attachments, as GET, POST and PUT answer it.
boost::json::object detailed_json(Store& store, const HomeworkRecord& homework) {
  boost::json::object json = to_json(homework);
  boost::json::array attachments;
  for (const FileRecord& file : store.homework_attachments(homework.id)) {
    attachments.push_back(files::to_json(file));
  }
  json["attachments"] = std::move(attachments);
  return json;
}

boost::json::object list_json(const std::vector<HomeworkRecord>& items) {
  boost::json::array list;
  for (const HomeworkRecord& item : items) {
    list.push_back(to_json(item));
  }
  return {{"homework", std::move(list)}};
}

struct ListQuery {
  bool mine = false;
  Id class_id = 0;
  std::string from;
  std::string to;
};

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> list(RequestContext& context, const SessionClaims& actor) {
    http::FieldErrors errors;
    const Date today = utc_today(deps_.clock);
    ListQuery query{false, 0, format_date(add_days(today, -30)), format_date(add_days(today, 60))};
    for (const auto& param : context.query) {
      if (param.key == "mine") {
        query.mine = param.value == "1" || param.value == "true";
      } else if (param.key == "class_id") {
        std::int64_t id = 0;
        const auto [end, ec] =
            std::from_chars(param.value.data(), param.value.data() + param.value.size(), id);
        if (ec != std::errc{} || end != param.value.data() + param.value.size() || id <= 0) {
          errors.add("class_id", "must be a positive integer");
        }
        query.class_id = id;
      } else if (param.key == "from" || param.key == "to") {
        if (auto date = bounded_date(errors, param.key, param.value, today)) {
          (param.key == "from" ? query.from : query.to) = *date;
        }
      }
    }
    if (query.from > query.to) {
      errors.add("to", "must not be before from");
    }
    if (!errors.empty()) {
      co_return errors.response();
    }
    auto answer = [&](Store& store) -> Response {
      if (query.mine) {
        return http::json_response(
            Status::ok, list_json(store.authored_homework(actor.user_id, query.from, query.to)));
      }
      std::vector<Id> classes;
      if (query.class_id != 0) {
        const auto relation = relation_to_class(store, actor, query.class_id, 0);
        if (!relation || !guard::can(actor, Action::read_class_work, *relation)) {
          return http::error_response(Status::not_found, "not_found", "No such class.");
        }
        classes.push_back(query.class_id);
      } else {
        classes = own_class_ids(store, actor);
      }
      std::vector<HomeworkRecord> items;
      for (const Id class_id : classes) {
        auto some = store.class_homework(class_id, query.from, query.to);
        items.insert(items.end(), std::make_move_iterator(some.begin()),
                     std::make_move_iterator(some.end()));
      }
      std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        return std::tie(a.due_date, a.id) < std::tie(b.due_date, b.id);
      });
      return http::json_response(Status::ok, list_json(items));
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> get(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    auto answer = [&](Store& store) -> Response {
      const auto homework = store.homework(id);
      if (!homework || access_to(store, actor, *homework) == Access::none) {
        return not_found();
      }
      return http::json_response(Status::ok, detailed_json(store, *homework));
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> create(RequestContext& context, const SessionClaims& actor) {
    Draft draft = read_draft(context, actor, deps_.clock);
    if (!draft.valid) {
      co_return draft.error;
    }
    const HomeworkDraft fields = draft.fields;
    auto check = [&](Store& store) -> std::optional<Response> {
      if (!may_write(store, actor, fields.class_id, fields.subject_id)) {
        return forbidden();
      }
      return foreign_attachment(store, actor, draft.attachment_ids);
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto insert = [&](Store& store) {
      const Id id = store.create_homework(fields, now);
      if (draft.attachment_ids) {
        store.set_homework_attachments(id, *draft.attachment_ids);
      }
      return detailed_json(store, *store.homework(id));
    };
    const auto created = co_await deps_.database.write(insert);
    deps_.versions.bump(fields.class_id);
    co_return http::json_response(Status::created, created);
  }

  awaitable<Response> update(RequestContext& context, const SessionClaims& actor) {
    Draft draft = read_draft(context, actor, deps_.clock);
    if (!draft.valid) {
      co_return draft.error;
    }
    const Id id = context.ids[0];
    HomeworkDraft fields = draft.fields;
    auto check = [&](Store& store) {
      const auto homework = store.homework(id);
      if (!homework) {
        return Access::none;
      }
      const Access current = access_to(store, actor, *homework);
      // Moving it to another class or subject needs the right to write there too.
      if (current == Access::write &&
          !may_write(store, actor, fields.class_id, fields.subject_id)) {
        return Access::read;
      }
      return current;
    };
    const Access access = co_await deps_.database.read(check);
    if (access != Access::write) {
      co_return access == Access::none ? not_found() : forbidden();
    }
    auto check_attachments = [&](Store& store) {
      return foreign_attachment(store, actor, draft.attachment_ids);
    };
    if (auto refused = co_await deps_.database.read(check_attachments)) {
      co_return std::move(*refused);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    Id previous_class = 0;
    auto change = [&](Store& store) -> std::optional<boost::json::object> {
      HomeworkDraft kept = fields;
      if (const auto existing = store.homework(id)) {
        kept.author_id = existing->author.id;  // the original author stays the author
        previous_class = existing->school_class.id;
      }
      if (!store.update_homework(id, kept, now)) {
        return std::nullopt;
      }
      if (draft.attachment_ids) {
        store.set_homework_attachments(id, *draft.attachment_ids);
      }
      return detailed_json(store, *store.homework(id));
    };
    const auto updated = co_await deps_.database.write(change);
    deps_.versions.bump(previous_class);
    deps_.versions.bump(fields.class_id);
    if (!updated) {
      co_return not_found();
    }
    co_return http::json_response(Status::ok, *updated);
  }

  awaitable<Response> remove(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    Id class_id = 0;
    auto check = [&](Store& store) {
      const auto homework = store.homework(id);
      if (!homework) {
        return Access::none;
      }
      class_id = homework->school_class.id;
      return access_to(store, actor, *homework);
    };
    const Access access = co_await deps_.database.read(check);
    if (access != Access::write) {
      co_return access == Access::none ? not_found() : forbidden();
    }
    auto erase = [&](Store& store) { return store.delete_homework(id); };
    const bool deleted = co_await deps_.database.write(erase);
    deps_.versions.bump(class_id);
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
  router.add({http::Verb::get, "/api/homework", "homework.list", 0, bind(&Handlers::list)});
  router.add({http::Verb::get, "/api/homework/{id}", "homework.get", 0, bind(&Handlers::get)});
  router.add({http::Verb::post, "/api/homework", "homework.create", kMaxRequestBodyBytes,
              bind(&Handlers::create)});
  router.add({http::Verb::put, "/api/homework/{id}", "homework.update", kMaxRequestBodyBytes,
              bind(&Handlers::update)});
  router.add(
      {http::Verb::delete_, "/api/homework/{id}", "homework.delete", 0, bind(&Handlers::remove)});
}

}  // namespace cartable::homework
