// Counters of what the network layer refused or dropped, and a log that reports each kind at most
// once a minute (with the count since) so a flood cannot flood the log too.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace cartable::net {

enum class Refusal : std::uint8_t {
  header_too_large,      // 431
  body_too_large,        // 413
  head_timeout,          // 408: request head not complete within its deadline
  body_timeout,          // 408: body not complete within its deadline
  bad_request,           // 400: unparsable request
  too_many_connections,  // 503: total connection cap
  too_many_per_ip,       // 503: per-address connection cap
  tls_handshake_failed,  // dropped
  write_timeout,         // dropped
  plain_http_refused,    // 403 sent by the redirect/plain guard
  count_
};

std::string_view refusal_name(Refusal refusal);

class NetEvents {
 public:
  // Counts the refusal and logs it if this kind was not logged in the last minute.
  void record(Refusal refusal, std::string_view peer);
  std::uint64_t count(Refusal refusal) const {
    return counts_[static_cast<std::size_t>(refusal)].load(std::memory_order_relaxed);
  }

  std::atomic<std::uint64_t> connections_accepted{0};
  std::atomic<std::int64_t> connections_open{0};
  std::atomic<std::uint64_t> requests{0};

 private:
  static constexpr auto kLogInterval = std::chrono::minutes(1);
  static constexpr std::size_t kKinds = static_cast<std::size_t>(Refusal::count_);
  std::array<std::atomic<std::uint64_t>, kKinds> counts_{};
  std::array<std::atomic<std::uint64_t>, kKinds> logged_counts_{};
  std::array<std::atomic<std::int64_t>, kKinds> last_logged_ns_{};
};

}  // namespace cartable::net
