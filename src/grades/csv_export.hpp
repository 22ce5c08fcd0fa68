// Numbers as the marks export writes them (its cells: common/csv.hpp).
#pragma once

#include <string>

namespace cartable::grades {

// A number with at most two decimals and no trailing zeros: 12.5, 20, 13.75.
std::string format_decimal(double value);

}  // namespace cartable::grades
