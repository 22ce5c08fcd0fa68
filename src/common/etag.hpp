// Entity tags: a short keyed-free BLAKE2b digest of a response body, quoted as HTTP wants it.
#pragma once

#include <string>
#include <string_view>

namespace cartable {

// "\"<32 hex digits>\"": a 128-bit digest, enough that two different bodies never share a tag.
std::string entity_tag(std::string_view body);

// Whether an If-None-Match header value names `tag` (quoted): "*", a list, weak or strong forms.
bool etag_matches(std::string_view if_none_match, std::string_view tag);

}  // namespace cartable
