#include "guard/sessions.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>

namespace cartable::guard {

Sessions::Sessions(const Clock& clock, std::shared_ptr<const SessionKeys> keys,
                   SessionOptions options)
    : clock_(clock),
      keys_(std::move(keys)),
      options_(options),
      revoked_(std::make_shared<const RevokedSet>()) {}

std::optional<SessionClaims> Sessions::authenticate(const net::Request& request) const {
  const auto cookie = http::find_cookie(request, kCookieName);
  if (!cookie) {
    return std::nullopt;
  }
  auto claims = decode_session_token(*cookie, *keys_, clock_.unix_seconds());
  if (!claims || revoked(claims->session_id)) {
    return std::nullopt;
  }
  return claims;
}

SessionClaims Sessions::start(std::int64_t user_id, Role role, std::int64_t school_id,
                              bool remember) const {
  SessionClaims claims;
  claims.user_id = user_id;
  claims.role = role;
  claims.school_id = school_id;
  claims.session_id = random_session_id();
  claims.remember = remember;
  claims.issued_at = clock_.unix_seconds();
  claims.expires_at =
      claims.issued_at + (remember ? options_.remembered_lifetime : options_.idle_lifetime).count();
  claims.key_id = keys_->signing().id;
  return claims;
}

std::optional<SessionClaims> Sessions::renewal(const SessionClaims& claims) const {
  const std::int64_t now = clock_.unix_seconds();
  if (now - claims.issued_at < options_.renew_after.count() &&
      claims.key_id == keys_->signing().id) {
    return std::nullopt;
  }
  SessionClaims renewed = claims;
  renewed.issued_at = now;
  renewed.expires_at =
      now + (claims.remember ? options_.remembered_lifetime : options_.idle_lifetime).count();
  renewed.key_id = keys_->signing().id;
  return renewed;
}

std::string Sessions::set_cookie(const SessionClaims& claims) const {
  http::CookieOptions cookie;
  cookie.secure = options_.secure_cookies;
  if (claims.remember) {
    cookie.max_age = std::chrono::seconds(claims.expires_at - clock_.unix_seconds());
  }
  return http::set_cookie_header(kCookieName, encode_session_token(claims, *keys_), cookie);
}

std::string Sessions::clear_cookie() const {
  http::CookieOptions cookie;
  cookie.secure = options_.secure_cookies;
  return http::clear_cookie_header(kCookieName, cookie);
}

std::string Sessions::csrf_token(const SessionClaims& claims) const {
  return guard::csrf_token(claims, *keys_);
}

bool Sessions::same_origin(const net::Request& request) {
  const auto origin = request[boost::beast::http::field::origin];
  if (origin.empty()) {
    return true;
  }
  const auto url = boost::urls::parse_absolute_uri(origin);
  return url && url->encoded_authority() == request[boost::beast::http::field::host];
}

bool Sessions::csrf_ok(const net::Request& request, const SessionClaims& claims) const {
  return same_origin(request) && csrf_token_matches(request[kCsrfHeader], claims, *keys_);
}

void Sessions::revoke(const SessionClaims& claims) {
  std::lock_guard lock(revoke_mutex_);
  auto next = std::make_shared<RevokedSet>(*revoked_.load());
  next->insert(session_id_hex(claims.session_id));
  revoked_.store(std::move(next));
}

void Sessions::load_revoked(const std::vector<std::string>& session_ids) {
  std::lock_guard lock(revoke_mutex_);
  revoked_.store(std::make_shared<const RevokedSet>(session_ids.begin(), session_ids.end()));
}

bool Sessions::revoked(const SessionId& id) const {
  const auto set = revoked_.load();
  return !set->empty() && set->contains(session_id_hex(id));
}

}  // namespace cartable::guard
