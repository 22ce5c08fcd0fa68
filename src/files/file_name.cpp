#include "files/file_name.hpp"

#include <algorithm>

#include "common/text.hpp"

namespace cartable::files {

std::variant<std::string, FileNameError> check_file_name(std::string_view name) {
  name = trim_whitespace(name);
  if (name.empty()) {
    return FileNameError{"a file name is required"};
  }
  if (name.size() > kMaxFileNameBytes) {
    return FileNameError{"the file name is too long (at most 200 bytes)"};
  }
  if (!is_clean_text(name, false)) {
    return FileNameError{
        "the file name must be UTF-8 text without control or direction-changing characters"};
  }
  if (name.find_first_of("/\\") != std::string_view::npos) {
    return FileNameError{"the file name must not contain / or \\"};
  }
  if (std::all_of(name.begin(), name.end(), [](char c) { return c == '.'; })) {
    return FileNameError{"the file name must not be only dots"};
  }
  return std::string(name);
}

std::string content_disposition(std::string_view disposition, std::string_view name) {
  std::string fallback;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                       c == '.' || c == '-' || c == '_';
    fallback += (u >= 0x20 && u < 0x7F && c != '"' && c != '\\' && c != '%') ? c : '_';
    if (plain) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[u >> 4];
      encoded += kHex[u & 0x0F];
    }
  }
  return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace cartable::files
