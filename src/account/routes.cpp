#include "account/routes.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>

#include "guard/signed_in.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"

namespace cartable::account {

namespace {

using boost::asio::awaitable;
using http::RequestContext;
using http::Response;
using http::Status;

std::string normalise_login(std::string_view login) {
  std::string normal(login);
  for (char& c : normal) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return normal;
}

Response invalid_credentials() {
  return http::error_response(Status::unauthorized, "invalid_credentials",
                              "Wrong login or password.");
}

Response too_many_attempts(std::chrono::seconds wait) {
  return http::retry_later(Status::too_many_requests, "too_many_attempts",
                           "Too many attempts; wait before trying again.",
                           static_cast<unsigned>(wait.count()));
}

struct Profile {
  UserRecord user;
  std::vector<ChildRecord> children;
  std::vector<TeachingRecord> teachings;
};

std::optional<Profile> load_profile(Store& store, Id user_id) {
  auto user = store.user(user_id);
  if (!user) {
    return std::nullopt;
  }
  Profile profile{std::move(*user), {}, {}};
  if (profile.user.role == Role::parent) {
    profile.children = store.children(user_id);
  }
  if (profile.user.role == Role::teacher) {
    profile.teachings = store.teachings(user_id);
  }
  return profile;
}

boost::json::object profile_json(const Profile& profile, const std::string& csrf) {
  boost::json::array children;
  for (const auto& child : profile.children) {
    children.push_back(to_json(child));
  }
  boost::json::array teaching;
  for (const auto& item : profile.teachings) {
    teaching.push_back(to_json(item));
  }
  return {{"user", to_json(profile.user)},
          {"csrf_token", csrf},
          {"children", std::move(children)},
          {"teaching", std::move(teaching)}};
}

class Handlers {
 public:
  explicit Handlers(Dependencies dependencies) : deps_(dependencies) {}

  awaitable<Response> sign_in(RequestContext& context) {
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    const auto login = errors.text(*body, "login", 1, 64);
    const auto* password_value = body->if_contains("password");
    const auto remember = errors.boolean(*body, "remember", false);
    if (password_value == nullptr || !password_value->is_string() ||
        password_value->as_string().empty()) {
      errors.add("password", "required");
    } else if (password_value->as_string().size() > guard::kMaxPasswordBytes) {
      errors.add("password", "too long");
    }
    if (!errors.empty() || password_value == nullptr) {
      co_return errors.response();
    }
    const std::string normal_login = normalise_login(*login);
    const std::string password(password_value->as_string());

    if (const auto wait = deps_.throttle.check(normal_login, context.peer.address)) {
      co_return too_many_attempts(*wait);
    }
    auto find_credentials = [&](Store& store) { return store.credentials(normal_login); };
    const auto credentials = co_await deps_.database.read(find_credentials);
    // An unknown login or an account without a password is checked against a decoy hash, so it
    // answers as late and as alike as a wrong password.
    const std::string hash = credentials && !credentials->password_hash.empty()
                                 ? credentials->password_hash
                                 : guard::decoy_hash(deps_.password_cost);
    auto verify = [&] { return guard::verify_password(password, hash); };
    const bool matched = co_await deps_.hash_pool.run(verify);
    if (!matched || !credentials || credentials->password_hash.empty()) {
      deps_.throttle.record_failure(normal_login, context.peer.address);
      co_return invalid_credentials();
    }
    deps_.throttle.record_success(normal_login);
    co_await rehash_if_needed(*credentials, password);

    const Id user_id = credentials->user_id;
    auto load = [&](Store& store) { return load_profile(store, user_id); };
    const auto profile = co_await deps_.database.read(load);
    if (!profile) {
      co_return invalid_credentials();
    }
    const auto claims = deps_.sessions.start(user_id, credentials->role, credentials->school_id,
                                             remember.value_or(false));
    Response response =
        http::json_response(Status::ok, profile_json(*profile, deps_.sessions.csrf_token(claims)));
    response.set(boost::beast::http::field::set_cookie, deps_.sessions.set_cookie(claims));
    co_return response;
  }

  awaitable<Response> sign_out(RequestContext&, const guard::SessionClaims& claims) {
    const std::string id = guard::session_id_hex(claims.session_id);
    const std::int64_t expires = claims.expires_at;
    auto revoke = [&](Store& store) { store.revoke_session(id, expires); };
    co_await deps_.database.write(revoke);
    deps_.sessions.revoke(claims);
    Response response = http::empty_response(Status::no_content);
    response.set(boost::beast::http::field::set_cookie, deps_.sessions.clear_cookie());
    co_return response;
  }

  awaitable<Response> me(RequestContext&, const guard::SessionClaims& claims) {
    const Id user_id = claims.user_id;
    auto load = [&](Store& store) { return load_profile(store, user_id); };
    const auto profile = co_await deps_.database.read(load);
    if (!profile) {
      co_return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
    }
    co_return http::json_response(Status::ok,
                                  profile_json(*profile, deps_.sessions.csrf_token(claims)));
  }

 private:
  // Costs changed since this password was hashed: upgrade it now that we know it.
  awaitable<void> rehash_if_needed(const Credentials& credentials, const std::string& password) {
    if (!guard::needs_rehash(credentials.password_hash, deps_.password_cost)) {
      co_return;
    }
    try {
      const auto cost = deps_.password_cost;
      auto rehash = [&] { return guard::hash_password(password, cost); };
      const std::string hash = co_await deps_.hash_pool.run(rehash);
      const Id user_id = credentials.user_id;
      auto store_hash = [&](Store& store) { store.set_password_hash(user_id, hash); };
      co_await deps_.database.write(store_hash);
    } catch (const PoolOverloaded&) {
      // Not now; the next sign-in will try again.
    }
  }

  Dependencies deps_;
};

}  // namespace

void add_routes(http::Router& router, Dependencies dependencies) {
  auto handlers = std::make_shared<Handlers>(dependencies);
  router.add({http::Verb::post, "/api/session", "session.create", kMaxSignInBodyBytes,
              [handlers](RequestContext& context) { return handlers->sign_in(context); }});
  router.add(
      {http::Verb::delete_, "/api/session", "session.delete", 0,
       guard::signed_in(dependencies.sessions,
                        [handlers](RequestContext& context, const guard::SessionClaims& claims) {
                          return handlers->sign_out(context, claims);
                        })});
  router.add(
      {http::Verb::get, "/api/me", "me.get", 0,
       guard::signed_in(dependencies.sessions,
                        [handlers](RequestContext& context, const guard::SessionClaims& claims) {
                          return handlers->me(context, claims);
                        })});
}

}  // namespace cartable::account
