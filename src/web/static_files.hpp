// The web app's files, read once at start-up and served from memory: hashed assets as immutable,
// with their pre-compressed .br/.gz twins chosen by Accept-Encoding; every other path outside
// /api/ gets index.html (the app routes in the browser).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include "http/router.hpp"

namespace cartable::web {

// Files larger than this are not served from memory (the built app has none near it).
constexpr std::size_t kMaxAssetBytes = 4 * 1024 * 1024;

class StaticFiles {
 public:
  // Loads every file under `root`. An empty or missing root serves a short page that says the web
  // app is not built (the API still works).
  explicit StaticFiles(const std::filesystem::path& root);

  http::Response serve(const http::RequestContext& context) const;
  std::size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::shared_ptr<const std::string> identity;
    std::shared_ptr<const std::string> gzip;
    std::shared_ptr<const std::string> brotli;
    std::string content_type;
    std::string etag;
    bool immutable = false;
  };

  http::Response send(const http::RequestContext& context, const File& file) const;

  std::unordered_map<std::string, File> files_;  // by URL path, e.g. "/assets/index-3f2a.js"
};

}  // namespace cartable::web
