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

}  // namespace cartable::files
