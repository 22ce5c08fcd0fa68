#include "files/routes.hpp"

#include <unordered_set>

#include "common/civil_time.hpp"
#include "files/access.hpp"
#include "files/download.hpp"
#include "files/file_name.hpp"
#include "files/upload.hpp"
#include "guard/signed_in.hpp"
#include "http/json_body.hpp"

namespace cartable::files {

namespace {

using boost::asio::awaitable;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

// An upload never attached to anything is kept this long (the pupil may still be writing the
// hand-in it is for).
constexpr std::int64_t kUnattachedSeconds = 24 * 3600;

std::uint64_t left(std::uint64_t quota, std::uint64_t used) {
  return used >= quota ? 0 : quota - used;
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> upload(RequestContext& context, const SessionClaims& actor) {
    std::string raw_name;
    for (const auto& param : context.query) {
      if (param.key == "name") {
        raw_name = param.value;
      }
    }
    auto checked = check_file_name(raw_name);
    if (const auto* error = std::get_if<FileNameError>(&checked)) {
      http::FieldErrors errors;
      errors.add("name", error->message);
      co_return errors.response();
    }
    const std::string name = std::get<std::string>(std::move(checked));
    const auto declared = context.body->declared_size();
    if (declared && *declared == 0) {
      co_return http::error_response(Status::bad_request, "empty_file", "The file is empty.");
    }

    auto usage = [&actor](Store& store) {
      return store.storage_use(actor.user_id, actor.school_id);
    };
    const StorageUse used = co_await deps_.database.read(usage);
    const Allowance allowance = allowance_for(used);
    if (allowance.bytes == 0 || (declared && *declared > allowance.bytes)) {
      co_return too_large(allowance);
    }

    Received received = co_await receive(*context.body, deps_.blobs, deps_.pool, allowance, name);
    if (!received.blob) {
      co_return std::move(*received.refusal);
    }
    const FileDraft draft{received.blob->sha256,
                          received.blob->size,
                          received.blob->crc32,
                          std::string(received.type.mime),
                          name_with_extension(name, received.type),
                          actor.user_id,
                          actor.school_id};
    const std::string now = format_utc_timestamp(deps_.clock.unix_seconds());
    // Quotas are checked again with the write: two uploads at once must not both fit in the
    // space of one. A refused blob may stay on disk until the next start-up's sweep.
    auto insert = [&](Store& store) -> std::optional<FileRecord> {
      const Allowance now_left = allowance_for(store.storage_use(actor.user_id, actor.school_id));
      if (draft.size > now_left.bytes) {
        return std::nullopt;
      }
      return store.file(store.create_file(draft, now));
    };
    const auto created = co_await deps_.database.write(insert);
    if (!created) {
      co_return too_large(allowance_for(used));
    }
    Response response = http::json_response(Status::created, to_json(*created));
    response.set(boost::beast::http::field::location, "/api/files/" + std::to_string(created->id));
    co_return response;
  }

  awaitable<Response> download(RequestContext& context, const SessionClaims& actor) {
    const Id id = context.ids[0];
    auto find = [&](Store& store) -> std::optional<FileRecord> {
      auto file = store.file(id);
      if (!file || !may_read(store, actor, *file)) {
        return std::nullopt;
      }
      return file;
    };
    const auto file = co_await deps_.database.read(find);
    if (!file) {
      co_return http::error_response(Status::not_found, "not_found", "No such file.");
    }
    co_return co_await send(context, *file, deps_.blobs, deps_.pool);
  }

 private:
  Allowance allowance_for(const StorageUse& used) const {
    const std::uint64_t quota_left =
        std::min(left(deps_.limits.user_quota_bytes, used.user_bytes),
                 left(deps_.limits.school_quota_bytes, used.school_bytes));
    if (quota_left < deps_.limits.max_file_bytes) {
      return {quota_left, true};
    }
    return {deps_.limits.max_file_bytes, false};
  }

  Dependencies deps_;
};

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handlers = std::make_shared<Handlers>(dependencies);
  const auto bind = [&](auto member) {
    return guard::signed_in_member(dependencies.sessions, handlers, member);
  };
  http::Route upload{http::Verb::post, "/api/files", "files.upload",
                     static_cast<std::size_t>(dependencies.limits.max_file_bytes),
                     bind(&Handlers::upload)};
  upload.streams_body = true;
  router.add(std::move(upload));
  router.add({http::Verb::get, "/api/files/{id}", "files.download", 0, bind(&Handlers::download)});
}

std::size_t collect_garbage(Store& store, const BlobStore& blobs, const Clock& clock) {
  store.delete_unattached_files(format_utc_timestamp(clock.unix_seconds() - kUnattachedSeconds));
  const std::vector<std::string> hashes = store.file_hashes();
  return blobs.sweep(std::unordered_set<std::string>(hashes.begin(), hashes.end()));
}

}  // namespace cartable::files
