#include "guard/password.hpp"

#include <sodium.h>

#include <mutex>
#include <stdexcept>

namespace cartable::guard {

std::string hash_password(std::string_view password, const PasswordCost& cost) {
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(), cost.ops,
                            cost.memory_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("argon2id: out of memory");
  }
  return encoded;
}

bool verify_password(std::string_view password, const std::string& encoded_hash) {
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& encoded_hash, const PasswordCost& cost) {
  return crypto_pwhash_str_needs_rehash(encoded_hash.c_str(), cost.ops, cost.memory_kib * 1024) !=
         0;
}

const std::string& decoy_hash(const PasswordCost& cost) {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [&] {
    unsigned char random[24];
    randombytes_buf(random, sizeof random);
    hash =
        hash_password(std::string_view(reinterpret_cast<const char*>(random), sizeof random), cost);
  });
  return hash;
}

std::optional<std::string> validate_cost(const PasswordCost& cost) {
  if (cost.ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || cost.ops > 16) {
    return "argon2id passes must be between 1 and 16";
  }
  const std::size_t bytes = cost.memory_kib * 1024;
  if (bytes < crypto_pwhash_argon2id_MEMLIMIT_MIN || cost.memory_kib > 4 * 1024 * 1024) {
    return "argon2id memory must be between 8 KiB and 4 GiB";
  }
  return std::nullopt;
}

}  // namespace cartable::guard
