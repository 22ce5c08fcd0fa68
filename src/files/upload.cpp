#include "files/upload.hpp"

#include <vector>

namespace cartable::files {

namespace {

using http::Status;

// Large enough that a fast upload costs few pool hops, small enough to hold for many at once.
constexpr std::size_t kPieceBytes = 64 * 1024;

http::Response refusal_for(net::BodyError error) {
  switch (error) {
    case net::BodyError::timeout:
      return http::error_response(Status::request_timeout, "upload_timeout",
                                  "The upload stalled; nothing was kept. Try again.");
    case net::BodyError::malformed:
      return http::error_response(Status::bad_request, "bad_upload",
                                  "The upload's encoding is invalid; nothing was kept.");
    case net::BodyError::too_large:
    case net::BodyError::closed:
    case net::BodyError::none:
      break;
  }
  return http::error_response(Status::bad_request, "upload_interrupted",
                              "The upload did not arrive whole; nothing was kept.");
}

}  // namespace

http::Response too_large(const Allowance& allowance) {
  if (allowance.by_quota) {
    return http::error_response(
        Status::payload_too_large, "quota_exceeded",
        "This file does not fit in the storage left to you or your school (" +
            std::to_string(allowance.bytes >> 10) + " KiB left).");
  }
  return http::error_response(
      Status::payload_too_large, "file_too_large",
      "Files may be at most " + std::to_string(allowance.bytes >> 20) + " MiB.");
}

boost::asio::awaitable<Received> receive(net::BodyStream& body, const BlobStore& blobs,
                                         WorkPool& pool, Allowance allowance,
                                         std::string_view file_name) {
  Received result;
  auto begin = [&blobs] { return blobs.begin(); };
  std::unique_ptr<BlobStore::Writer> writer = co_await pool.run(begin);
  // Dropping an unfinished writer removes its temp file; done on the pool like all disk work.
  auto discard = [&writer] { writer.reset(); };

  std::vector<char> buffer(kPieceBytes);
  std::span<const char> piece;
  auto append = [&writer, &piece] { writer->append(piece); };
  for (;;) {
    const std::span<char> space(buffer);
    const net::BodyStream::Chunk chunk = co_await body.read_some(space);
    if (chunk.error == net::BodyError::too_large ||
        (chunk.error == net::BodyError::none && writer->size() + chunk.size > allowance.bytes)) {
      result.refusal = too_large(allowance);
      break;
    }
    if (chunk.error != net::BodyError::none) {
      result.refusal = refusal_for(chunk.error);
      break;
    }
    if (chunk.size == 0) {
      break;
    }
    piece = std::span<const char>(buffer.data(), chunk.size);
    co_await pool.run(append);
  }
  if (!result.refusal && writer->size() == 0) {
    result.refusal = http::error_response(Status::bad_request, "empty_file", "The file is empty.");
  }
  if (!result.refusal) {
    if (const auto type = recognise(writer->head(), file_name)) {
      result.type = *type;
    } else {
      result.refusal = http::error_response(
          Status::unsupported_media_type, "unsupported_type",
          "This kind of file is not accepted. Accepted: " + std::string(accepted_kinds()) + ".");
    }
  }
  if (result.refusal) {
    co_await pool.run(discard);
    co_return result;
  }
  auto commit = [&writer] { return writer->commit(); };
  result.blob = co_await pool.run(commit);
  co_return result;
}

}  // namespace cartable::files
