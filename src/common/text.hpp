// Small text checks shared by input validation.
#pragma once

#include <cstddef>
#include <string_view>

namespace cartable {

std::string_view trim_whitespace(std::string_view text);
// Valid UTF-8 (no overlongs, no surrogates), no NUL or other control characters; newline, carriage
// return and tab allowed only when `multiline`. Also refuses bidirectional overrides (U+202A..E,
// U+2066..9), which can disguise text.
bool is_clean_text(std::string_view text, bool multiline);
// Code points in valid UTF-8.
std::size_t utf8_length(std::string_view text);

}  // namespace cartable
