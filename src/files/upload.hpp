// Receiving an upload: the request body goes, piece by piece, through the files pool into a blob
// (never whole in memory), and is accepted only when complete, within its allowance, and of a
// recognised type. Anything else leaves no file and no temp file behind.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>

#include "common/work_pool.hpp"
#include "files/blob_store.hpp"
#include "files/media_type.hpp"
#include "http/response.hpp"

namespace cartable::files {

struct Allowance {
  std::uint64_t bytes = 0;  // the most this upload may take
  bool by_quota = false;    // the limit is what is left of a quota, not the per-file limit
};

struct Received {
  std::optional<Blob> blob;  // set on success
  MediaType type;
  std::optional<http::Response> refusal;  // otherwise: why (400, 408, 413, 415)
};

// Reads `body` to its end into the blob store. `file_name` helps tell apart container formats.
boost::asio::awaitable<Received> receive(net::BodyStream& body, const BlobStore& blobs,
                                         WorkPool& pool, Allowance allowance,
                                         std::string_view file_name);

// The 413 for an upload beyond its allowance.
http::Response too_large(const Allowance& allowance);

}  // namespace cartable::files
