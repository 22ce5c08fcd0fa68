// A class's documents, per subject: a tree of folders and documents that the subject's teachers
// write and the class reads (its pupils, their parents, its teachers, the school's staff).
//   GET    /api/resources?class_id=&subject_id=   the whole tree
//   POST   /api/resources                         a folder, or a document from one's own upload
//   PATCH  /api/resources/{id}                    rename and/or move (within the class and subject)
//   DELETE /api/resources/{id}                    a document, or a folder with all it holds
// The documents' bytes come from GET /api/files/{id}, which asks the same rule.
#pragma once

#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::resources {

constexpr std::size_t kMaxNodesPerSubject = 1000;
constexpr int kMaxDepth = 8;
constexpr std::size_t kMaxRequestBodyBytes = 4 * 1024;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::resources
