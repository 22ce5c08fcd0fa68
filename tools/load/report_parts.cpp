#include "report_parts.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cartable::load {

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(decimals);
  out << value;
  return out.str();
}

std::string html_head(const std::string& title) {
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
         "</title><style>body{font:14px/1.4 system-ui,sans-serif;max-width:60rem;margin:1rem "
         "auto;padding:0 1rem;color:#1b2430}table{border-collapse:collapse}td,th{border:1px "
         "solid #ccd;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:"
         "left}.pass{color:#2e7d32}.fail{color:#b3261e}svg{width:100%;height:auto}</style></head>"
         "<body>";
}

boost::json::object histogram_json(const Histogram& histogram) {
  return {{"count", histogram.count()},
          {"p50_ms", histogram.percentile_us(0.5) / 1000},
          {"p95_ms", histogram.percentile_us(0.95) / 1000},
          {"p99_ms", histogram.percentile_us(0.99) / 1000},
          {"max_ms", histogram.max_us() / 1000}};
}

// A line chart as inline SVG: one polyline per series over the run's seconds.
std::string chart(const std::string& title, const std::vector<std::string>& names,
                  const std::vector<std::vector<double>>& series) {
  static const char* colours[] = {"#1d4e89", "#2e7d32", "#c77700", "#b3261e", "#6a1b9a", "#00838f"};
  double top = 1;
  std::size_t points = 1;
  for (const auto& values : series) {
    for (const double value : values) {
      top = std::max(top, value);
    }
    points = std::max(points, values.size());
  }
  std::ostringstream svg;
  svg << "<figure><figcaption>" << title << "</figcaption><svg viewBox=\"0 0 640 200\" "
      << "role=\"img\" aria-label=\"" << title << "\"><rect width=\"640\" height=\"200\" "
      << "fill=\"#fff\" stroke=\"#ccd\"/><text x=\"4\" y=\"12\" font-size=\"10\">" << fixed(top, 0)
      << "</text><text x=\"600\" y=\"196\" font-size=\"10\">" << points - 1 << " s</text>";
  for (std::size_t s = 0; s < series.size(); ++s) {
    svg << "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"" << colours[s % 6]
        << "\" points=\"";
    for (std::size_t i = 0; i < series[s].size(); ++i) {
      svg << fixed(static_cast<double>(i) * 640.0 /
                       static_cast<double>(std::max<std::size_t>(1, points - 1)),
                   1)
          << ',' << fixed(195 - 180 * series[s][i] / top, 1) << ' ';
    }
    svg << "\"/>";
  }
  svg << "</svg><p>";
  for (std::size_t s = 0; s < names.size(); ++s) {
    svg << "<span style=\"color:" << colours[s % 6] << "\">&#9632;</span> " << names[s] << " ";
  }
  svg << "</p></figure>";
  return svg.str();
}

void write_file(const std::string& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + file);
  }
}

}  // namespace cartable::load
