// One connection's allowance of messages: `rate` a second with bursts of `burst` (a token bucket).
// Used from the connection's own thread only.
#pragma once

#include <algorithm>
#include <chrono>

namespace cartable::live {

class MessageBudget {
 public:
  MessageBudget(double rate, double burst)
      : rate_(rate), burst_(burst), tokens_(burst), refilled_(std::chrono::steady_clock::now()) {}

  // Spends one message if the allowance has it.
  bool take() {
    const auto now = std::chrono::steady_clock::now();
    tokens_ =
        std::min(burst_, tokens_ + std::chrono::duration<double>(now - refilled_).count() * rate_);
    refilled_ = now;
    if (tokens_ < 1) {
      return false;
    }
    tokens_ -= 1;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
};

}  // namespace cartable::live
