#include "classes/routes.hpp"

#include <map>

#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"

namespace cartable::classes {

namespace {

using boost::asio::awaitable;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

// One entry per subject, with its teachers, in the store's order (by subject name).
boost::json::array subjects_json(const std::vector<ClassSubjectRecord>& taught) {
  boost::json::array subjects;
  std::map<Id, std::size_t> index_of;
  for (const ClassSubjectRecord& record : taught) {
    const auto [entry, fresh] = index_of.try_emplace(record.subject.id, subjects.size());
    if (fresh) {
      boost::json::object subject = to_json(record.subject);
      subject["teachers"] = boost::json::array{};
      subjects.push_back(std::move(subject));
    }
    subjects[entry->second].as_object()["teachers"].as_array().push_back(to_json(record.teacher));
  }
  return subjects;
}

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  Database& database = dependencies.database;
  auto subjects = [&database](RequestContext& context,
                              const SessionClaims& actor) -> awaitable<Response> {
    const Id class_id = context.ids[0];
    auto answer = [&](Store& store) -> Response {
      const auto relation = relation_to_class(store, actor, class_id, 0);
      const auto school_class = store.school_class(class_id);
      if (!relation || !school_class ||
          !guard::can(actor, guard::Action::read_class_work, *relation)) {
        return http::error_response(Status::not_found, "not_found", "No such class.");
      }
      return http::json_response(
          Status::ok, {{"class", to_json(NamedRef{school_class->id, school_class->name})},
                       {"subjects", subjects_json(store.class_subjects(class_id))}});
    };
    co_return co_await database.read(answer);
  };
  router.add({http::Verb::get, "/api/classes/{id}/subjects", "classes.subjects", 0,
              guard::signed_in(dependencies.sessions, std::move(subjects))});
}

}  // namespace cartable::classes
