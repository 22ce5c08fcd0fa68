#include "admission/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace cartable::admission {

double RateLimiter::refilled(const Bucket& bucket,
                             std::chrono::steady_clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  return std::min(options_.burst, bucket.tokens + std::max(0.0, elapsed) * options_.per_second);
}

bool RateLimiter::take(std::uint64_t key, std::chrono::steady_clock::time_point now,
                       std::chrono::milliseconds& retry_after) {
  if (options_.per_second <= 0) {
    return true;
  }
  Shard& shard = shards_[key % kShards];
  const std::lock_guard lock(shard.mutex);
  auto [found, inserted] = shard.buckets.try_emplace(key, Bucket{options_.burst, now});
  Bucket& bucket = found->second;
  bucket.tokens = refilled(bucket, now);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return true;
  }
  const double missing = 1 - bucket.tokens;
  retry_after = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::ceil(missing / options_.per_second * 1000.0)));
  return false;
}

void RateLimiter::forget_idle(std::chrono::steady_clock::time_point now) {
  for (Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    std::erase_if(shard.buckets,
                  [&](const auto& entry) { return refilled(entry.second, now) >= options_.burst; });
  }
}

std::size_t RateLimiter::tracked() const {
  std::size_t count = 0;
  for (const Shard& shard : shards_) {
    const std::lock_guard lock(shard.mutex);
    count += shard.buckets.size();
  }
  return count;
}

}  // namespace cartable::admission
