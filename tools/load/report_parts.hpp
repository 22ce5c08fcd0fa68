// Pieces shared by the reports of every scenario: number formatting, a histogram as JSON, the
// HTML page's head and an inline SVG line chart.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "histogram.hpp"

namespace cartable::load {

std::string fixed(double value, int decimals = 1);
// {"count","p50_ms","p95_ms","p99_ms","max_ms"}
boost::json::object histogram_json(const Histogram& histogram);
// "<!doctype html>...<body>" with the reports' style sheet.
std::string html_head(const std::string& title);
// A line chart as inline SVG: one polyline per series over the run's seconds.
std::string chart(const std::string& title, const std::vector<std::string>& names,
                  const std::vector<std::vector<double>>& series);
// Writes `text` to `file` (throws if it cannot).
void write_file(const std::string& file, const std::string& text);

}  // namespace cartable::load
