// Session tokens: the claims of a signed-in session, MAC'd with a server key so that checking one
// costs a keyed hash and no database read. Keys carry an id so they can rotate: new tokens use the
// newest key, older keys keep verifying until the sessions they signed have expired.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "school/model.hpp"

namespace cartable::guard {

using SessionId = std::array<unsigned char, 16>;

struct SessionClaims {
  std::int64_t user_id = 0;
  Role role = Role::pupil;
  std::int64_t school_id = 0;
  SessionId session_id{};      // stays the same when the token is renewed; revocation uses it
  std::int64_t issued_at = 0;  // unix seconds
  std::int64_t expires_at = 0;
  bool remember = false;  // "stay signed in": long, sliding
  std::uint32_t key_id = 0;
};

struct SessionKey {
  std::uint32_t id = 0;
  std::int64_t created_at = 0;  // unix seconds
  std::array<unsigned char, 32> secret{};
};

// The keys in use; the last one signs. Immutable once built: rotation builds a new set.
class SessionKeys {
 public:
  explicit SessionKeys(std::vector<SessionKey> keys);

  const SessionKey& signing() const { return keys_.back(); }
  const SessionKey* find(std::uint32_t id) const;
  const std::vector<SessionKey>& all() const { return keys_; }

  // Loads keys from `file` (one "id created_at base64-secret" per line), creating the file with a
  // first key (mode 0600) when it does not exist. Throws std::runtime_error on a malformed file.
  static SessionKeys load_or_create(const std::filesystem::path& file, std::int64_t now);
  // Appends a new signing key to `file` and drops keys older than `keep_seconds` (but never the
  // newest two). Returns the new key's id.
  static std::uint32_t rotate(const std::filesystem::path& file, std::int64_t now,
                              std::int64_t keep_seconds);

 private:
  std::vector<SessionKey> keys_;
};

// "v1.<base64url(claims)>.<base64url(HMAC-SHA256)>"; signs with keys.signing().
std::string encode_session_token(const SessionClaims& claims, const SessionKeys& keys);

// The claims of a well-formed token whose MAC verifies (constant-time) under a known key and which
// has not expired at `now`. Refuses (nullopt) anything else: wrong version, bad base64, wrong
// length, unknown key id, bad MAC, expired, issued in the future (beyond 5 minutes of clock skew).
std::optional<SessionClaims> decode_session_token(std::string_view token, const SessionKeys& keys,
                                                  std::int64_t now);

// The CSRF token of a session: a MAC of its session id, so it needs no storage and changes with
// each session. Compared in constant time.
std::string csrf_token(const SessionClaims& claims, const SessionKeys& keys);
bool csrf_token_matches(std::string_view presented, const SessionClaims& claims,
                        const SessionKeys& keys);

std::string session_id_hex(const SessionId& id);
SessionId random_session_id();

}  // namespace cartable::guard
