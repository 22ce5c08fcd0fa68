#include "common/base64url.hpp"

#include <sodium.h>

#include <cstring>

namespace cartable {

std::string to_base64url(std::span<const unsigned char> bytes) {
  std::string text(
      sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  text.resize(std::strlen(text.c_str()));
  return text;
}

bool from_base64url(std::string_view text, std::span<unsigned char> out) {
  // libsodium 1.0.18 decodes bytes 0x80..0xFF as '_': check the alphabet ourselves.
  for (const char c : text) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!allowed) {
      return false;
    }
  }
  std::size_t written = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &written, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    return false;
  }
  return written == out.size() && end == text.data() + text.size();
}

}  // namespace cartable
