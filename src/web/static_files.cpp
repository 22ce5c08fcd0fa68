#include "web/static_files.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <fstream>
#include <sstream>

#include "common/etag.hpp"

namespace cartable::web {

namespace {

namespace fs = std::filesystem;
using boost::beast::http::field;

std::string_view content_type_of(const fs::path& path) {
  const std::string extension = path.extension().string();
  if (extension == ".html")
    return "text/html; charset=utf-8";
  if (extension == ".js" || extension == ".mjs")
    return "text/javascript; charset=utf-8";
  if (extension == ".css")
    return "text/css; charset=utf-8";
  if (extension == ".json" || extension == ".webmanifest")
    return "application/manifest+json";
  if (extension == ".svg")
    return "image/svg+xml";
  if (extension == ".png")
    return "image/png";
  if (extension == ".ico")
    return "image/x-icon";
  if (extension == ".woff2")
    return "font/woff2";
  if (extension == ".txt")
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::shared_ptr<const std::string> read_file(const fs::path& path) {
  if (!fs::exists(path) || fs::file_size(path) > kMaxAssetBytes) {
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return std::make_shared<const std::string>(content.str());
}

// Whether the Accept-Encoding header allows `coding` (a q=0 refusal counts as not allowed).
bool accepts(std::string_view header, std::string_view coding) {
  std::size_t position = 0;
  while (position < header.size()) {
    std::size_t end = header.find(',', position);
    if (end == std::string_view::npos) {
      end = header.size();
    }
    std::string_view item = header.substr(position, end - position);
    position = end + 1;
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    const std::size_t semicolon = item.find(';');
    std::string_view name = item.substr(0, semicolon);
    while (!name.empty() && name.back() == ' ') {
      name.remove_suffix(1);
    }
    if (boost::beast::iequals(name, coding)) {
      const bool refused = semicolon != std::string_view::npos &&
                           item.find("q=0", semicolon) != std::string_view::npos &&
                           item.find("q=0.", semicolon) == std::string_view::npos;
      return !refused;
    }
  }
  return false;
}

constexpr std::string_view kNotBuiltPage =
    "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Cartable</title></head>"
    "<body><h1>Cartable</h1><p>L'application web n'est pas construite (make web). "
    "L'API fonctionne sous /api/.</p><p>The web app is not built (make web). "
    "The API works under /api/.</p></body></html>";

}  // namespace

StaticFiles::StaticFiles(const fs::path& root) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) {
    spdlog::warn("web app not found at '{}': serving a placeholder page", root.string());
  } else {
    for (const auto& entry : fs::recursive_directory_iterator(root, ec)) {
      const fs::path& path = entry.path();
      if (!entry.is_regular_file() || path.extension() == ".gz" || path.extension() == ".br") {
        continue;
      }
      auto identity = read_file(path);
      if (!identity) {
        continue;
      }
      const std::string url = "/" + fs::relative(path, root).generic_string();
      File file;
      file.etag = entity_tag(*identity);
      file.identity = std::move(identity);
      file.gzip = read_file(path.string() + ".gz");
      file.brotli = read_file(path.string() + ".br");
      file.content_type = content_type_of(path);
      file.immutable = url.starts_with("/assets/");
      files_.emplace(url, std::move(file));
    }
  }
  if (!files_.contains("/index.html")) {
    File placeholder;
    placeholder.identity = std::make_shared<const std::string>(kNotBuiltPage);
    placeholder.etag = entity_tag(*placeholder.identity);
    placeholder.content_type = "text/html; charset=utf-8";
    files_.emplace("/index.html", std::move(placeholder));
  }
}

http::Response StaticFiles::serve(const http::RequestContext& context) const {
  if (const auto it = files_.find(std::string(context.path)); it != files_.end()) {
    return send(context, it->second);
  }
  // A missing hashed asset is a real 404 (an old page asking for a file of a past build); any other
  // path is a route of the app.
  if (context.path.starts_with("/assets/")) {
    return http::error_response(http::Status::not_found, "not_found", "No such file.");
  }
  return send(context, files_.at("/index.html"));
}

http::Response StaticFiles::send(const http::RequestContext& context, const File& file) const {
  http::Response response{http::Status::ok, 11};
  response.set(field::content_type, file.content_type);
  response.set(field::etag, file.etag);
  response.set(field::vary, "Accept-Encoding");
  response.set(field::cache_control,
               file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (context.request[field::if_none_match] == file.etag) {
    response.result(http::Status::not_modified);
    return response;
  }
  const std::string_view accept = context.request[field::accept_encoding];
  if (file.brotli && accepts(accept, "br")) {
    response.set(field::content_encoding, "br");
    response.body().shared = file.brotli;
  } else if (file.gzip && accepts(accept, "gzip")) {
    response.set(field::content_encoding, "gzip");
    response.body().shared = file.gzip;
  } else {
    response.body().shared = file.identity;
  }
  return response;
}

}  // namespace cartable::web
