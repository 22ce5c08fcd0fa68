#include "live/join_pacer.hpp"

#include <algorithm>

namespace cartable::live {

JoinPacer::JoinPacer(double joins_per_second, double burst) {
  if (joins_per_second > 0) {
    interval_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / joins_per_second));
    tolerance_ = std::chrono::duration_cast<Clock::duration>(interval_ * std::max(0.0, burst));
  }
}

std::chrono::milliseconds JoinPacer::next_delay(Clock::time_point now) {
  if (interval_ == Clock::duration::zero()) {
    return std::chrono::milliseconds(0);
  }
  const std::lock_guard lock(mutex_);
  // The slot's ideal time; a quiet spell does not bank more than the burst.
  theoretical_ = std::max(theoretical_, now);
  const auto wait = std::max(Clock::duration::zero(), theoretical_ - tolerance_ - now);
  theoretical_ += interval_;
  return std::chrono::ceil<std::chrono::milliseconds>(wait);
}

}  // namespace cartable::live
