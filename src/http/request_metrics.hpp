// Requests by route and status class, and their latency as a histogram, for /metrics. Recording
// is a few relaxed atomic increments: no lock, no allocation.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cartable::http {

class RequestMetrics {
 public:
  // Upper bounds of the latency buckets, in milliseconds (the last bucket is +Inf).
  static constexpr std::array<double, 12> kBucketsMs{0.5, 1,   2,   5,   10,   25,
                                                     50,  100, 250, 500, 1000, 2500};

  // One series per route name, plus "admission" (answered by the admission gate: waiting room,
  // rate limits, maintenance), "static" (the web app) and "unmatched".
  explicit RequestMetrics(const std::vector<std::string>& route_names);

  std::size_t admission_index() const { return routes_.size() - 3; }
  std::size_t static_index() const { return routes_.size() - 2; }
  std::size_t unmatched_index() const { return routes_.size() - 1; }

  void record(std::size_t route_index, unsigned status, std::chrono::nanoseconds elapsed);
  // Prometheus text: cartable_http_requests_total{route,code} and
  // cartable_http_request_duration_seconds{route} (histogram).
  std::string render() const;

 private:
  struct Series {
    std::string name;
    std::array<std::atomic<std::uint64_t>, 5> by_class{};  // 1xx..5xx
    std::array<std::atomic<std::uint64_t>, kBucketsMs.size() + 1> buckets{};
    std::atomic<std::uint64_t> sum_microseconds{0};
  };
  std::vector<std::unique_ptr<Series>> routes_;
};

}  // namespace cartable::http
