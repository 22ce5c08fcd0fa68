// Latencies in fixed memory: buckets a sixteenth of a power of two wide (±2 %), from 1 µs to about
// 18 minutes. Percentiles are read from the bucket bounds.
#pragma once

#include <array>
#include <bit>
#include <chrono>
#include <cstdint>

namespace cartable::load {

class Histogram {
 public:
  void record(std::chrono::nanoseconds latency) {
    const auto micros =
        static_cast<std::uint64_t>(std::max<std::int64_t>(1, latency.count() / 1000));
    ++counts_[bucket_of(micros)];
    ++count_;
    max_ = std::max(max_, micros);
    sum_ += micros;
  }
  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < kBuckets; ++i) {
      counts_[i] += other.counts_[i];
    }
    count_ += other.count_;
    max_ = std::max(max_, other.max_);
    sum_ += other.sum_;
  }
  std::uint64_t count() const { return count_; }
  // Microseconds at or under which `quantile` (0..1) of the records fall.
  double percentile_us(double quantile) const {
    if (count_ == 0) {
      return 0;
    }
    const auto wanted = static_cast<std::uint64_t>(quantile * static_cast<double>(count_ - 1)) + 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBuckets; ++i) {
      seen += counts_[i];
      if (seen >= wanted) {
        return std::min(static_cast<double>(max_), upper_us(i));
      }
    }
    return static_cast<double>(max_);
  }
  double max_us() const { return static_cast<double>(max_); }
  double mean_us() const {
    return count_ == 0 ? 0 : static_cast<double>(sum_) / static_cast<double>(count_);
  }

 private:
  static constexpr std::size_t kSub = 16;
  static constexpr std::size_t kBuckets = 40 * kSub;

  static std::size_t bucket_of(std::uint64_t micros) {
    const auto power = static_cast<std::size_t>(63 - std::countl_zero(micros));
    const std::uint64_t base = std::uint64_t{1} << power;
    const auto fraction = power >= 4 ? static_cast<std::size_t>((micros - base) >> (power - 4))
                                     : static_cast<std::size_t>((micros - base) << (4 - power));
    return std::min(kBuckets - 1, power * kSub + fraction);
  }
  static double upper_us(std::size_t bucket) {
    const std::size_t power = bucket / kSub;
    const std::size_t fraction = bucket % kSub;
    return static_cast<double>(std::uint64_t{1} << power) *
           (1.0 + static_cast<double>(fraction + 1) / kSub);
  }

  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace cartable::load
