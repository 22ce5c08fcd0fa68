#include "admission/admission_tokens.hpp"

#include <sodium.h>

#include <cstring>

#include "common/base64url.hpp"
#include "common/little_endian.hpp"

namespace cartable::admission {

namespace {

// Tags keep a ticket from ever verifying as a pass and the other way round.
constexpr unsigned char kTicketTag = 'T';
constexpr unsigned char kPassTag = 'P';
constexpr std::size_t kMacBytes = 16;  // 128 bits: forging one is out of reach
constexpr std::size_t kTicketBytes = 1 + 4 + 8 + 8 + 4;
constexpr std::size_t kPassBytes = 1 + 8 + 8 + 8;
constexpr std::size_t kMaxTokenText = 128;

template <std::size_t N>
std::string seal(const std::array<unsigned char, N>& payload, const AdmissionKey& key) {
  std::array<unsigned char, N + kMacBytes> sealed{};
  std::memcpy(sealed.data(), payload.data(), N);
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), payload.data(), N, key.data());
  std::memcpy(sealed.data() + N, mac.data(), kMacBytes);
  return to_base64url(sealed);
}

// The payload of a sealed token whose MAC verifies and whose tag is `tag`.
template <std::size_t N>
std::optional<std::array<unsigned char, N>> open(std::string_view text, unsigned char tag,
                                                 const AdmissionKey& key) {
  std::array<unsigned char, N + kMacBytes> sealed{};
  if (text.size() > kMaxTokenText || !from_base64url(text, sealed) || sealed[0] != tag) {
    return std::nullopt;
  }
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
  crypto_auth_hmacsha256(mac.data(), sealed.data(), N, key.data());
  if (sodium_memcmp(mac.data(), sealed.data() + N, kMacBytes) != 0) {
    return std::nullopt;
  }
  std::array<unsigned char, N> payload{};
  std::memcpy(payload.data(), sealed.data(), N);
  return payload;
}

}  // namespace

std::string encode_ticket(const Ticket& ticket, const AdmissionKey& key) {
  std::array<unsigned char, kTicketBytes> payload{};
  unsigned char* out = payload.data();
  *out++ = kTicketTag;
  put_little_endian(out, ticket.epoch);
  put_little_endian(out, ticket.number);
  put_little_endian(out, ticket.issued_ms);
  put_little_endian(out, ticket.announced_wait_ms);
  return seal(payload, key);
}

std::optional<Ticket> decode_ticket(std::string_view text, const AdmissionKey& key) {
  const auto payload = open<kTicketBytes>(text, kTicketTag, key);
  if (!payload) {
    return std::nullopt;
  }
  const unsigned char* in = payload->data() + 1;
  Ticket ticket;
  ticket.epoch = take_little_endian<std::uint32_t>(in);
  ticket.number = take_little_endian<std::uint64_t>(in);
  ticket.issued_ms = take_little_endian<std::int64_t>(in);
  ticket.announced_wait_ms = take_little_endian<std::uint32_t>(in);
  return ticket;
}

std::string encode_pass(const Pass& pass, const AdmissionKey& key) {
  std::array<unsigned char, kPassBytes> payload{};
  unsigned char* out = payload.data();
  *out++ = kPassTag;
  put_little_endian(out, pass.id);
  put_little_endian(out, pass.issued_at);
  put_little_endian(out, pass.expires_at);
  return seal(payload, key);
}

std::optional<Pass> decode_pass(std::string_view text, const AdmissionKey& key, std::int64_t now) {
  const auto payload = open<kPassBytes>(text, kPassTag, key);
  if (!payload) {
    return std::nullopt;
  }
  const unsigned char* in = payload->data() + 1;
  Pass pass;
  pass.id = take_little_endian<std::uint64_t>(in);
  pass.issued_at = take_little_endian<std::int64_t>(in);
  pass.expires_at = take_little_endian<std::int64_t>(in);
  if (pass.expires_at <= now) {
    return std::nullopt;
  }
  return pass;
}

AdmissionKey derive_admission_key(const std::array<unsigned char, 32>& session_secret) {
  static constexpr std::string_view kContext = "cartable admission key v1";
  AdmissionKey key{};
  crypto_auth_hmacsha256(key.data(), reinterpret_cast<const unsigned char*>(kContext.data()),
                         kContext.size(), session_secret.data());
  return key;
}

}  // namespace cartable::admission
