#include "common/csv.hpp"

namespace cartable {

std::string csv_cell(std::string_view text) {
  std::string cell;
  // OWASP's list for CSV injection: these open a formula in Excel, LibreOffice and Sheets.
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    cell += '\'';
  }
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    return cell;
  }
  std::string quoted = "\"";
  for (const char c : cell) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  quoted += '"';
  return quoted;
}

std::string csv_row(const std::vector<std::string>& cells) {
  std::string row;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) {
      row += ',';
    }
    row += csv_cell(cells[i]);
  }
  row += "\r\n";
  return row;
}

}  // namespace cartable
