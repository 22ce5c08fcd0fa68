// `cartable-load http`: one URL, a fixed number of keep-alive connections each sending requests
// back to back (closed loop), or a fixed rate of requests (open loop: latency counts from the time
// each request was due, so a stalled server is not hidden by requests that were never sent).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "histogram.hpp"

namespace cartable::load {

struct HttpRunOptions {
  std::string url;
  std::size_t concurrency = 16;  // closed loop: connections; open loop: at most this many
  double rate = 0;               // requests per second; 0: closed loop
  std::chrono::seconds duration{10};
  std::vector<std::string> headers;  // "Name: value"
};

struct HttpRunResult {
  std::uint64_t requests = 0;
  std::map<int, std::uint64_t> statuses;
  std::uint64_t connection_errors = 0;
  std::uint64_t late = 0;  // open loop: due while every connection was busy
  double seconds = 0;
  Histogram latency;
};

HttpRunResult run_http(const HttpRunOptions& options);

}  // namespace cartable::load
