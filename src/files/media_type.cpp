#include "files/media_type.hpp"

#include <algorithm>
#include <array>

#include "common/text.hpp"

namespace cartable::files {

namespace {

constexpr MediaType kPdf{"application/pdf", ".pdf", true};
constexpr MediaType kPng{"image/png", ".png", true};
constexpr MediaType kJpeg{"image/jpeg", ".jpg", true};
constexpr MediaType kGif{"image/gif", ".gif", true};
constexpr MediaType kWebp{"image/webp", ".webp", true};
constexpr MediaType kMp3{"audio/mpeg", ".mp3", true};
constexpr MediaType kOgg{"audio/ogg", ".ogg", true};
constexpr MediaType kMp4{"video/mp4", ".mp4", true};
constexpr MediaType kM4a{"audio/mp4", ".m4a", true};
constexpr MediaType kWebm{"video/webm", ".webm", true};
constexpr MediaType kText{"text/plain; charset=utf-8", ".txt", false};
constexpr MediaType kCsv{"text/csv; charset=utf-8", ".csv", false};
constexpr MediaType kZip{"application/zip", ".zip", false};

struct ByExtension {
  std::string_view extension;
  MediaType type;
};

// Formats stored inside a ZIP container, told apart by their extension.
constexpr std::array kZipFormats{
    ByExtension{".docx",
                {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx",
                 false}},
    ByExtension{
        ".xlsx",
        {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", false}},
    ByExtension{".pptx",
                {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
                 ".pptx", false}},
    ByExtension{".odt", {"application/vnd.oasis.opendocument.text", ".odt", false}},
    ByExtension{".ods", {"application/vnd.oasis.opendocument.spreadsheet", ".ods", false}},
    ByExtension{".odp", {"application/vnd.oasis.opendocument.presentation", ".odp", false}},
    ByExtension{".odg", {"application/vnd.oasis.opendocument.graphics", ".odg", false}},
};

// Older office formats share the OLE2 container.
constexpr std::array kOleFormats{
    ByExtension{".doc", {"application/msword", ".doc", false}},
    ByExtension{".xls", {"application/vnd.ms-excel", ".xls", false}},
    ByExtension{".ppt", {"application/vnd.ms-powerpoint", ".ppt", false}},
};

bool starts_with(std::span<const unsigned char> head, std::string_view magic, std::size_t at = 0) {
  return head.size() >= at + magic.size() &&
         std::equal(magic.begin(), magic.end(), head.begin() + static_cast<std::ptrdiff_t>(at),
                    [](char m, unsigned char h) { return static_cast<unsigned char>(m) == h; });
}

std::string lower_extension(std::string_view file_name) {
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) {
    return {};
  }
  std::string extension(file_name.substr(dot));
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

template <std::size_t N>
std::optional<MediaType> by_extension(const std::array<ByExtension, N>& formats,
                                      std::string_view file_name) {
  const std::string extension = lower_extension(file_name);
  for (const ByExtension& format : formats) {
    if (format.extension == extension) {
      return format.type;
    }
  }
  return std::nullopt;
}

// Text: clean UTF-8 (common/text.hpp: no NUL, no control but line breaks and tabs), a sequence cut
// at the end of the head being fine.
bool is_text(std::span<const unsigned char> head) {
  if (head.empty()) {
    return false;
  }
  std::size_t end = head.size();
  // Step back over a multi-byte sequence that the head may have cut.
  for (std::size_t back = 1; back <= 3 && back <= head.size(); ++back) {
    const unsigned char c = head[head.size() - back];
    if ((c & 0xC0) == 0xC0) {
      end = head.size() - back;
      break;
    }
    if ((c & 0x80) == 0) {
      break;
    }
  }
  return is_clean_text(std::string_view(reinterpret_cast<const char*>(head.data()), end), true);
}

// Text that a browser would take for a page if it ever ignored the headers: refused outright.
bool looks_like_markup(std::span<const unsigned char> head) {
  std::size_t i = 0;
  if (starts_with(head, "\xEF\xBB\xBF")) {
    i = 3;
  }
  while (i < head.size() &&
         (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
    ++i;
  }
  return i < head.size() && head[i] == '<';
}

}  // namespace

std::optional<MediaType> recognise(std::span<const unsigned char> head,
                                   std::string_view file_name) {
  if (starts_with(head, "%PDF-")) {
    return kPdf;
  }
  if (starts_with(head, "\x89PNG\r\n\x1A\n")) {
    return kPng;
  }
  if (starts_with(head, "\xFF\xD8\xFF")) {
    return kJpeg;
  }
  if (starts_with(head, "GIF87a") || starts_with(head, "GIF89a")) {
    return kGif;
  }
  if (starts_with(head, "RIFF") && starts_with(head, "WEBP", 8)) {
    return kWebp;
  }
  if (starts_with(head, "ID3") ||
      (head.size() >= 2 && head[0] == 0xFF && (head[1] & 0xE6) == 0xE2)) {
    return kMp3;
  }
  if (starts_with(head, "OggS")) {
    return kOgg;
  }
  if (starts_with(head, "\x1A\x45\xDF\xA3")) {
    return kWebm;
  }
  if (starts_with(head, "ftyp", 4)) {
    return starts_with(head, "M4A ", 8) ? kM4a : kMp4;
  }
  if (starts_with(head, std::string_view("PK\x03\x04", 4))) {
    return by_extension(kZipFormats, file_name).value_or(kZip);
  }
  if (starts_with(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return by_extension(kOleFormats, file_name);
  }
  if (is_text(head) && !looks_like_markup(head)) {
    return lower_extension(file_name) == ".csv" ? kCsv : kText;
  }
  return std::nullopt;
}

std::string name_with_extension(std::string_view file_name, const MediaType& type) {
  const std::string extension = lower_extension(file_name);
  const bool fits = extension == type.extension ||
                    (type.extension == ".jpg" && extension == ".jpeg") ||
                    (type.extension == ".txt" && !extension.empty() && extension != ".html" &&
                     extension != ".htm" && extension != ".svg" && extension != ".js" &&
                     extension != ".exe" && extension != ".bat" && extension != ".cmd" &&
                     extension != ".sh" && extension != ".vbs" && extension != ".ps1");
  std::string name(file_name);
  if (!fits) {
    name += type.extension;
  }
  return name;
}

std::string_view accepted_kinds() {
  return "PDF, images (PNG, JPEG, GIF, WebP), audio (MP3, Ogg, M4A), video (MP4, WebM), office "
         "documents (Word, Excel, PowerPoint, OpenDocument), ZIP archives and plain text";
}

}  // namespace cartable::files
