// Names and first bytes of uploads, as clients send them: the name check, type recognition, the
// extension fix-up and the Content-Disposition built from an accepted name never crash, and a name
// that passes never holds a path separator or a control character.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "files/file_name.hpp"
#include "files/media_type.hpp"
#include "http/content_disposition.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first line is the name, the rest the file's head.
  const std::size_t newline = input.find('\n');
  const std::string_view name = input.substr(0, newline);
  const std::string_view head =
      newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  const auto checked = cartable::files::check_file_name(name);
  if (const auto* accepted = std::get_if<std::string>(&checked)) {
    for (const char c : *accepted) {
      if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
        std::abort();
      }
    }
    const auto type = cartable::files::recognise(
        {reinterpret_cast<const unsigned char*>(head.data()), head.size()}, *accepted);
    if (type) {
      const std::string offered = cartable::files::name_with_extension(*accepted, *type);
      const std::string header = cartable::http::content_disposition("attachment", offered);
      if (header.find_first_of("\r\n") != std::string::npos) {
        std::abort();
      }
    }
  }
  return 0;
}
