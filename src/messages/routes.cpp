#include "messages/routes.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/array.hpp>
#include <charconv>

#include "common/civil_time.hpp"
#include "common/text.hpp"
#include "files/access.hpp"
#include "files/download.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"

namespace cartable::messages {

namespace {

using boost::asio::awaitable;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

Response no_conversation() {
  return http::error_response(Status::not_found, "not_found", "No such conversation.");
}

Response rate_limited(unsigned retry_after) {
  return http::retry_later(Status::too_many_requests, "rate_limited",
                           "You are sending messages too fast; wait a little.", retry_after);
}

boost::json::object person_json(const PersonRef& person, Role role) {
  boost::json::object json = to_json(person);
  json["role"] = role_name(role);
  return json;
}

boost::json::object message_json(const MessageRecord& message) {
  boost::json::array attachments;
  for (const FileRecord& file : message.attachments) {
    attachments.push_back(files::to_json(file));
  }
  return {{"id", message.id},
          {"conversation_id", message.conversation_id},
          {"author", to_json(message.author)},
          {"body", message.body},
          {"created_at", message.created_at},
          {"attachments", std::move(attachments)}};
}

boost::json::object conversation_json(const ConversationRecord& conversation) {
  return {{"id", conversation.id},
          {"subject", conversation.subject},
          {"created_by", to_json(conversation.created_by)},
          {"created_at", conversation.created_at},
          {"last_message_id", conversation.last_message_id},
          {"last_message_at", conversation.last_message_at}};
}

// The conversation with a page of its messages (oldest first within the page), as the caller sees
// it; nullopt when they are not a participant.
std::optional<boost::json::object> conversation_page(Store& store, const SessionClaims& actor,
                                                     Id id, Id before, std::size_t limit) {
  const auto conversation = store.conversation(id);
  if (!conversation ||
      !guard::may_read_conversation(actor, is_participant(*conversation, actor.user_id))) {
    return std::nullopt;
  }
  boost::json::object json = conversation_json(*conversation);
  boost::json::array participants;
  Id last_read = 0;
  for (const Participant& participant : conversation->participants) {
    participants.push_back(person_json(participant.person, participant.role));
    if (participant.person.id == actor.user_id) {
      last_read = participant.last_read_message_id;
    }
  }
  json["participants"] = std::move(participants);
  json["last_read_message_id"] = last_read;
  auto messages = store.conversation_messages(id, before, limit + 1);
  const bool more = messages.size() > limit;
  if (more) {
    messages.pop_back();
  }
  boost::json::array list;
  for (auto it = messages.rbegin(); it != messages.rend(); ++it) {
    list.push_back(message_json(*it));
  }
  // The next (older) page: ?before=<the oldest id shown>.
  json["next_before"] = more && !messages.empty() ? boost::json::value(messages.back().id)
                                                  : boost::json::value(nullptr);
  json["messages"] = std::move(list);
  return json;
}

// 400 naming a file the writer may not attach, if any.
std::optional<Response> foreign_attachment(Store& store, const SessionClaims& actor,
                                           const std::vector<Id>& ids) {
  if (const auto stranger = files::first_not_owned(store, actor.user_id, ids)) {
    http::FieldErrors errors;
    errors.add("attachment_ids", "no file " + std::to_string(*stranger) + " of yours");
    return errors.response();
  }
  return std::nullopt;
}

struct MessageInput {
  MessageDraft draft;
  Response error;
  bool valid = false;
};

void read_message_fields(http::FieldErrors& errors, const boost::json::object& body,
                         const SessionClaims& actor, MessageDraft& draft) {
  draft.author_id = actor.user_id;
  draft.body = errors.text(body, "body", 1, kMaxBodyChars, true).value_or("");
  draft.attachment_ids =
      errors.id_list(body, "attachment_ids", kMaxAttachments).value_or(std::vector<Id>{});
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> contacts(RequestContext& context, const SessionClaims& actor) {
    std::string name;
    for (const auto& param : context.query) {
      if (param.key == "q") {
        name = param.value;
      }
    }
    if (utf8_length(name) > kMaxContactQueryChars) {
      http::FieldErrors errors;
      errors.add("q", "at most " + std::to_string(kMaxContactQueryChars) + " characters");
      co_return errors.response();
    }
    auto answer = [&](Store& store) {
      const bool pupils_talk = pupil_messaging_on(store, actor.school_id);
      boost::json::array list;
      bool truncated = false;
      for (const MessagingFacts& person :
           store.messaging_candidates(actor.user_id, actor.school_id, name)) {
        if (!guard::may_message(actor, person.person.id, relation_to_person(person, pupils_talk))) {
          continue;
        }
        if (list.size() == kMaxContacts) {
          truncated = true;
          break;
        }
        list.push_back(person_json(person.person, person.role));
      }
      return http::json_response(
          Status::ok, boost::json::object{{"contacts", std::move(list)}, {"truncated", truncated}});
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> list(RequestContext&, const SessionClaims& actor) {
    auto answer = [&](Store& store) {
      boost::json::array list;
      for (const ConversationSummary& summary :
           store.user_conversations(actor.user_id, kMaxConversationsListed)) {
        boost::json::object json = conversation_json(summary.conversation);
        json["participant_count"] = summary.participant_count;
        boost::json::array others;
        for (const PersonRef& other : summary.others) {
          others.push_back(to_json(other));
        }
        json["others"] = std::move(others);
        json["unread"] = summary.unread;
        list.push_back(std::move(json));
      }
      return http::json_response(
          Status::ok, boost::json::object{{"conversations", std::move(list)},
                                          {"unread", store.unread_messages(actor.user_id)}});
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> create(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    ConversationDraft draft;
    draft.school_id = actor.school_id;
    draft.subject = errors.text(*body, "subject", 1, kMaxSubjectChars).value_or("");
    std::vector<Id> others;
    if (const auto ids = errors.id_list(*body, "participant_ids", kMaxParticipants)) {
      for (const Id id : *ids) {
        if (id != actor.user_id) {
          others.push_back(id);
        }
      }
      if (others.empty()) {
        errors.add("participant_ids", "name at least one other person");
      } else if (others.size() + 1 > kMaxParticipants) {
        errors.add("participant_ids",
                   "at most " + std::to_string(kMaxParticipants - 1) + " people besides yourself");
      }
    } else if (!errors.fields().contains("participant_ids")) {
      errors.add("participant_ids", "required");
    }
    read_message_fields(errors, *body, actor, draft.first_message);
    if (!errors.empty()) {
      co_return errors.response();
    }
    if (const auto wait = deps_.limiter.take(actor.user_id)) {
      co_return rate_limited(*wait);
    }
    draft.participant_ids = others;
    draft.participant_ids.push_back(actor.user_id);
    // Each participant must be someone the creator may write to. Unknown ids are refused the same
    // way, so that the answer does not tell who exists.
    auto check = [&](Store& store) -> std::optional<Response> {
      const bool pupils_talk = pupil_messaging_on(store, actor.school_id);
      const auto facts = store.messaging_facts(actor.user_id, others);
      for (const Id id : others) {
        const auto found = std::find_if(facts.begin(), facts.end(), [id](const MessagingFacts& f) {
          return f.person.id == id;
        });
        if (found == facts.end() ||
            !guard::may_message(actor, id, relation_to_person(*found, pupils_talk))) {
          boost::json::object fields{
              {"participant_ids", "you may not write to " + std::to_string(id)}};
          return http::error_response(Status::forbidden, "forbidden",
                                      "You may not write to some of these people.", &fields);
        }
      }
      return foreign_attachment(store, actor, draft.first_message.attachment_ids);
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto insert = [&](Store& store) {
      const Id id = store.create_conversation(draft, now);
      return std::make_pair(id, conversation_page(store, actor, id, 0, kDefaultMessagesPerPage));
    };
    const auto created = co_await deps_.database.write(insert);
    if (!created.second) {
      co_return no_conversation();
    }
    Response response = http::json_response(Status::created, *created.second);
    response.set(boost::beast::http::field::location,
                 "/api/conversations/" + std::to_string(created.first));
    co_return response;
  }

  awaitable<Response> get(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    bool malformed = false;
    const Id before = http::query_id(context.query, "before", malformed).value_or(0);
    const auto limit = http::query_id(context.query, "limit", malformed)
                           .value_or(static_cast<std::int64_t>(kDefaultMessagesPerPage));
    if (malformed || limit > static_cast<std::int64_t>(kMaxMessagesPerPage)) {
      http::FieldErrors errors;
      errors.add("limit", "before and limit are positive integers, limit at most " +
                              std::to_string(kMaxMessagesPerPage));
      co_return errors.response();
    }
    auto answer = [&](Store& store) -> Response {
      auto page = conversation_page(store, actor, id, before, static_cast<std::size_t>(limit));
      if (!page) {
        return no_conversation();
      }
      return http::json_response(Status::ok, *page);
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> post(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    MessageDraft draft;
    read_message_fields(errors, *body, actor, draft);
    if (!errors.empty()) {
      co_return errors.response();
    }
    auto check = [&](Store& store) -> std::optional<Response> {
      const auto conversation = store.conversation(id);
      if (!conversation ||
          !guard::may_post_in_conversation(actor, is_participant(*conversation, actor.user_id))) {
        return no_conversation();
      }
      return foreign_attachment(store, actor, draft.attachment_ids);
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    if (const auto wait = deps_.limiter.take(actor.user_id)) {
      co_return rate_limited(*wait);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto insert = [&](Store& store) -> std::optional<boost::json::object> {
      const auto message_id = store.add_message(id, draft, now);
      if (!message_id) {
        return std::nullopt;
      }
      const auto page = store.conversation_messages(id, *message_id + 1, 1);
      if (page.empty()) {
        return std::nullopt;
      }
      return message_json(page.front());
    };
    const auto created = co_await deps_.database.write(insert);
    if (!created) {
      co_return no_conversation();
    }
    co_return http::json_response(Status::created, *created);
  }

  awaitable<Response> read(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    const auto up_to = errors.id(*body, "up_to");
    if (!errors.empty()) {
      co_return errors.response();
    }
    auto check = [&](Store& store) {
      const auto conversation = store.conversation(id);
      return conversation &&
             guard::may_read_conversation(actor, is_participant(*conversation, actor.user_id));
    };
    if (!co_await deps_.database.read(check)) {
      co_return no_conversation();
    }
    auto mark = [&](Store& store) -> std::optional<std::int64_t> {
      if (!store.mark_read(id, actor.user_id, *up_to)) {
        return std::nullopt;
      }
      return store.unread_messages(actor.user_id);
    };
    const auto unread = co_await deps_.database.write(mark);
    if (!unread) {
      co_return no_conversation();
    }
    co_return http::json_response(Status::ok, boost::json::object{{"unread", *unread}});
  }

  awaitable<Response> unread(RequestContext&, const SessionClaims& actor) {
    auto count = [&](Store& store) { return store.unread_messages(actor.user_id); };
    const std::int64_t total = co_await deps_.database.read(count);
    co_return http::json_response(Status::ok, boost::json::object{{"unread", total}});
  }

  // 404 for a school that is not the caller's, 403 for their own school when not its staff.
  std::optional<Response> refuse_settings(const SessionClaims& actor, Id school_id) const {
    if (guard::may_manage_school(actor, school_id)) {
      return std::nullopt;
    }
    if (actor.school_id == school_id) {
      return http::error_response(Status::forbidden, "forbidden",
                                  "Only the school's staff may change its settings.");
    }
    return http::error_response(Status::not_found, "not_found", "No such school.");
  }

  awaitable<Response> get_settings(RequestContext& context, const SessionClaims& actor) {
    const Id school_id = context.ids[0];
    if (auto refused = refuse_settings(actor, school_id)) {
      co_return std::move(*refused);
    }
    auto answer = [&](Store& store) {
      return http::json_response(
          Status::ok,
          boost::json::object{{"pupil_messaging", pupil_messaging_on(store, school_id)}});
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> put_settings(RequestContext& context, const SessionClaims& actor) {
    const Id school_id = context.ids[0];
    if (auto refused = refuse_settings(actor, school_id)) {
      co_return std::move(*refused);
    }
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    const auto* value = body->if_contains("pupil_messaging");
    if (value == nullptr || !value->is_bool()) {
      errors.add("pupil_messaging", "must be true or false");
      co_return errors.response();
    }
    const bool on = value->as_bool();
    const std::string key = pupil_messaging_key(school_id);
    auto change = [&](Store& store) { store.set_setting(key, on ? "on" : "off"); };
    co_await deps_.database.write(change);
    co_return http::json_response(Status::ok, boost::json::object{{"pupil_messaging", on}});
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
  router.add({http::Verb::get, "/api/contacts", "messages.contacts", 0, bind(&Handlers::contacts)});
  router.add({http::Verb::get, "/api/conversations", "messages.list", 0, bind(&Handlers::list)});
  router.add({http::Verb::post, "/api/conversations", "messages.create", kMaxRequestBodyBytes,
              bind(&Handlers::create)});
  router.add({http::Verb::get, "/api/conversations/{id}", "messages.get", 0, bind(&Handlers::get)});
  router.add({http::Verb::post, "/api/conversations/{id}/messages", "messages.post",
              kMaxRequestBodyBytes, bind(&Handlers::post)});
  router.add({http::Verb::post, "/api/conversations/{id}/read", "messages.read",
              kSmallRequestBodyBytes, bind(&Handlers::read)});
  router.add(
      {http::Verb::get, "/api/messages/unread", "messages.unread", 0, bind(&Handlers::unread)});
  router.add({http::Verb::get, "/api/schools/{id}/settings", "schools.settings.get", 0,
              bind(&Handlers::get_settings)});
  router.add({http::Verb::put, "/api/schools/{id}/settings", "schools.settings.put",
              kSmallRequestBodyBytes, bind(&Handlers::put_settings)});
}

}  // namespace cartable::messages
