#include "grades/csv_export.hpp"

#include <cstdio>

#include "grades/averages.hpp"

namespace cartable::grades {

std::string format_decimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", round_to_hundredths(value));
  std::string result(text);
  while (result.back() == '0') {
    result.pop_back();
  }
  if (result.back() == '.') {
    result.pop_back();
  }
  return result == "-0" ? "0" : result;
}

}  // namespace cartable::grades
