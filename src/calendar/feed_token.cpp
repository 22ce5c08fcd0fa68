#include "calendar/feed_token.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>

#include "common/base64url.hpp"
#include "common/little_endian.hpp"

namespace cartable::calendar {

FeedKey load_or_create_feed_key(const std::filesystem::path& file) {
  FeedKey key{};
  if (std::ifstream in(file); in) {
    std::string text;
    in >> text;
    if (!from_base64url(text, key)) {
      throw std::runtime_error(file.string() + ": not a calendar feed key");
    }
    return key;
  }
  randombytes_buf(key.data(), key.size());
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << to_base64url(key) << "\n";
    if (!out) {
      throw std::runtime_error(temporary.string() + ": cannot write");
    }
  }
  std::filesystem::permissions(
      temporary, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::rename(temporary, file);
  return key;
}

std::string new_nonce() {
  std::array<unsigned char, 16> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  return to_base64url(nonce);
}

std::string feed_token(const FeedKey& key, std::int64_t user_id, std::string_view nonce) {
  static constexpr std::string_view kContext = "cartable calendar feed v1";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(kContext.data()),
                                kContext.size());
  std::array<unsigned char, 8> id{};
  unsigned char* out = id.data();
  put_little_endian(out, user_id);
  crypto_auth_hmacsha256_update(&state, id.data(), id.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(nonce.data()),
                                nonce.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256_final(&state, mac.data());
  return to_base64url(mac);
}

std::string token_hash(std::string_view token) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return hex.data();
}

}  // namespace cartable::calendar
