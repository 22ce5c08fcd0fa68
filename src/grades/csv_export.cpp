#include "grades/csv_export.hpp"

#include <cstdio>

#include "grades/averages.hpp"

namespace cartable::grades {

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

std::string attachment_disposition(std::string_view file_name) {
  std::string ascii;
  bool plain = true;
  for (const char c : file_name) {
    const auto byte = static_cast<unsigned char>(c);
    plain &= byte >= 0x20 && byte < 0x7f && c != '"' && c != '\\';
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    if (safe) {
      ascii += c;
    } else if (ascii.empty() || ascii.back() != '-') {
      ascii += '-';
    }
  }
  std::string header = "attachment; filename=\"" + ascii + "\"";
  if (plain) {
    return header;
  }
  // RFC 8187 attr-char: everything else is percent-encoded, byte by byte.
  constexpr std::string_view kAttrChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";
  header += "; filename*=UTF-8''";
  for (const char c : file_name) {
    if (kAttrChars.find(c) != std::string_view::npos) {
      header += c;
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
      header += escaped;
    }
  }
  return header;
}

}  // namespace cartable::grades
