// The clock every time-dependent decision asks, so tests and demos can fix "now".
#pragma once

#include <chrono>
#include <cstdint>

namespace cartable {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;

  std::int64_t unix_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

// Starts at a given instant and runs on in real time from there ("--now" for demos and tests).
class ShiftedClock final : public Clock {
 public:
  explicit ShiftedClock(std::chrono::system_clock::time_point start)
      : offset_(start - std::chrono::system_clock::now()) {}
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now() + offset_;
  }

 private:
  std::chrono::system_clock::duration offset_;
};

// Stands still until told to move (unit tests of controllers).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::system_clock::duration by) { now_ += by; }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace cartable
