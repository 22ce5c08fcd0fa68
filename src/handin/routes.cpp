#include "handin/routes.hpp"

#include <boost/beast/http/field.hpp>
#include <charconv>
#include <map>
#include <set>

#include "common/civil_time.hpp"
#include "files/access.hpp"
#include "files/download.hpp"
#include "files/file_name.hpp"
#include "files/zip_archive.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/content_disposition.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"
#include "today/school_time.hpp"

namespace cartable::handin {

namespace {

using boost::asio::awaitable;
using guard::SessionClaims;
using guard::WorkAction;
using http::RequestContext;
using http::Response;
using http::Status;

Response no_homework() {
  return http::error_response(Status::not_found, "not_found", "No such homework.");
}

Response no_hand_in() {
  return http::error_response(Status::not_found, "not_found", "No such hand-in.");
}

Response not_the_teacher() {
  return http::error_response(Status::forbidden, "forbidden",
                              "Only a teacher of this class and subject may do this.");
}

boost::json::object to_json(const HandInRecord& hand_in) {
  boost::json::array files;
  for (const FileRecord& file : hand_in.files) {
    files.push_back(files::to_json(file));
  }
  boost::json::object json{{"id", hand_in.id},
                           {"homework_id", hand_in.homework_id},
                           {"pupil", cartable::to_json(hand_in.pupil)},
                           {"text", hand_in.text},
                           {"submitted_at", hand_in.submitted_at},
                           {"late", hand_in.late},
                           {"files", std::move(files)},
                           {"comment", hand_in.comment},
                           {"marked_at", hand_in.marked_at}};
  json["mark"] = hand_in.mark ? boost::json::value(*hand_in.mark) : nullptr;
  return json;
}

// Whose work a GET of /hand-in is about: the pupil themselves, or a parent's child (named by
// ?pupil_id=, or the only child of theirs in the class). 0 when it cannot be told.
Id whose_work(Store& store, const SessionClaims& actor, const HomeworkRecord& homework,
              std::optional<Id> asked) {
  if (asked) {
    return *asked;
  }
  if (actor.role == Role::pupil) {
    return actor.user_id;
  }
  Id only = 0;
  if (actor.role == Role::parent) {
    for (const ChildRecord& child : store.children(actor.user_id)) {
      if (child.school_class.id == homework.school_class.id) {
        if (only != 0) {
          return 0;
        }
        only = child.person.id;
      }
    }
  }
  return only;
}

// Why an actor may not act on a homework's work: 403 when they can see the homework (so know it
// exists), 404 when not.
Response refusal(Store& store, const SessionClaims& actor, const HomeworkRecord& homework) {
  const auto relation =
      relation_to_class(store, actor, homework.school_class.id, homework.subject.id);
  if (relation && guard::can(actor, guard::Action::read_class_work, *relation)) {
    return not_the_teacher();
  }
  return no_homework();
}

struct HandInInput {
  std::string text;
  std::vector<Id> file_ids;
};

std::optional<HandInInput> read_input(const RequestContext& context, std::size_t max_files,
                                      Response& error) {
  const auto body = http::parse_json_object(context.request, error);
  if (!body) {
    return std::nullopt;
  }
  http::FieldErrors errors;
  HandInInput input;
  input.text = errors.text(*body, "text", 0, kMaxTextChars, true).value_or("");
  input.file_ids = errors.id_list(*body, "file_ids", max_files).value_or(std::vector<Id>{});
  if (errors.empty() && input.text.empty() && input.file_ids.empty()) {
    errors.add("text", "hand in some text or at least one file");
  }
  if (!errors.empty()) {
    error = errors.response();
    return std::nullopt;
  }
  return input;
}

// "Dupont Marie", safe as a folder name in an archive.
std::string folder_name(const PersonRef& pupil) {
  std::string name = pupil.last_name + " " + pupil.first_name;
  for (char& c : name) {
    if (c == '/' || c == '\\') {
      c = '_';
    }
  }
  return name;
}

// "name.pdf", "name (2).pdf", ... so that no two entries of a folder share a path.
std::string unique_path(std::set<std::string>& taken, const std::string& folder,
                        const std::string& name) {
  std::string path = folder + "/" + name;
  const std::size_t dot = name.rfind('.');
  const std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
  const std::string extension = dot == std::string::npos ? "" : name.substr(dot);
  for (int n = 2; !taken.insert(path).second; ++n) {
    path = folder + "/" + stem + " (" + std::to_string(n) + ")" + extension;
  }
  return path;
}

std::vector<files::ZipEntry> archive_entries(const std::vector<HandInRecord>& hand_ins) {
  std::vector<files::ZipEntry> entries;
  std::set<std::string> taken;
  for (const HandInRecord& hand_in : hand_ins) {
    const std::string folder = folder_name(hand_in.pupil);
    const std::int64_t when = parse_utc_timestamp(hand_in.submitted_at).value_or(0);
    if (!hand_in.text.empty()) {
      entries.push_back(
          {unique_path(taken, folder, "texte.txt"), std::nullopt, hand_in.text, when});
    }
    for (const FileRecord& file : hand_in.files) {
      entries.push_back({unique_path(taken, folder, file.name), file, {}, when});
    }
  }
  return entries;
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> get_own(RequestContext& context, const SessionClaims& actor) {
    const Id homework_id = context.ids[0];
    bool malformed = false;
    const auto asked = http::query_id(context.query, "pupil_id", malformed);
    if (malformed) {
      http::FieldErrors errors;
      errors.add("pupil_id", "must be a positive integer");
      co_return errors.response();
    }
    auto answer = [&](Store& store) -> Response {
      const auto homework = store.homework(homework_id);
      if (!homework) {
        return no_homework();
      }
      const Id pupil_id = whose_work(store, actor, *homework, asked);
      const auto relation = relation_to_work(store, actor, *homework, pupil_id);
      if (!guard::can(actor, WorkAction::read_work, relation)) {
        return no_homework();
      }
      const auto hand_in = store.pupil_hand_in(homework_id, pupil_id);
      boost::json::object json{{"homework_id", homework_id}, {"pupil_id", pupil_id}};
      json["hand_in"] = hand_in ? boost::json::value(to_json(*hand_in)) : nullptr;
      json["may_hand_in"] =
          guard::can(actor, WorkAction::hand_in, relation) && !(hand_in && hand_in->mark);
      return http::json_response(Status::ok, json);
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> put_own(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto input = read_input(context, deps_.limits.max_files_per_item, error);
    if (!input) {
      co_return error;
    }
    const Id homework_id = context.ids[0];
    const std::int64_t now = deps_.clock.unix_seconds();
    HandInDraft draft{homework_id, actor.user_id, input->text, input->file_ids, false};
    auto check = [&](Store& store) -> std::optional<Response> {
      const auto homework = store.homework(homework_id);
      if (!homework) {
        return no_homework();
      }
      if (!guard::can(actor, WorkAction::hand_in,
                      relation_to_work(store, actor, *homework, actor.user_id))) {
        return actor.role == Role::pupil ? no_homework() : refusal(store, actor, *homework);
      }
      if (const auto stranger = files::first_not_owned(store, actor.user_id, draft.file_ids)) {
        http::FieldErrors errors;
        errors.add("file_ids", "no file " + std::to_string(*stranger) + " of yours");
        return errors.response();
      }
      const auto pupil = store.user(actor.user_id);
      const auto due = parse_date(homework->due_date);
      draft.late = pupil && due && today::school_now(pupil->school, now).date > *due;
      return std::nullopt;
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string stamp = format_utc_timestamp(now);
    HandInSaved saved = HandInSaved::created;
    auto save = [&](Store& store) {
      saved = store.save_hand_in(draft, stamp);
      return store.pupil_hand_in(homework_id, actor.user_id);
    };
    const auto hand_in = co_await deps_.database.write(save);
    if (saved == HandInSaved::already_marked) {
      co_return http::error_response(
          Status::conflict, "already_marked",
          "Your teacher has already marked this work; it can no longer be changed.");
    }
    co_return http::json_response(saved == HandInSaved::created ? Status::created : Status::ok,
                                  to_json(*hand_in));
  }

  awaitable<Response> list(RequestContext& context, const SessionClaims& actor) {
    const Id homework_id = context.ids[0];
    auto answer = [&](Store& store) -> Response {
      const auto homework = store.homework(homework_id);
      if (!homework) {
        return no_homework();
      }
      if (!guard::can(actor, WorkAction::review_work,
                      relation_to_work(store, actor, *homework, 0))) {
        return refusal(store, actor, *homework);
      }
      std::map<Id, HandInRecord> by_pupil;
      for (HandInRecord& hand_in : store.hand_ins(homework_id)) {
        by_pupil.emplace(hand_in.pupil.id, std::move(hand_in));
      }
      boost::json::array pupils;
      std::size_t handed_in = 0;
      std::size_t late = 0;
      std::size_t marked = 0;
      const auto add = [&](const PersonRef& pupil, const HandInRecord* hand_in) {
        boost::json::object row{{"pupil", cartable::to_json(pupil)}};
        row["status"] = hand_in == nullptr ? "missing" : hand_in->late ? "late" : "handed_in";
        row["hand_in"] = hand_in != nullptr ? boost::json::value(to_json(*hand_in)) : nullptr;
        if (hand_in != nullptr) {
          ++handed_in;
          late += hand_in->late ? 1 : 0;
          marked += hand_in->mark ? 1 : 0;
        }
        pupils.push_back(std::move(row));
      };
      const std::vector<PersonRef> class_pupils = store.class_pupils(homework->school_class.id);
      for (const PersonRef& pupil : class_pupils) {
        const auto found = by_pupil.find(pupil.id);
        add(pupil, found == by_pupil.end() ? nullptr : &found->second);
        if (found != by_pupil.end()) {
          by_pupil.erase(found);
        }
      }
      for (const auto& [pupil_id, hand_in] : by_pupil) {  // pupils who have left the class
        add(hand_in.pupil, &hand_in);
      }
      const std::size_t total = pupils.size();
      return http::json_response(Status::ok, {{"homework", cartable::to_json(*homework)},
                                              {"pupils", std::move(pupils)},
                                              {"counts",
                                               {{"pupils", total},
                                                {"handed_in", handed_in},
                                                {"late", late},
                                                {"missing", total - handed_in},
                                                {"marked", marked}}}});
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> archive(RequestContext& context, const SessionClaims& actor) {
    const Id homework_id = context.ids[0];
    struct Found {
      std::optional<Response> refusal;
      HomeworkRecord homework;
      std::vector<HandInRecord> hand_ins;
    };
    auto find = [&](Store& store) -> Found {
      const auto homework = store.homework(homework_id);
      if (!homework) {
        return {no_homework(), {}, {}};
      }
      if (!guard::can(actor, WorkAction::review_work,
                      relation_to_work(store, actor, *homework, 0))) {
        return {refusal(store, actor, *homework), {}, {}};
      }
      auto hand_ins = store.hand_ins(homework_id);
      std::sort(hand_ins.begin(), hand_ins.end(), [](const auto& a, const auto& b) {
        return std::tie(a.pupil.last_name, a.pupil.first_name, a.pupil.id) <
               std::tie(b.pupil.last_name, b.pupil.first_name, b.pupil.id);
      });
      return {std::nullopt, *homework, std::move(hand_ins)};
    };
    Found found = co_await deps_.database.read(find);
    if (found.refusal) {
      co_return std::move(*found.refusal);
    }
    auto planned =
        files::ZipArchive::plan(archive_entries(found.hand_ins), deps_.blobs, deps_.file_pool);
    if (!planned) {
      co_return http::error_response(
          Status::payload_too_large, "archive_too_large",
          "These hand-ins are too large for one archive; download them one by one.");
    }
    const HomeworkRecord& homework = found.homework;
    std::string name = homework.school_class.name + " - " + homework.subject.name + " - " +
                       homework.title + ".zip";
    for (char& c : name) {
      if (c == '/' || c == '\\') {
        c = '_';
      }
    }
    Response response{Status::ok, 11};
    response.set(boost::beast::http::field::content_type, "application/zip");
    response.set(boost::beast::http::field::content_disposition,
                 http::content_disposition("attachment", name));
    response.body().source = std::move(*planned);
    co_return response;
  }

  awaitable<Response> get_one(RequestContext& context, const SessionClaims& actor) {
    const Id hand_in_id = context.ids[0];
    auto answer = [&](Store& store) -> Response {
      const auto hand_in = store.hand_in(hand_in_id);
      const auto homework = hand_in ? store.homework(hand_in->homework_id) : std::nullopt;
      if (!homework || !guard::can(actor, WorkAction::read_work,
                                   relation_to_work(store, actor, *homework, hand_in->pupil.id))) {
        return no_hand_in();
      }
      return http::json_response(Status::ok, to_json(*hand_in));
    };
    co_return co_await deps_.database.read(answer);
  }

  awaitable<Response> mark(RequestContext& context, const SessionClaims& actor) {
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    const auto mark = errors.text(*body, "mark", 1, kMaxMarkChars);
    const auto comment = errors.text(*body, "comment", 0, kMaxCommentChars, true);
    if (!errors.empty()) {
      co_return errors.response();
    }
    const Id hand_in_id = context.ids[0];
    auto check = [&](Store& store) -> std::optional<Response> {
      const auto hand_in = store.hand_in(hand_in_id);
      const auto homework = hand_in ? store.homework(hand_in->homework_id) : std::nullopt;
      if (!homework) {
        return no_hand_in();
      }
      const auto relation = relation_to_work(store, actor, *homework, hand_in->pupil.id);
      if (guard::can(actor, WorkAction::review_work, relation)) {
        return std::nullopt;
      }
      return guard::can(actor, WorkAction::read_work, relation) ? not_the_teacher() : no_hand_in();
    };
    if (auto refused = co_await deps_.database.read(check)) {
      co_return std::move(*refused);
    }
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    auto save = [&](Store& store) -> std::optional<HandInRecord> {
      if (!store.mark_hand_in(hand_in_id, *mark, comment.value_or(""), actor.user_id, now)) {
        return std::nullopt;
      }
      return store.hand_in(hand_in_id);
    };
    const auto marked = co_await deps_.database.write(save);
    if (!marked) {
      co_return no_hand_in();
    }
    co_return http::json_response(Status::ok, to_json(*marked));
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
  using http::Verb;
  router.add(
      {Verb::get, "/api/homework/{id}/hand-in", "hand_in.get_own", 0, bind(&Handlers::get_own)});
  router.add({Verb::put, "/api/homework/{id}/hand-in", "hand_in.put_own", kMaxRequestBodyBytes,
              bind(&Handlers::put_own)});
  router.add({Verb::get, "/api/homework/{id}/hand-ins", "hand_in.list", 0, bind(&Handlers::list)});
  router.add({Verb::get, "/api/homework/{id}/hand-ins.zip", "hand_in.archive", 0,
              bind(&Handlers::archive)});
  router.add({Verb::get, "/api/hand-ins/{id}", "hand_in.get", 0, bind(&Handlers::get_one)});
  router.add({Verb::put, "/api/hand-ins/{id}/mark", "hand_in.mark", kMaxRequestBodyBytes,
              bind(&Handlers::mark)});
}

}  // namespace cartable::handin
