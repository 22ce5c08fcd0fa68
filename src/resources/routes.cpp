#include "resources/routes.hpp"

#include <charconv>

#include "common/civil_time.hpp"
#include "files/download.hpp"
#include "files/file_name.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/json_body.hpp"
#include "school/relations.hpp"

namespace cartable::resources {

namespace {

using boost::asio::awaitable;
using guard::Action;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

Response no_class() {
  return http::error_response(Status::not_found, "not_found", "No such class.");
}

Response no_resource() {
  return http::error_response(Status::not_found, "not_found", "No such document or folder.");
}

Response not_the_teacher() {
  return http::error_response(Status::forbidden, "forbidden",
                              "Only a teacher of this class and subject may change its documents.");
}

Response field_error(std::string_view field, std::string_view message) {
  http::FieldErrors errors;
  errors.add(field, message);
  return errors.response();
}

// What the actor may do with the class's documents of a subject: nothing (404), read, or write.
enum class Access { none, read, write };

Access access_to(Store& store, const SessionClaims& actor, Id class_id, Id subject_id) {
  const auto relation = relation_to_class(store, actor, class_id, subject_id);
  if (!relation) {
    return Access::none;
  }
  if (guard::can(actor, Action::write_resources, *relation)) {
    return Access::write;
  }
  return guard::can(actor, Action::read_class_work, *relation) ? Access::read : Access::none;
}

boost::json::object to_json(const ResourceRecord& node) {
  boost::json::object json{{"id", node.id},
                           {"parent_id", node.parent_id},
                           {"kind", node.folder ? "folder" : "document"},
                           {"name", node.name},
                           {"updated_at", node.updated_at}};
  if (node.file) {
    json["file"] = files::to_json(*node.file);
  }
  return json;
}

// A required id of the query string, or an error naming it.
std::optional<Id> query_id(const RequestContext& context, std::string_view key,
                           http::FieldErrors& errors) {
  bool malformed = false;
  const auto id = http::query_id(context.query, key, malformed);
  if (!id) {
    errors.add(key, "must be a positive integer");
  }
  return id;
}

// The depth of `folder_id` (1 for a folder at the top; 0 for the top itself), following parents
// among `nodes`.
int depth_of(const std::vector<ResourceRecord>& nodes, Id folder_id) {
  int depth = 0;
  for (Id at = folder_id; at != 0 && depth <= kMaxDepth + 1; ++depth) {
    const auto found =
        std::find_if(nodes.begin(), nodes.end(), [at](const auto& n) { return n.id == at; });
    at = found == nodes.end() ? 0 : found->parent_id;
  }
  return depth;
}

// The deepest level below `node_id` (0 for a document or an empty folder).
int height_of(const std::vector<ResourceRecord>& nodes, Id node_id) {
  int height = 0;
  for (const ResourceRecord& child : nodes) {
    if (child.parent_id == node_id) {
      height = std::max(height, 1 + height_of(nodes, child.id));
    }
  }
  return height;
}

// Whether `folder_id` is `node_id` or lies inside it.
bool is_within(const std::vector<ResourceRecord>& nodes, Id folder_id, Id node_id) {
  for (Id at = folder_id; at != 0;) {
    if (at == node_id) {
      return true;
    }
    const auto found =
        std::find_if(nodes.begin(), nodes.end(), [at](const auto& n) { return n.id == at; });
    at = found == nodes.end() ? 0 : found->parent_id;
  }
  return false;
}

// 400 unless `parent_id` is 0 (the top) or a folder among `nodes` with room below it for
// `height` more levels.
std::optional<Response> check_parent(const std::vector<ResourceRecord>& nodes, Id parent_id,
                                     int height) {
  if (parent_id == 0) {
    return std::nullopt;
  }
  const auto parent = std::find_if(nodes.begin(), nodes.end(),
                                   [parent_id](const auto& n) { return n.id == parent_id; });
  if (parent == nodes.end() || !parent->folder) {
    return field_error("parent_id", "must be a folder of this class and subject");
  }
  if (depth_of(nodes, parent_id) + 1 + height > kMaxDepth) {
    return field_error("parent_id",
                       "folders may be nested at most " + std::to_string(kMaxDepth) + " deep");
  }
  return std::nullopt;
}

std::optional<std::string> read_name(const boost::json::object& body, http::FieldErrors& errors) {
  const auto* value = body.if_contains("name");
  if (value == nullptr || !value->is_string()) {
    errors.add("name", "required");
    return std::nullopt;
  }
  auto checked = files::check_file_name(value->as_string());
  if (const auto* error = std::get_if<files::FileNameError>(&checked)) {
    errors.add("name", error->message);
    return std::nullopt;
  }
  return std::get<std::string>(std::move(checked));
}

Id optional_id(const boost::json::object& body, std::string_view field, http::FieldErrors& errors) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null() || (value->is_int64() && value->as_int64() == 0)) {
    return 0;
  }
  return errors.id(body, field).value_or(0);
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> list(RequestContext& context, const SessionClaims& actor) {
    http::FieldErrors errors;
    const auto class_id = query_id(context, "class_id", errors);
    const auto subject_id = query_id(context, "subject_id", errors);
    if (!errors.empty()) {
      co_return errors.response();
    }
    auto answer = [&](Store& store) -> Response {
      const Access access = access_to(store, actor, *class_id, *subject_id);
      if (access == Access::none) {
        return no_class();
      }
      boost::json::array items;
      for (const ResourceRecord& node : store.resources(*class_id, *subject_id)) {
        items.push_back(to_json(node));
      }
      return http::json_response(Status::ok, {{"class_id", *class_id},
                                              {"subject_id", *subject_id},
                                              {"may_write", access == Access::write},
                                              {"items", std::move(items)}});
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
    ResourceDraft draft;
    draft.class_id = errors.id(*body, "class_id").value_or(0);
    draft.subject_id = errors.id(*body, "subject_id").value_or(0);
    draft.parent_id = optional_id(*body, "parent_id", errors);
    draft.author_id = actor.user_id;
    const auto* kind = body->if_contains("kind");
    if (kind == nullptr || !kind->is_string() ||
        (kind->as_string() != "folder" && kind->as_string() != "document")) {
      errors.add("kind", "must be \"folder\" or \"document\"");
    } else {
      draft.folder = kind->as_string() == "folder";
    }
    if (!draft.folder) {
      draft.file_id = errors.id(*body, "file_id").value_or(0);
    }
    // A document may take its file's name.
    const bool named = body->contains("name") || draft.folder;
    if (named) {
      draft.name = read_name(*body, errors).value_or("");
    }
    if (!errors.empty()) {
      co_return errors.response();
    }
    auto check = [&](Store& store) -> std::optional<Response> {
      const Access access = access_to(store, actor, draft.class_id, draft.subject_id);
      if (access != Access::write) {
        return access == Access::none ? no_class() : not_the_teacher();
      }
      const auto nodes = store.resources(draft.class_id, draft.subject_id);
      if (nodes.size() >= kMaxNodesPerSubject) {
        return http::error_response(Status::conflict, "too_many_documents",
                                    "This subject already holds " +
                                        std::to_string(kMaxNodesPerSubject) +
                                        " documents and folders.");
      }
      if (auto refused = check_parent(nodes, draft.parent_id, 0)) {
        return refused;
      }
      if (!draft.folder) {
        const auto file = store.file(draft.file_id);
        if (!file || file->owner_id != actor.user_id) {
          return field_error("file_id", "no file " + std::to_string(draft.file_id) + " of yours");
        }
        if (!named) {
          draft.name = file->name;
        }
      }
      return std::nullopt;
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto insert = [&](Store& store) -> std::optional<ResourceRecord> {
      const Id id = store.create_resource(draft, now);
      return id == 0 ? std::nullopt : store.resource(id);
    };
    const auto created = co_await deps_.database.write(insert);
    if (!created) {
      co_return name_taken();
    }
    co_return http::json_response(Status::created, to_json(*created));
  }

  awaitable<Response> change(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    std::optional<std::string> name;
    if (body->contains("name")) {
      name = read_name(*body, errors);
    }
    std::optional<Id> parent_id;
    if (body->contains("parent_id")) {
      parent_id = optional_id(*body, "parent_id", errors);
    }
    if (!name && !parent_id && errors.empty()) {
      errors.add("name", "give a new name, a new parent_id, or both");
    }
    if (!errors.empty()) {
      co_return errors.response();
    }
    const Id id = context.ids[0];
    std::string new_name;
    Id new_parent = 0;
    auto check = [&](Store& store) -> std::optional<Response> {
      const auto node = store.resource(id);
      if (!node) {
        return no_resource();
      }
      const Access access = access_to(store, actor, node->class_id, node->subject_id);
      if (access != Access::write) {
        return access == Access::none ? no_resource() : not_the_teacher();
      }
      new_name = name.value_or(node->name);
      new_parent = parent_id.value_or(node->parent_id);
      const auto nodes = store.resources(node->class_id, node->subject_id);
      if (is_within(nodes, new_parent, id)) {
        return field_error("parent_id", "a folder cannot go inside itself");
      }
      return check_parent(nodes, new_parent, height_of(nodes, id));
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    ResourceWrite outcome = ResourceWrite::missing;
    auto update = [&](Store& store) {
      outcome = store.update_resource(id, new_name, new_parent, now);
      return store.resource(id);
    };
    const auto updated = co_await deps_.database.write(update);
    switch (outcome) {
      case ResourceWrite::done:
        co_return http::json_response(Status::ok, to_json(*updated));
      case ResourceWrite::name_taken:
        co_return name_taken();
      case ResourceWrite::missing:
        break;
    }
    co_return no_resource();
  }

  awaitable<Response> remove(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    auto check = [&](Store& store) -> std::optional<Response> {
      const auto node = store.resource(id);
      if (!node) {
        return no_resource();
      }
      const Access access = access_to(store, actor, node->class_id, node->subject_id);
      if (access != Access::write) {
        return access == Access::none ? no_resource() : not_the_teacher();
      }
      return std::nullopt;
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    auto erase = [&](Store& store) { return store.delete_resource(id); };
    const bool deleted = co_await deps_.database.write(erase);
    co_return deleted ? http::empty_response(Status::no_content) : no_resource();
  }

 private:
  static Response name_taken() {
    return http::error_response(Status::conflict, "name_taken",
                                "This folder already holds something with that name.");
  }

  Dependencies deps_;
};

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handlers = std::make_shared<Handlers>(dependencies);
  const auto bind = [&](auto member) {
    return guard::signed_in_member(dependencies.sessions, handlers, member);
  };
  using http::Verb;
  router.add({Verb::get, "/api/resources", "resources.list", 0, bind(&Handlers::list)});
  router.add({Verb::post, "/api/resources", "resources.create", kMaxRequestBodyBytes,
              bind(&Handlers::create)});
  router.add({Verb::patch, "/api/resources/{id}", "resources.update", kMaxRequestBodyBytes,
              bind(&Handlers::change)});
  router.add(
      {Verb::delete_, "/api/resources/{id}", "resources.delete", 0, bind(&Handlers::remove)});
}

}  // namespace cartable::resources
