// Token buckets per key (an address, a session), sharded so that I/O threads rarely meet on a
// lock. Used to put abusive clients first in line for refusals, before any honest crowd.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace cartable::admission {

struct BucketOptions {
  double per_second = 0;  // 0 = unlimited
  double burst = 0;
};

class RateLimiter {
 public:
  explicit RateLimiter(BucketOptions options) : options_(options) {}

  // Takes one token from `key`'s bucket. False when it is empty: the caller refuses with 429 and
  // the returned `retry_after` says when a token will be there.
  bool take(std::uint64_t key, std::chrono::steady_clock::time_point now,
            std::chrono::milliseconds& retry_after);
  // Forgets full buckets (their keys have been quiet long enough to refill), bounding memory.
  void forget_idle(std::chrono::steady_clock::time_point now);
  std::size_t tracked() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::uint64_t, Bucket> buckets;
  };
  static constexpr std::size_t kShards = 16;

  double refilled(const Bucket& bucket, std::chrono::steady_clock::time_point now) const;

  BucketOptions options_;
  std::array<Shard, kShards> shards_;
};

}  // namespace cartable::admission
