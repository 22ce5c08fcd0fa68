// URL-safe base64 without padding, the spelling of every token Cartable puts in a cookie.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace cartable {

std::string to_base64url(std::span<const unsigned char> bytes);

// Decodes `text` into exactly `out.size()` bytes. Refuses (false) any other length, characters
// outside the alphabet and non-canonical endings, so that a token has exactly one spelling.
bool from_base64url(std::string_view text, std::span<unsigned char> out);

}  // namespace cartable
