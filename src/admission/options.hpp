// Everything an operator can set about admission control (flags in app/config.cpp, documented in
// docs/operations.md).
#pragma once

#include <chrono>
#include <string>

#include "admission/queue_controller.hpp"
#include "admission/rate_limiter.hpp"

namespace cartable::admission {

struct GateOptions {
  bool enabled = true;
  ControllerOptions controller;
  BucketOptions per_address{1'000, 10'000};       // requests per second, burst
  BucketOptions per_session{30, 300};             // requests per second, burst
  BucketOptions tickets_per_address{100, 3'000};  // new queue places per second, burst
  std::chrono::seconds pass_lifetime{30 * 60};    // sliding: renewed as it is used
  std::chrono::milliseconds poll_min{2'000};
  std::chrono::milliseconds poll_max{10'000};
  std::string maintenance_message;  // not empty: maintenance mode
  bool secure_cookies = true;
};

}  // namespace cartable::admission
