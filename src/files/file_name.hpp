// File names given by clients: shown to people and offered back on download, never used as a
// path. A name that could mislead or escape is refused with a reason rather than silently
// rewritten.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace cartable::files {

constexpr std::size_t kMaxFileNameBytes = 200;

// The name trimmed of surrounding spaces, or the reason it is refused: empty, too long, not clean
// UTF-8, control characters or bidirectional overrides (which can disguise "txt.exe"), a path
// (slash, backslash), or only dots.
struct FileNameError {
  std::string message;
};
std::variant<std::string, FileNameError> check_file_name(std::string_view name);

}  // namespace cartable::files
