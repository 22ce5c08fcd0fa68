#include "messages/send_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace cartable::messages {

double SendLimiter::refilled(const Bucket& bucket, double now) const {
  const double per_second = per_minute_ / 60.0;
  return std::min<double>(per_minute_,
                          bucket.tokens + std::max(0.0, now - bucket.updated) * per_second);
}

std::optional<unsigned> SendLimiter::take(std::int64_t user_id) {
  if (per_minute_ <= 0) {
    return std::nullopt;
  }
  const double now = std::chrono::duration<double>(clock_.now().time_since_epoch()).count();
  Shard& shard = shards_[static_cast<std::size_t>(user_id) % kShards];
  const std::lock_guard lock(shard.mutex);
  if (shard.buckets.size() > kForgetAbove) {
    std::erase_if(shard.buckets,
                  [&](const auto& entry) { return refilled(entry.second, now) >= per_minute_; });
  }
  auto [found, inserted] =
      shard.buckets.try_emplace(user_id, Bucket{static_cast<double>(per_minute_), now});
  Bucket& bucket = found->second;
  bucket.tokens = refilled(bucket, now);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::nullopt;
  }
  const double seconds = (1 - bucket.tokens) * 60.0 / per_minute_;
  return static_cast<unsigned>(std::max(1.0, std::ceil(seconds)));
}

}  // namespace cartable::messages
