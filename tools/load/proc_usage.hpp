// A server process's CPU and memory, read from /proc/<pid>/stat between two calls.
#pragma once

#include <chrono>

namespace cartable::load {

struct ProcessUsage {
  double cpu_percent = 0;  // of one core, since the previous sample (0 on the first)
  double rss_bytes = 0;
};

class ProcessSampler {
 public:
  explicit ProcessSampler(int pid) : pid_(pid) {}
  // Zeros when the pid is 0 or the process is gone.
  ProcessUsage sample();

 private:
  int pid_;
  double last_ticks_ = 0;
  std::chrono::steady_clock::time_point last_at_ = std::chrono::steady_clock::now();
};

}  // namespace cartable::load
