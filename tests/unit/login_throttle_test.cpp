#include "guard/login_throttle.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

namespace cartable::guard {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const auto kSchool = boost::asio::ip::make_address("10.1.2.3");
const auto kHome = boost::asio::ip::make_address("192.0.2.7");
const auto kPhone = boost::asio::ip::make_address("2001:db8::1");

constexpr std::chrono::sys_days kStart{std::chrono::year{2026} / 9 / 21};

// Generous address buckets, so only the per-account rule acts.
ThrottleOptions account_options() {
  ThrottleOptions options;
  options.free_failures = 3;
  options.max_delay = seconds(30);
  options.address_burst = 1000;
  options.address_refill_per_minute = 1000;
  return options;
}

class LoginThrottleTest : public ::testing::Test {
 protected:
  ManualClock clock_{kStart};
};

TEST_F(LoginThrottleTest, NothingRecordedPasses) {
  LoginThrottle throttle(clock_, ThrottleOptions{});
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
  EXPECT_EQ(throttle.check("", kPhone), std::nullopt);
}

TEST_F(LoginThrottleTest, FreeFailuresPassThenDelaysDoubleUpToTheCap) {
  LoginThrottle throttle(clock_, account_options());
  for (int i = 0; i < 2; ++i) {
    throttle.record_failure("ada", kSchool);
    EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt) << "after failure " << i + 1;
  }
  // The third failure uses the last free attempt: from now on each failure imposes a delay.
  const seconds expected[] = {seconds(1),  seconds(2),  seconds(4),  seconds(8),
                              seconds(16), seconds(30), seconds(30), seconds(30)};
  for (const seconds delay : expected) {
    throttle.record_failure("ada", kSchool);
    EXPECT_EQ(throttle.check("ada", kSchool), delay);
    clock_.advance(delay - seconds(1));
    EXPECT_EQ(throttle.check("ada", kSchool), seconds(1))
        << "1 s before the end of " << delay.count();
    clock_.advance(seconds(1));
    EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt) << "after " << delay.count();
  }
}

TEST_F(LoginThrottleTest, ManyFailuresStayCapped) {
  ThrottleOptions options = account_options();
  options.max_delay = minutes(10);
  LoginThrottle throttle(clock_, options);
  for (int i = 0; i < 100; ++i) {
    throttle.record_failure("ada", kSchool);
  }
  EXPECT_EQ(throttle.check("ada", kSchool), minutes(10));
  clock_.advance(minutes(10));
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
}

TEST_F(LoginThrottleTest, WaitIsRoundedUpToWholeSeconds) {
  LoginThrottle throttle(clock_, account_options());
  for (int i = 0; i < 5; ++i) {
    throttle.record_failure("ada", kSchool);  // delay 4 s
  }
  clock_.advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(3));  // 2.5 s left
  clock_.advance(std::chrono::milliseconds(2499));
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(1));  // 1 ms left
  clock_.advance(std::chrono::milliseconds(1));
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
}

TEST_F(LoginThrottleTest, FailuresCountAcrossAddresses) {
  LoginThrottle throttle(clock_, account_options());
  throttle.record_failure("ada", kSchool);
  throttle.record_failure("ada", kHome);
  throttle.record_failure("ada", kPhone);
  // The account is what is protected: any address must wait.
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(1));
  EXPECT_EQ(throttle.check("ada", kHome), seconds(1));
  EXPECT_EQ(throttle.check("ada", boost::asio::ip::make_address("198.51.100.1")), seconds(1));
}

TEST_F(LoginThrottleTest, SuccessClearsTheFailures) {
  LoginThrottle throttle(clock_, account_options());
  for (int i = 0; i < 6; ++i) {
    throttle.record_failure("ada", kSchool);
  }
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(8));
  throttle.record_success("ada");
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
  // Counting starts again from zero: the free failures are free again.
  throttle.record_failure("ada", kSchool);
  throttle.record_failure("ada", kSchool);
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
  throttle.record_failure("ada", kSchool);
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(1));
}

TEST_F(LoginThrottleTest, AnotherLoginIsUnaffected) {
  LoginThrottle throttle(clock_, account_options());
  for (int i = 0; i < 10; ++i) {
    throttle.record_failure("ada", kSchool);
  }
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(30));
  EXPECT_EQ(throttle.check("grace", kSchool), std::nullopt);
  EXPECT_EQ(throttle.check("Ada", kSchool), std::nullopt);  // logins compare exactly
  EXPECT_EQ(throttle.check("ada ", kSchool), std::nullopt);
  throttle.record_success("grace");
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(30));
}

TEST_F(LoginThrottleTest, AddressBucketAllowsABurstThenRefills) {
  ThrottleOptions options;
  options.free_failures = 1000;  // so only the address rule acts
  options.address_burst = 5;
  options.address_refill_per_minute = 4;  // one token every 15 s (exact in binary)
  LoginThrottle throttle(clock_, options);

  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle.check("user" + std::to_string(i), kSchool), std::nullopt) << i;
    throttle.record_failure("user" + std::to_string(i), kSchool);
  }
  // The bucket is empty: every login from this address waits, even one never tried.
  EXPECT_EQ(throttle.check("user0", kSchool), seconds(15));
  EXPECT_EQ(throttle.check("someone-else", kSchool), seconds(15));
  // Other addresses are unaffected.
  EXPECT_EQ(throttle.check("someone-else", kHome), std::nullopt);
  EXPECT_EQ(throttle.check("user0", kPhone), std::nullopt);

  clock_.advance(std::chrono::milliseconds(7500));
  EXPECT_EQ(throttle.check("user0", kSchool), seconds(8));  // 7.5 s, rounded up
  clock_.advance(std::chrono::milliseconds(7500));
  EXPECT_EQ(throttle.check("user0", kSchool), std::nullopt);  // one token back
  throttle.record_failure("user0", kSchool);
  EXPECT_EQ(throttle.check("user0", kSchool), seconds(15));

  // A long pause refills the bucket, but never beyond the burst.
  clock_.advance(minutes(60));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle.check("user9", kSchool), std::nullopt) << i;
    throttle.record_failure("user9", kSchool);
  }
  EXPECT_EQ(throttle.check("user9", kSchool), seconds(15));
}

TEST_F(LoginThrottleTest, SuccessDoesNotRefillTheAddressBucket) {
  ThrottleOptions options;
  options.free_failures = 1000;
  options.address_burst = 2;
  options.address_refill_per_minute = 1;
  LoginThrottle throttle(clock_, options);
  throttle.record_failure("ada", kSchool);
  throttle.record_failure("ada", kSchool);
  throttle.record_success("ada");
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(60));
}

TEST_F(LoginThrottleTest, AddressWaitIsAtLeastOneSecond) {
  ThrottleOptions options;
  options.free_failures = 1000;
  options.address_burst = 1;
  options.address_refill_per_minute = 6000;  // a token every 10 ms
  LoginThrottle throttle(clock_, options);
  throttle.record_failure("ada", kSchool);
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(1));
  clock_.advance(std::chrono::milliseconds(20));
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
}

TEST_F(LoginThrottleTest, BothRulesApply) {
  ThrottleOptions options;
  options.free_failures = 1;
  options.max_delay = seconds(30);
  options.address_burst = 1;
  options.address_refill_per_minute = 1;
  LoginThrottle throttle(clock_, options);
  throttle.record_failure("ada", kSchool);
  // The account waits 1 s, the address 60 s: the address answers first.
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(60));
  // From another address only the account's delay is left.
  EXPECT_EQ(throttle.check("ada", kHome), seconds(1));
}

TEST_F(LoginThrottleTest, QuietEntriesAreDroppedFirstWhenFull) {
  ThrottleOptions options = account_options();
  options.free_failures = 1;
  options.max_tracked = 3;
  LoginThrottle throttle(clock_, options);
  throttle.record_failure("a", kSchool);
  throttle.record_failure("a", kSchool);
  throttle.record_failure("b", kSchool);
  EXPECT_EQ(throttle.check("a", kSchool), seconds(2));
  clock_.advance(minutes(20));  // "a" and "b" are quiet now
  throttle.record_failure("c", kSchool);
  EXPECT_EQ(throttle.check("c", kSchool), seconds(1));
  // A tracked account keeps counting even when the map is full.
  throttle.record_failure("c", kSchool);
  EXPECT_EQ(throttle.check("c", kSchool), seconds(2));
  // Full (a, b, c) and a newcomer: the quiet entries go, the busy one stays.
  throttle.record_failure("d", kSchool);
  EXPECT_EQ(throttle.check("c", kSchool), seconds(2));
  // "a" was forgotten: its next failure is its first again (1 s, not 4 s).
  throttle.record_failure("a", kSchool);
  EXPECT_EQ(throttle.check("a", kSchool), seconds(1));
}

TEST_F(LoginThrottleTest, BusyEntriesAreAllDroppedWhenFullSoMemoryStaysBounded) {
  ThrottleOptions options = account_options();
  options.free_failures = 1;
  options.max_tracked = 3;
  LoginThrottle throttle(clock_, options);
  throttle.record_failure("a", kSchool);
  throttle.record_failure("a", kSchool);  // 2 s
  throttle.record_failure("b", kSchool);
  throttle.record_failure("c", kSchool);
  EXPECT_EQ(throttle.check("a", kSchool), seconds(2));
  // A fourth login while nothing is quiet: everything is forgotten.
  throttle.record_failure("d", kSchool);
  EXPECT_EQ(throttle.check("a", kSchool), std::nullopt);
  EXPECT_EQ(throttle.check("b", kSchool), std::nullopt);
  EXPECT_EQ(throttle.check("c", kSchool), std::nullopt);
  EXPECT_EQ(throttle.check("d", kSchool), seconds(1));
}

TEST_F(LoginThrottleTest, AddressMapIsBoundedToo) {
  ThrottleOptions options;
  options.free_failures = 1000;
  options.address_burst = 1;
  options.address_refill_per_minute = 1;
  options.max_tracked = 2;
  LoginThrottle throttle(clock_, options);
  throttle.record_failure("ada", kSchool);
  throttle.record_failure("ada", kHome);
  EXPECT_EQ(throttle.check("ada", kSchool), seconds(60));
  EXPECT_EQ(throttle.check("ada", kHome), seconds(60));
  // A third address while both are busy: both buckets are forgotten (full again).
  throttle.record_failure("ada", kPhone);
  EXPECT_EQ(throttle.check("ada", kSchool), std::nullopt);
  EXPECT_EQ(throttle.check("ada", kHome), std::nullopt);
  EXPECT_EQ(throttle.check("ada", kPhone), seconds(60));
}

}  // namespace
}  // namespace cartable::guard
