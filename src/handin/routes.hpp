// Handing in homework, and the teacher's side of it:
//   GET  /api/homework/{id}/hand-in       a pupil's own hand-in (a parent's child's: ?pupil_id=)
//   PUT  /api/homework/{id}/hand-in       a pupil hands in text and/or uploaded files, or replaces
//                                         them until the teacher has marked the work
//   GET  /api/homework/{id}/hand-ins      the teacher's overview: every pupil, handed in / late /
//                                         missing
//   GET  /api/homework/{id}/hand-ins.zip  every hand-in in one archive, a folder per pupil
//   GET  /api/hand-ins/{id}               one hand-in, for its pupil, their parents, the teacher
//   PUT  /api/hand-ins/{id}/mark          the teacher's mark and comment
// Rules in guard/policy (WorkAction). A hand-in is acknowledged (201/200) only once it is durable.
#pragma once

#include "common/clock.hpp"
#include "common/work_pool.hpp"
#include "files/blob_store.hpp"
#include "files/options.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::handin {

constexpr std::size_t kMaxTextChars = 20'000;
constexpr std::size_t kMaxMarkChars = 20;
constexpr std::size_t kMaxCommentChars = 2'000;
constexpr std::size_t kMaxRequestBodyBytes = 128 * 1024;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  const files::BlobStore& blobs;
  WorkPool& file_pool;
  files::FileLimits limits;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::handin
