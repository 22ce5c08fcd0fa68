// Content-Disposition for a download named `file_name` (RFC 6266): `filename` holds the name with
// every byte outside printable ASCII (and any quote, slash, backslash or percent sign) replaced by
// '_',
// and when that changed anything, `filename*` holds the exact name in UTF-8 (RFC 8187), which
// browsers prefer. No byte of the name can end the header or start another.
#pragma once

#include <string>
#include <string_view>

namespace cartable::http {

std::string content_disposition(std::string_view disposition, std::string_view file_name);

}  // namespace cartable::http
