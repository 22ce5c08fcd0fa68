// Paces joins when many live lessons start in the same minute: each joiner is given a slot at most
// `rate` a second (after a burst that goes at once) and told how long to wait before connecting,
// so the server sees a ramp instead of a wall of handshakes. A generic cell rate algorithm: one
// timestamp, no queue to keep.
#pragma once

#include <chrono>
#include <mutex>

namespace cartable::live {

class JoinPacer {
 public:
  using Clock = std::chrono::steady_clock;

  // `joins_per_second` 0 turns pacing off (every delay is zero).
  JoinPacer(double joins_per_second, double burst);

  // The wait before the joiner asked for at `now` should connect; reserves its slot.
  std::chrono::milliseconds next_delay(Clock::time_point now);

 private:
  std::mutex mutex_;
  Clock::duration interval_{};       // between two slots
  Clock::duration tolerance_{};      // how far ahead of the ideal pace a burst may run
  Clock::time_point theoretical_{};  // when the next join would be due at the exact pace
};

}  // namespace cartable::live
