// Signing in and out, and who am I: POST /api/session, DELETE /api/session, GET /api/me.
#pragma once

#include "common/work_pool.hpp"
#include "guard/login_throttle.hpp"
#include "guard/password.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace cartable::account {

struct Dependencies {
  Database& database;
  guard::Sessions& sessions;
  guard::LoginThrottle& throttle;
  WorkPool& hash_pool;
  guard::PasswordCost password_cost;
};

// Largest sign-in body: a login, a password of kMaxPasswordBytes and a flag, JSON-escaped.
constexpr std::size_t kMaxSignInBodyBytes = 2 * 1024;

void add_routes(http::Router& router, Dependencies dependencies);

}  // namespace cartable::account
