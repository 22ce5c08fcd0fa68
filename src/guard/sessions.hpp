// Signed-in sessions: the cookie, its renewal (sliding expiry), revocation and CSRF checks.
// Verifying a request's session costs one HMAC and a look-up in an in-memory deny-list.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/clock.hpp"
#include "guard/session_token.hpp"
#include "http/cookies.hpp"
#include "net/http_service.hpp"

namespace cartable::guard {

struct SessionOptions {
  // A session without "stay signed in": a browser-session cookie, expiring after this long idle.
  std::chrono::seconds idle_lifetime = std::chrono::hours(12);
  // "Stay signed in" on a personal device: survives browser restarts, slides on each use.
  std::chrono::seconds remembered_lifetime = std::chrono::days(30);
  // A token is renewed (new expiry) on a request made at least this long after it was issued.
  std::chrono::seconds renew_after = std::chrono::hours(1);
  bool secure_cookies = true;  // HTTPS (directly or behind a proxy): Secure cookies
};

class Sessions {
 public:
  static constexpr std::string_view kCookieName = "cartable_session";
  static constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

  Sessions(const Clock& clock, std::shared_ptr<const SessionKeys> keys, SessionOptions options);

  // The verified, unrevoked session of the request's cookie; nullopt when absent or refused.
  std::optional<SessionClaims> authenticate(const net::Request& request) const;

  SessionClaims start(std::int64_t user_id, Role role, std::int64_t school_id, bool remember) const;
  // The renewed claims when `claims` is due for renewal; nullopt otherwise.
  std::optional<SessionClaims> renewal(const SessionClaims& claims) const;
  std::string set_cookie(const SessionClaims& claims) const;
  std::string clear_cookie() const;

  std::string csrf_token(const SessionClaims& claims) const;
  // State-changing requests: the CSRF header must match the session, and an Origin header, when
  // present, must name the host the request was sent to.
  bool csrf_ok(const net::Request& request, const SessionClaims& claims) const;
  // No Origin header, or one naming the host the request was sent to (a WebSocket upgrade carries
  // no CSRF header: this check is what keeps another site's page from opening one).
  static bool same_origin(const net::Request& request);

  // In-memory deny-list; the caller persists revocations in the Store.
  void revoke(const SessionClaims& claims);
  void load_revoked(const std::vector<std::string>& session_ids);
  bool revoked(const SessionId& id) const;

 private:
  using RevokedSet = std::unordered_set<std::string>;

  const Clock& clock_;
  std::shared_ptr<const SessionKeys> keys_;
  SessionOptions options_;
  std::atomic<std::shared_ptr<const RevokedSet>> revoked_;
  std::mutex revoke_mutex_;  // serialises copy-on-write updates of revoked_
};

}  // namespace cartable::guard
