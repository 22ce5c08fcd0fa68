// Sending a stored file: only ever through a route that has checked the reader's right to it.
// Answers conditional requests (ETag, If-None-Match → 304) and single byte ranges (206, 416, with
// If-Range), streams the bytes from the files pool, and sends them so no browser runs them: a
// download disposition (inline only for types a browser shows safely), nosniff, and a sandboxing
// Content-Security-Policy.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "common/work_pool.hpp"
#include "files/blob_store.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace cartable::files {

// Reads a blob's bytes [offset, offset + length) a piece at a time on `pool`.
class BlobSource final : public net::BodySource {
 public:
  BlobSource(UniqueFd fd, std::uint64_t offset, std::uint64_t length, WorkPool& pool);
  std::uint64_t size() const override { return length_; }
  boost::asio::awaitable<std::span<const char>> next() override;

 private:
  UniqueFd fd_;
  std::uint64_t offset_;
  std::uint64_t length_;
  std::uint64_t remaining_;
  WorkPool& pool_;
  std::vector<char> buffer_;
};

// Opens the blob on `pool` (disk work).
boost::asio::awaitable<UniqueFd> open_blob(const BlobStore& blobs, WorkPool& pool,
                                           const std::string& sha256);

// The response for `file` to this request. `?disposition=inline` asks to view it in the browser,
// granted for PDF, images, audio and video only.
boost::asio::awaitable<http::Response> send(http::RequestContext& context, const FileRecord& file,
                                            const BlobStore& blobs, WorkPool& pool);

// The file as the API describes it.
boost::json::object to_json(const FileRecord& file);

}  // namespace cartable::files
