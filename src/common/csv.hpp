// Spreadsheet-safe CSV (RFC 4180) for exports.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cartable {

// One CSV cell. A cell that a spreadsheet would run as a formula (starting with = + - @, tab or
// carriage return) gets a leading single quote; a cell with a comma, quote or line break is
// quoted, its quotes doubled.
std::string csv_cell(std::string_view text);

// The cells joined by commas, ended by CRLF.
std::string csv_row(const std::vector<std::string>& cells);

}  // namespace cartable
