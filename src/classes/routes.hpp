// What a class is made of, for those who belong to it (its pupils, their parents, its teachers,
// the school's staff):
//   GET /api/classes/{id}/subjects   the subjects taught in the class, and by whom
// so that pages by subject (documents, grades) offer every subject, not only today's.
#pragma once

#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::classes {

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::classes
