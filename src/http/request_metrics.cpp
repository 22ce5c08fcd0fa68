#include "http/request_metrics.hpp"

#include <algorithm>

namespace cartable::http {

RequestMetrics::RequestMetrics(const std::vector<std::string>& route_names) {
  for (const std::string& name : route_names) {
    routes_.push_back(std::make_unique<Series>());
    routes_.back()->name = name;
  }
  for (const char* name : {"admission", "static", "unmatched"}) {
    routes_.push_back(std::make_unique<Series>());
    routes_.back()->name = name;
  }
}

void RequestMetrics::record(std::size_t route_index, unsigned status,
                            std::chrono::nanoseconds elapsed) {
  Series& series = *routes_[std::min(route_index, unmatched_index())];
  const std::size_t status_class = std::clamp<unsigned>(status / 100, 1, 5) - 1;
  series.by_class[status_class].fetch_add(1, std::memory_order_relaxed);
  const double milliseconds = std::chrono::duration<double, std::milli>(elapsed).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(kBucketsMs.begin(), kBucketsMs.end(), milliseconds) - kBucketsMs.begin());
  series.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  series.sum_microseconds.fetch_add(
      static_cast<std::uint64_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()),
      std::memory_order_relaxed);
}

std::string RequestMetrics::render() const {
  std::string out;
  out.reserve(256 * routes_.size());
  out += "# HELP cartable_http_requests_total Requests answered, by route and status class.\n";
  out += "# TYPE cartable_http_requests_total counter\n";
  for (const auto& series : routes_) {
    for (std::size_t i = 0; i < series->by_class.size(); ++i) {
      const std::uint64_t count = series->by_class[i].load(std::memory_order_relaxed);
      if (count != 0) {
        out += "cartable_http_requests_total{route=\"" + series->name + "\",code=\"" +
               std::to_string(i + 1) + "xx\"} " + std::to_string(count) + "\n";
      }
    }
  }
  out +=
      "# HELP cartable_http_request_duration_seconds Time from the full request to its response.\n";
  out += "# TYPE cartable_http_request_duration_seconds histogram\n";
  for (const auto& series : routes_) {
    std::uint64_t cumulative = 0;
    const std::string label = "route=\"" + series->name + "\"";
    for (std::size_t i = 0; i < series->buckets.size(); ++i) {
      cumulative += series->buckets[i].load(std::memory_order_relaxed);
      const std::string bound =
          i < kBucketsMs.size() ? std::to_string(kBucketsMs[i] / 1000.0) : std::string("+Inf");
      out += "cartable_http_request_duration_seconds_bucket{" + label + ",le=\"" + bound + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += "cartable_http_request_duration_seconds_sum{" + label + "} " +
           std::to_string(static_cast<double>(series->sum_microseconds.load()) / 1e6) + "\n";
    out += "cartable_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(cumulative) + "\n";
  }
  return out;
}

}  // namespace cartable::http
