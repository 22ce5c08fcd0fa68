// Limits on stored files, each with a flag (app/config.cpp) and documented in docs/operations.md.
#pragma once

#include <cstdint>

namespace cartable::files {

struct FileLimits {
  // One upload; a larger body is refused with 413 before or while it is read.
  std::uint64_t max_file_bytes = 25ull << 20;
  // Everything one person has uploaded, and everything a school holds.
  std::uint64_t user_quota_bytes = 500ull << 20;
  std::uint64_t school_quota_bytes = 50ull << 30;
  // Files attached to one homework or one hand-in.
  std::size_t max_files_per_item = 10;
};

}  // namespace cartable::files
