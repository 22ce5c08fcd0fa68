// A version number per class, bumped by every write that changes what the class's day view shows
// (homework today; hand-ins, announcements... later). A cached view remembers the versions it was
// built from and is served only while they are unchanged: invalidation costs one atomic increment
// and checking costs a few atomic loads, with no lock and no database read.
//
// Classes share kBuckets counters by id: a write to one class may also invalidate views of the
// classes in its bucket (harmless, rare), never the reverse.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

namespace cartable {

class ClassVersions {
 public:
  static constexpr std::size_t kBuckets = 4096;

  struct Dependency {
    std::int64_t class_id = 0;
    std::uint64_t version = 0;
  };

  std::uint64_t version(std::int64_t class_id) const {
    return buckets_[bucket(class_id)].load(std::memory_order_acquire);
  }
  // Call after the write is committed, so that a view built from the old data is invalid.
  void bump(std::int64_t class_id) {
    buckets_[bucket(class_id)].fetch_add(1, std::memory_order_acq_rel);
  }
  // Call before reading the data a view is built from.
  Dependency capture(std::int64_t class_id) const { return {class_id, version(class_id)}; }
  bool unchanged(const std::vector<Dependency>& dependencies) const {
    for (const Dependency& dependency : dependencies) {
      if (version(dependency.class_id) != dependency.version) {
        return false;
      }
    }
    return true;
  }

 private:
  static std::size_t bucket(std::int64_t class_id) {
    return static_cast<std::size_t>(class_id) % kBuckets;
  }

  std::array<std::atomic<std::uint64_t>, kBuckets> buckets_{};
};

}  // namespace cartable
