// What an uploaded file is, recognised from its first bytes, never from its name or the type the
// client claims. Only kinds a school needs are accepted: documents (PDF, office formats, text),
// images, audio and video. Anything a browser could run (HTML, SVG, scripts, executables) is
// refused.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cartable::files {

struct MediaType {
  std::string_view mime;       // sent as Content-Type
  std::string_view extension;  // the usual one, with its dot: ".pdf"
  // Browsers may show it in a tab (PDF, images, audio, video) rather than only save it.
  bool viewable = false;
};

// `head`: the file's first bytes (up to 4 KiB; the whole file when smaller). `file_name` only
// tells apart the formats that share a container (a .docx and an .xlsx are both ZIP files).
std::optional<MediaType> recognise(std::span<const unsigned char> head, std::string_view file_name);

// The name to offer for download: `file_name` with the type's extension added when it does not
// already end with one that fits ("devoir.exe" holding a PDF is offered as "devoir.exe.pdf").
std::string name_with_extension(std::string_view file_name, const MediaType& type);

// The accepted kinds, for the docs and error messages.
std::string_view accepted_kinds();

}  // namespace cartable::files
