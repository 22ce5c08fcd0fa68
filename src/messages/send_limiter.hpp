// How fast one person may write: a token bucket per user, in memory (a restart forgets it, which
// is harmless at this scale). Guards against a stuck client or a pupil flooding a class.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "common/clock.hpp"

namespace cartable::messages {

// Default: 30 messages (new conversations included) a minute per user, with a burst of as many.
constexpr int kDefaultMessagesPerMinute = 30;

class SendLimiter {
 public:
  // `per_minute` 0 means unlimited.
  SendLimiter(const Clock& clock, int per_minute) : clock_(clock), per_minute_(per_minute) {}

  // Takes one send from `user_id`'s allowance. nullopt when allowed; otherwise the whole seconds
  // after which the next one will be (the caller answers 429 with that Retry-After).
  std::optional<unsigned> take(std::int64_t user_id);

 private:
  // Users per shard before the idle ones (full buckets) are forgotten, bounding memory.
  static constexpr std::size_t kForgetAbove = 4096;
  static constexpr std::size_t kShards = 16;
  struct Bucket {
    double tokens = 0;
    double updated = 0;  // unix seconds, fractional
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::int64_t, Bucket> buckets;
  };
  double refilled(const Bucket& bucket, double now) const;

  const Clock& clock_;
  int per_minute_;
  std::array<Shard, kShards> shards_;
};

}  // namespace cartable::messages
