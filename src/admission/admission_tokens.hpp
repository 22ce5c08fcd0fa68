// The two cookies of the waiting room, both MAC'd so that they cannot be forged:
// - a ticket: a place in this process's queue (its epoch, the ticket number, when it was issued
//   and the wait first announced, so the announced wait can be checked against the real one);
// - a pass: proof of admission, so that people already inside keep service during a surge.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cartable::admission {

using AdmissionKey = std::array<unsigned char, 32>;

struct Ticket {
  std::uint32_t epoch = 0;  // the queue's process: tickets of an earlier run mean nothing
  std::uint64_t number = 0;
  std::int64_t issued_ms = 0;  // unix milliseconds
  std::uint32_t announced_wait_ms = 0;
};

struct Pass {
  std::uint64_t id = 0;         // random; counts distinct visitors without knowing who they are
  std::int64_t issued_at = 0;   // unix seconds
  std::int64_t expires_at = 0;  // unix seconds
};

std::string encode_ticket(const Ticket& ticket, const AdmissionKey& key);
std::optional<Ticket> decode_ticket(std::string_view text, const AdmissionKey& key);

std::string encode_pass(const Pass& pass, const AdmissionKey& key);
// nullopt for a forged, malformed or expired pass.
std::optional<Pass> decode_pass(std::string_view text, const AdmissionKey& key, std::int64_t now);

// The admission key, derived from a session signing secret so that every process sharing the
// session keys honours the same passes, and a restart keeps people inside.
AdmissionKey derive_admission_key(const std::array<unsigned char, 32>& session_secret);

}  // namespace cartable::admission
