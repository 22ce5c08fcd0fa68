// Spreadsheet-safe CSV (RFC 4180) and the download's file name, for the marks export.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cartable::grades {

// One CSV cell. A cell that a spreadsheet would run as a formula (starting with = + - @, tab or
// carriage return) gets a leading single quote; a cell with a comma, quote or line break is
// quoted, its quotes doubled.
std::string csv_cell(std::string_view text);

// The cells joined by commas, ended by CRLF.
std::string csv_row(const std::vector<std::string>& cells);

// A number with at most two decimals and no trailing zeros: 12.5, 20, 13.75.
std::string format_decimal(double value);

// `Content-Disposition: attachment` for `file_name`: an ASCII fallback (every byte outside
// [A-Za-z0-9._-] becomes '-', runs collapsed) and, when the name is not plain ASCII, the exact
// name as filename*=UTF-8''<percent-encoded> (RFC 6266, RFC 8187).
std::string attachment_disposition(std::string_view file_name);

}  // namespace cartable::grades
