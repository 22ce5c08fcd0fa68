#include "guard/session_token.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/base64url.hpp"
#include "common/little_endian.hpp"

namespace cartable::guard {

namespace {

constexpr std::string_view kVersion = "v1";
constexpr std::int64_t kClockSkewSeconds = 300;
// version(1) key id(4) user(8) school(8) role(1) flags(1) issued(8) expires(8) session id(16)
constexpr std::size_t kClaimsBytes = 1 + 4 + 8 + 8 + 1 + 1 + 8 + 8 + 16;
using ClaimsBytes = std::array<unsigned char, kClaimsBytes>;
using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

ClaimsBytes pack(const SessionClaims& claims) {
  ClaimsBytes bytes{};
  unsigned char* out = bytes.data();
  *out++ = 1;
  put_little_endian<std::uint32_t>(out, claims.key_id);
  put_little_endian<std::int64_t>(out, claims.user_id);
  put_little_endian<std::int64_t>(out, claims.school_id);
  *out++ = static_cast<unsigned char>(claims.role);
  *out++ = claims.remember ? 1 : 0;
  put_little_endian<std::int64_t>(out, claims.issued_at);
  put_little_endian<std::int64_t>(out, claims.expires_at);
  std::memcpy(out, claims.session_id.data(), claims.session_id.size());
  return bytes;
}

std::optional<SessionClaims> unpack(const ClaimsBytes& bytes) {
  const unsigned char* in = bytes.data();
  if (*in++ != 1) {
    return std::nullopt;
  }
  SessionClaims claims;
  claims.key_id = take_little_endian<std::uint32_t>(in);
  claims.user_id = take_little_endian<std::int64_t>(in);
  claims.school_id = take_little_endian<std::int64_t>(in);
  const unsigned char role = *in++;
  if (role > static_cast<unsigned char>(Role::admin)) {
    return std::nullopt;
  }
  claims.role = static_cast<Role>(role);
  const unsigned char flags = *in++;
  if (flags > 1) {
    return std::nullopt;
  }
  claims.remember = flags == 1;
  claims.issued_at = take_little_endian<std::int64_t>(in);
  claims.expires_at = take_little_endian<std::int64_t>(in);
  std::memcpy(claims.session_id.data(), in, claims.session_id.size());
  return claims;
}

Mac mac_of(const unsigned char* data, std::size_t size, const SessionKey& key) {
  Mac mac{};
  crypto_auth_hmacsha256(mac.data(), data, size, key.secret.data());
  return mac;
}

std::string encode_secret(const SessionKey& key) {
  return to_base64url(key.secret);
}

SessionKey new_key(std::uint32_t id, std::int64_t now) {
  SessionKey key;
  key.id = id;
  key.created_at = now;
  randombytes_buf(key.secret.data(), key.secret.size());
  return key;
}

std::vector<SessionKey> read_keys(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    throw std::runtime_error("cannot read session keys from " + file.string());
  }
  std::vector<SessionKey> keys;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    std::istringstream fields(line);
    SessionKey key;
    std::string secret;
    if (!(fields >> key.id >> key.created_at >> secret) || !from_base64url(secret, key.secret)) {
      throw std::runtime_error(file.string() + ":" + std::to_string(number) +
                               ": malformed session key line");
    }
    keys.push_back(key);
  }
  if (keys.empty()) {
    throw std::runtime_error(file.string() + ": no session key");
  }
  return keys;
}

void write_keys(const std::filesystem::path& file, const std::vector<SessionKey>& keys) {
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    const mode_t previous = ::umask(077);
    std::ofstream out(temporary, std::ios::trunc);
    ::umask(previous);
    if (!out) {
      throw std::runtime_error("cannot write session keys to " + temporary.string());
    }
    out << "# Cartable session keys: id created_at secret. Keep private (mode 0600).\n";
    for (const SessionKey& key : keys) {
      out << key.id << ' ' << key.created_at << ' ' << encode_secret(key) << '\n';
    }
    out.flush();
    if (!out) {
      throw std::runtime_error("cannot write session keys to " + temporary.string());
    }
  }
  std::filesystem::rename(temporary, file);
}

}  // namespace

SessionKeys::SessionKeys(std::vector<SessionKey> keys) : keys_(std::move(keys)) {
  if (keys_.empty()) {
    throw std::invalid_argument("at least one session key is needed");
  }
}

const SessionKey* SessionKeys::find(std::uint32_t id) const {
  for (const SessionKey& key : keys_) {
    if (key.id == id) {
      return &key;
    }
  }
  return nullptr;
}

SessionKeys SessionKeys::load_or_create(const std::filesystem::path& file, std::int64_t now) {
  if (!std::filesystem::exists(file)) {
    write_keys(file, {new_key(1, now)});
  }
  return SessionKeys(read_keys(file));
}

std::uint32_t SessionKeys::rotate(const std::filesystem::path& file, std::int64_t now,
                                  std::int64_t keep_seconds) {
  std::vector<SessionKey> keys = read_keys(file);
  const std::uint32_t next_id =
      std::max_element(keys.begin(), keys.end(), [](auto& a, auto& b) { return a.id < b.id; })->id +
      1;
  keys.push_back(new_key(next_id, now));
  // Keep the newest two whatever their age, so sessions signed just before a rotation survive.
  std::vector<SessionKey> kept;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i + 2 >= keys.size() || now - keys[i].created_at <= keep_seconds) {
      kept.push_back(keys[i]);
    }
  }
  write_keys(file, kept);
  return next_id;
}

std::string encode_session_token(const SessionClaims& claims, const SessionKeys& keys) {
  SessionClaims signed_claims = claims;
  signed_claims.key_id = keys.signing().id;
  const ClaimsBytes bytes = pack(signed_claims);
  const Mac mac = mac_of(bytes.data(), bytes.size(), keys.signing());
  std::string token(kVersion);
  token += '.';
  token += to_base64url(bytes);
  token += '.';
  token += to_base64url(mac);
  return token;
}

std::optional<SessionClaims> decode_session_token(std::string_view token, const SessionKeys& keys,
                                                  std::int64_t now) {
  if (token.size() > 256 || !token.starts_with(kVersion) || token.size() < kVersion.size() + 2 ||
      token[kVersion.size()] != '.') {
    return std::nullopt;
  }
  token.remove_prefix(kVersion.size() + 1);
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  ClaimsBytes bytes{};
  Mac mac{};
  if (!from_base64url(token.substr(0, dot), bytes) || !from_base64url(token.substr(dot + 1), mac)) {
    return std::nullopt;
  }
  const unsigned char* key_id_bytes = bytes.data() + 1;
  const SessionKey* key = keys.find(take_little_endian<std::uint32_t>(key_id_bytes));
  if (key == nullptr || crypto_auth_hmacsha256_verify(mac.data(), bytes.data(), bytes.size(),
                                                      key->secret.data()) != 0) {
    return std::nullopt;
  }
  auto claims = unpack(bytes);
  if (!claims || claims->expires_at <= now || claims->issued_at > now + kClockSkewSeconds) {
    return std::nullopt;
  }
  return claims;
}

namespace {

std::string csrf_token_under(const SessionClaims& claims, const SessionKey& key) {
  std::array<unsigned char, 5 + 16> input{'c', 's', 'r', 'f', ':'};
  std::memcpy(input.data() + 5, claims.session_id.data(), claims.session_id.size());
  const Mac mac = mac_of(input.data(), input.size(), key);
  return to_base64url(std::span(mac).first(18));
}

}  // namespace

std::string csrf_token(const SessionClaims& claims, const SessionKeys& keys) {
  return csrf_token_under(claims, keys.signing());
}

bool csrf_token_matches(std::string_view presented, const SessionClaims& claims,
                        const SessionKeys& keys) {
  // Any current key: a token renewed across a key rotation keeps the page's CSRF token valid.
  bool matched = false;
  for (const SessionKey& key : keys.all()) {
    const std::string expected = csrf_token_under(claims, key);
    matched |= presented.size() == expected.size() &&
               sodium_memcmp(presented.data(), expected.data(), expected.size()) == 0;
  }
  return matched;
}

std::string session_id_hex(const SessionId& id) {
  std::string hex(id.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), id.data(), id.size());
  hex.pop_back();
  return hex;
}

SessionId random_session_id() {
  SessionId id{};
  randombytes_buf(id.data(), id.size());
  return id;
}

}  // namespace cartable::guard
