// Homework: GET /api/homework (a list), GET /api/homework/{id}, and for teachers of the class and
// subject POST, PUT and DELETE.
#pragma once

#include "cache/class_versions.hpp"
#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::homework {

constexpr std::size_t kMaxTitleChars = 200;
constexpr std::size_t kMaxBodyChars = 5'000;
// A JSON body: title and body at up to 4 bytes a character, escaped, plus the other fields.
constexpr std::size_t kMaxRequestBodyBytes = 48 * 1024;
// Due dates and list windows stay within a year of today.
constexpr int kMaxDaysFromToday = 366;
constexpr std::size_t kMaxAttachments = 10;

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  const Clock& clock;
  // Bumped after every write, so cached day views of the class are rebuilt.
  ClassVersions& versions;
};

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::homework
