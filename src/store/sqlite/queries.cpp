#include "store/sqlite/queries.hpp"

#include <memory>

namespace cartable {

FileRecord read_file(const sqlite::Statement& row, int first) {
  FileRecord file;
  file.id = row.integer(first);
  file.sha256 = row.text(first + 1);
  file.size = static_cast<std::uint64_t>(row.integer(first + 2));
  file.crc32 = static_cast<std::uint32_t>(row.integer(first + 3));
  file.media_type = row.text(first + 4);
  file.name = row.text(first + 5);
  file.owner_id = row.integer(first + 6);
  file.school_id = row.integer(first + 7);
  file.created_at = row.text(first + 8);
  return file;
}

const std::string& sql_once(const std::string& text) {
  static std::mutex mutex;
  static std::vector<std::unique_ptr<std::string>> texts;
  std::lock_guard lock(mutex);
  for (const auto& existing : texts) {
    if (*existing == text) {
      return *existing;
    }
  }
  texts.push_back(std::make_unique<std::string>(text));
  return *texts.back();
}

}  // namespace cartable
