#include "proc_usage.hpp"

#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace cartable::load {

ProcessUsage ProcessSampler::sample() {
  if (pid_ <= 0) {
    return {};
  }
  std::ifstream stat("/proc/" + std::to_string(pid_) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name, in parentheses, may hold spaces: the fields start after the last ')'.
  const std::size_t close = text.rfind(')');
  if (close == std::string::npos) {
    return {};
  }
  std::istringstream fields(text.substr(close + 2));
  const std::vector<std::string> values((std::istream_iterator<std::string>(fields)),
                                        std::istream_iterator<std::string>());
  if (values.size() < 22) {
    return {};
  }
  const double ticks = std::stod(values[11]) + std::stod(values[12]);  // utime + stime
  ProcessUsage usage;
  usage.rss_bytes = std::stod(values[21]) * static_cast<double>(sysconf(_SC_PAGESIZE));
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - last_at_).count();
  if (last_ticks_ > 0 && elapsed > 0) {
    usage.cpu_percent =
        (ticks - last_ticks_) / static_cast<double>(sysconf(_SC_CLK_TCK)) / elapsed * 100.0;
  }
  last_ticks_ = ticks;
  last_at_ = now;
  return usage;
}

}  // namespace cartable::load
