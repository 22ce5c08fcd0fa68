// Password hashing with argon2id (libsodium). Costs tens of milliseconds and megabytes per call:
// always call it on the hash pool, never on an I/O thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cartable::guard {

struct PasswordCost {
  // Passes over memory. Default 2 with 19 MiB: the OWASP minimum for argon2id.
  unsigned long long ops = 2;
  // Memory in KiB.
  std::size_t memory_kib = 19 * 1024;
};

constexpr std::size_t kMinPasswordBytes = 8;
constexpr std::size_t kMaxPasswordBytes = 128;

// The encoded hash ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"). Throws std::runtime_error if
// libsodium cannot allocate the memory.
std::string hash_password(std::string_view password, const PasswordCost& cost);

// Constant-time check of `password` against an encoded hash. A malformed hash never matches.
bool verify_password(std::string_view password, const std::string& encoded_hash);

// Whether a hash was made with other costs than `cost` (to rehash on the next successful sign-in).
bool needs_rehash(const std::string& encoded_hash, const PasswordCost& cost);

// A hash to verify against when the login is unknown, so that an unknown login takes as long as a
// wrong password and the two cannot be told apart.
const std::string& decoy_hash(const PasswordCost& cost);

// Checks the cost against libsodium's bounds; a message when it is unusable.
std::optional<std::string> validate_cost(const PasswordCost& cost);

}  // namespace cartable::guard
