// Files: POST /api/files?name=... (the body is the file, streamed to the blob store) and
// GET /api/files/{id} (download, for whoever may read it: files/access.hpp).
#pragma once

#include "common/clock.hpp"
#include "common/work_pool.hpp"
#include "files/blob_store.hpp"
#include "files/options.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::files {

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  const BlobStore& blobs;
  WorkPool& pool;  // disk work: blob reads and writes
  FileLimits limits;
};

void add_routes(http::Router& router, Dependencies dependencies);

// Start-up housekeeping, before serving: forgets uploads never attached to anything after a day,
// then removes the blobs no file names. Returns the number of blobs removed.
std::size_t collect_garbage(Store& store, const BlobStore& blobs, const Clock& clock);

}  // namespace cartable::files
