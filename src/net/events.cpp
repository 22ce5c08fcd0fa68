#include "net/events.hpp"

#include <spdlog/spdlog.h>

namespace cartable::net {

std::string_view refusal_name(Refusal refusal) {
  switch (refusal) {
    case Refusal::header_too_large:
      return "header_too_large";
    case Refusal::body_too_large:
      return "body_too_large";
    case Refusal::head_timeout:
      return "head_timeout";
    case Refusal::body_timeout:
      return "body_timeout";
    case Refusal::bad_request:
      return "bad_request";
    case Refusal::too_many_connections:
      return "too_many_connections";
    case Refusal::too_many_per_ip:
      return "too_many_per_ip";
    case Refusal::tls_handshake_failed:
      return "tls_handshake_failed";
    case Refusal::write_timeout:
      return "write_timeout";
    case Refusal::plain_http_refused:
      return "plain_http_refused";
    case Refusal::count_:
      break;
  }
  return "unknown";
}

void NetEvents::record(Refusal refusal, std::string_view peer) {
  const auto index = static_cast<std::size_t>(refusal);
  const std::uint64_t total = counts_[index].fetch_add(1, std::memory_order_relaxed) + 1;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now().time_since_epoch())
                               .count();
  std::int64_t last = last_logged_ns_[index].load(std::memory_order_relaxed);
  const std::int64_t interval = std::chrono::nanoseconds(kLogInterval).count();
  if (last != 0 && now - last < interval) {
    return;
  }
  // One thread wins the right to log this interval.
  if (!last_logged_ns_[index].compare_exchange_strong(last, now, std::memory_order_relaxed)) {
    return;
  }
  const std::uint64_t before = logged_counts_[index].exchange(total, std::memory_order_relaxed);
  spdlog::warn("refused: {} (latest from {}; {} since last report, {} in total)",
               refusal_name(refusal), peer, total - before, total);
}

}  // namespace cartable::net
