#include "store/sqlite/queries.hpp"

#include <memory>

namespace cartable {

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
