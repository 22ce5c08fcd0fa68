#include "files/download.hpp"

#include <unistd.h>

#include <boost/beast/http/field.hpp>
#include <cerrno>
#include <charconv>
#include <system_error>

#include "common/etag.hpp"
#include "files/file_name.hpp"
#include "files/media_type.hpp"
#include "http/content_disposition.hpp"

namespace cartable::files {

namespace {

using boost::beast::http::field;
using http::Status;

constexpr std::size_t kPieceBytes = 128 * 1024;

// Nothing in a downloaded file may run or load anything, even if a browser renders it.
constexpr std::string_view kFileSecurityPolicy =
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox; "
    "frame-ancestors 'self'";

struct ByteRange {
  std::uint64_t first = 0;
  std::uint64_t length = 0;
};

std::optional<std::uint64_t> parse_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// A single range of "bytes=first-last", "bytes=first-" or "bytes=-suffix". `satisfiable` false:
// a well-formed range outside the file (416). Anything else (several ranges, other units,
// malformed) is ignored, as RFC 9110 allows, and the whole file is sent.
struct RangeRequest {
  std::optional<ByteRange> range;
  bool satisfiable = true;
};

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
  RangeRequest request;
  if (!header.starts_with("bytes=") || header.find(',') != std::string_view::npos) {
    return request;
  }
  header.remove_prefix(6);
  const std::size_t dash = header.find('-');
  if (dash == std::string_view::npos) {
    return request;
  }
  const std::string_view first_text = header.substr(0, dash);
  const std::string_view last_text = header.substr(dash + 1);
  if (first_text.empty()) {
    const auto suffix = parse_number(last_text);
    if (!suffix) {
      return request;
    }
    if (*suffix == 0) {
      request.satisfiable = false;
      return request;
    }
    const std::uint64_t length = std::min(*suffix, size);
    request.range = ByteRange{size - length, length};
    return request;
  }
  const auto first = parse_number(first_text);
  const auto last =
      last_text.empty() ? std::optional<std::uint64_t>(size - 1) : parse_number(last_text);
  if (!first || !last) {
    return request;
  }
  if (*first >= size) {
    request.satisfiable = false;
    return request;
  }
  if (*last < *first) {
    return request;
  }
  request.range = ByteRange{*first, std::min(*last, size - 1) - *first + 1};
  return request;
}

bool wants_inline(const http::RequestContext& context) {
  for (const auto& param : context.query) {
    if (param.key == "disposition" && param.value == "inline") {
      return true;
    }
  }
  return false;
}

bool is_viewable(std::string_view media_type) {
  return media_type == "application/pdf" || media_type.starts_with("image/") ||
         media_type.starts_with("audio/") || media_type.starts_with("video/");
}

}  // namespace

BlobSource::BlobSource(UniqueFd fd, std::uint64_t offset, std::uint64_t length, WorkPool& pool)
    : fd_(std::move(fd)),
      offset_(offset),
      length_(length),
      remaining_(length),
      pool_(pool),
      buffer_(std::min<std::uint64_t>(kPieceBytes, std::max<std::uint64_t>(length, 1))) {}

boost::asio::awaitable<std::span<const char>> BlobSource::next() {
  if (remaining_ == 0) {
    co_return std::span<const char>{};
  }
  auto read = [this]() -> std::size_t {
    const std::size_t want = std::min<std::uint64_t>(buffer_.size(), remaining_);
    const ssize_t got = ::pread(fd_.get(), buffer_.data(), want, static_cast<off_t>(offset_));
    if (got <= 0) {
      throw std::system_error(got < 0 ? errno : EIO, std::generic_category(), "read blob");
    }
    return static_cast<std::size_t>(got);
  };
  const std::size_t got = co_await pool_.run(read);
  offset_ += got;
  remaining_ -= got;
  co_return std::span<const char>(buffer_.data(), got);
}

boost::asio::awaitable<UniqueFd> open_blob(const BlobStore& blobs, WorkPool& pool,
                                           const std::string& sha256) {
  auto open = [&blobs, &sha256] { return blobs.open(sha256); };
  co_return co_await pool.run(open);
}

boost::asio::awaitable<http::Response> send(http::RequestContext& context, const FileRecord& file,
                                            const BlobStore& blobs, WorkPool& pool) {
  const std::string etag = "\"" + file.sha256 + "\"";
  const auto& request = context.request;
  const bool inline_view = wants_inline(context) && is_viewable(file.media_type);

  http::Response response;
  response.set(field::etag, etag);
  response.set(field::cache_control, "private, no-cache");
  response.set(field::accept_ranges, "bytes");
  response.set("Content-Security-Policy", kFileSecurityPolicy);
  if (etag_matches(request[field::if_none_match], etag)) {
    response.result(Status::not_modified);
    co_return response;
  }

  RangeRequest range;
  const auto if_range = request[field::if_range];
  if (if_range.empty() || if_range == etag) {
    range = parse_range(request[field::range], file.size);
  }
  if (!range.satisfiable) {
    http::Response refusal = http::error_response(Status::range_not_satisfiable, "bad_range",
                                                  "The range is outside the file.");
    refusal.set(field::content_range, "bytes */" + std::to_string(file.size));
    co_return refusal;
  }
  const ByteRange bytes = range.range.value_or(ByteRange{0, file.size});
  UniqueFd fd = co_await open_blob(blobs, pool, file.sha256);
  response.result(range.range ? Status::partial_content : Status::ok);
  if (range.range) {
    response.set(field::content_range, "bytes " + std::to_string(bytes.first) + "-" +
                                           std::to_string(bytes.first + bytes.length - 1) + "/" +
                                           std::to_string(file.size));
  }
  response.set(field::content_type, file.media_type);
  response.set(field::content_disposition,
               http::content_disposition(inline_view ? "inline" : "attachment", file.name));
  response.body().source =
      std::make_shared<BlobSource>(std::move(fd), bytes.first, bytes.length, pool);
  co_return response;
}

boost::json::object to_json(const FileRecord& file) {
  return {{"id", file.id},
          {"name", file.name},
          {"size", file.size},
          {"media_type", file.media_type},
          {"url", "/api/files/" + std::to_string(file.id)},
          {"created_at", file.created_at}};
}

}  // namespace cartable::files
