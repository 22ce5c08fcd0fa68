#include "today/day_cache.hpp"

#include <gtest/gtest.h>

namespace cartable::today {
namespace {

std::shared_ptr<const CachedDay> day_of(const ClassVersions& versions, std::int64_t class_id,
                                        std::int64_t valid_until) {
  auto day = std::make_shared<CachedDay>();
  day->body = std::make_shared<const std::string>("{}");
  day->etag = "\"x\"";
  day->dependencies = {versions.capture(class_id)};
  day->valid_until = valid_until;
  return day;
}

TEST(DayCache, ServesUntilItsClassChanges) {
  ClassVersions versions;
  DayCache cache(versions);
  cache.store(7, day_of(versions, 3, 1000));
  EXPECT_NE(cache.find(7, 10), nullptr);
  versions.bump(4);  // another class
  EXPECT_NE(cache.find(7, 10), nullptr);
  versions.bump(3);
  EXPECT_EQ(cache.find(7, 10), nullptr);
}

TEST(DayCache, ExpiresAtTheEndOfTheDay) {
  ClassVersions versions;
  DayCache cache(versions);
  cache.store(7, day_of(versions, 3, 1000));
  EXPECT_NE(cache.find(7, 999), nullptr);
  EXPECT_EQ(cache.find(7, 1000), nullptr);
}

TEST(DayCache, KnowsOnlyWhatItStored) {
  ClassVersions versions;
  DayCache cache(versions);
  EXPECT_EQ(cache.find(1, 0), nullptr);
  cache.store(1, day_of(versions, 1, 100));
  EXPECT_EQ(cache.find(2, 0), nullptr);
}

TEST(DayCache, StaysBoundedInMemory) {
  ClassVersions versions;
  DayCache cache(versions);
  const std::int64_t users = static_cast<std::int64_t>(DayCache::kMaxEntriesPerShard) * 40;
  for (std::int64_t user = 0; user < users; ++user) {
    cache.store(user, day_of(versions, 1, 100));
  }
  std::size_t kept = 0;
  for (std::int64_t user = 0; user < users; ++user) {
    kept += cache.find(user, 0) != nullptr ? 1 : 0;
  }
  EXPECT_LE(kept, DayCache::kMaxEntriesPerShard * 32);
  EXPECT_GT(kept, 0u);
}

}  // namespace
}  // namespace cartable::today
