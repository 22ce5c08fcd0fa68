#include "messages/send_limiter.hpp"

#include <gtest/gtest.h>

namespace cartable::messages {
namespace {

TEST(MessageSendLimiter, BurstThenOneEveryTwoSeconds) {
  ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000)));
  SendLimiter limiter(clock, 30);
  for (int i = 0; i < 30; ++i) {
    EXPECT_FALSE(limiter.take(7).has_value()) << i;
  }
  const auto wait = limiter.take(7);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 2u);
  // Others are not affected.
  EXPECT_FALSE(limiter.take(8).has_value());
  clock.advance(std::chrono::seconds(2));
  EXPECT_FALSE(limiter.take(7).has_value());
  EXPECT_TRUE(limiter.take(7).has_value());
  clock.advance(std::chrono::minutes(1));
  for (int i = 0; i < 30; ++i) {
    EXPECT_FALSE(limiter.take(7).has_value()) << i;
  }
  EXPECT_TRUE(limiter.take(7).has_value());
}

TEST(MessageSendLimiter, ZeroMeansUnlimited) {
  ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(0)));
  SendLimiter limiter(clock, 0);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(limiter.take(1).has_value());
  }
}

}  // namespace
}  // namespace cartable::messages
