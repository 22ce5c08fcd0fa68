#include "http/content_disposition.hpp"

namespace cartable::http {

std::string content_disposition(std::string_view disposition, std::string_view file_name) {
  std::string fallback;
  bool exact = true;
  for (const char c : file_name) {
    const auto byte = static_cast<unsigned char>(c);
    const bool kept = byte >= 0x20 && byte < 0x7F && c != '"' && c != '\\' && c != '%' && c != '/';
    fallback += kept ? c : '_';
    exact &= kept;
  }
  std::string header = std::string(disposition) + "; filename=\"" + fallback + "\"";
  if (exact) {
    return header;
  }
  // RFC 8187 attr-char; every other byte is percent-encoded.
  constexpr std::string_view kAttrChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$&+-.^_`|~";
  constexpr std::string_view kHex = "0123456789ABCDEF";
  header += "; filename*=UTF-8''";
  for (const char c : file_name) {
    if (kAttrChars.find(c) != std::string_view::npos) {
      header += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      header += '%';
      header += kHex[byte >> 4];
      header += kHex[byte & 0x0F];
    }
  }
  return header;
}

}  // namespace cartable::http
