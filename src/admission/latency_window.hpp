// A percentile of the latencies recorded since it was last read, lock-free for the I/O threads
// that record. Buckets are quarter powers of two of microseconds (±9 %), enough for a threshold.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>

namespace cartable::admission {

class LatencyWindow {
 public:
  void record(std::chrono::nanoseconds latency) {
    buckets_[bucket_of(latency)].fetch_add(1, std::memory_order_relaxed);
  }

  // The `quantile` (0..1) of what was recorded since the last call, which starts a new window.
  // Zero when nothing was recorded.
  std::chrono::nanoseconds take(double quantile) {
    std::array<std::uint64_t, kBuckets> counts{};
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      counts[i] = buckets_[i].exchange(0, std::memory_order_relaxed);
      total += counts[i];
    }
    if (total == 0) {
      return std::chrono::nanoseconds(0);
    }
    const auto wanted =
        static_cast<std::uint64_t>(std::ceil(quantile * static_cast<double>(total)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts[i];
      if (seen >= wanted) {
        return upper_bound(i);
      }
    }
    return upper_bound(kBuckets - 1);
  }

 private:
  static constexpr std::size_t kBuckets = 4 * 26;  // up to 2^26 µs, about a minute

  static std::size_t bucket_of(std::chrono::nanoseconds latency) {
    const double micros = static_cast<double>(latency.count()) / 1000.0;
    if (micros <= 1) {
      return 0;
    }
    const auto index = static_cast<std::size_t>(4 * std::log2(micros));
    return index < kBuckets ? index : kBuckets - 1;
  }
  static std::chrono::nanoseconds upper_bound(std::size_t bucket) {
    return std::chrono::nanoseconds(
        static_cast<std::int64_t>(1000.0 * std::exp2(static_cast<double>(bucket + 1) / 4)));
  }

  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
};

}  // namespace cartable::admission
