#include "net/connection_caps.hpp"

#include <gtest/gtest.h>

namespace cartable::net {
namespace {

const auto kSchool = boost::asio::ip::make_address("10.1.2.3");
const auto kHome = boost::asio::ip::make_address("192.0.2.7");

TEST(ConnectionCaps, RefusesPastThePerAddressCapButServesOthers) {
  ConnectionCaps caps(10, 2);
  Refusal reason{};
  EXPECT_TRUE(caps.try_acquire(kSchool, reason));
  EXPECT_TRUE(caps.try_acquire(kSchool, reason));
  EXPECT_FALSE(caps.try_acquire(kSchool, reason));
  EXPECT_EQ(reason, Refusal::too_many_per_ip);
  EXPECT_TRUE(caps.try_acquire(kHome, reason));
  EXPECT_EQ(caps.open(), 3u);
  caps.release(kSchool);
  EXPECT_TRUE(caps.try_acquire(kSchool, reason));
}

TEST(ConnectionCaps, RefusesPastTheTotalCap) {
  ConnectionCaps caps(2, 10);
  Refusal reason{};
  EXPECT_TRUE(caps.try_acquire(kSchool, reason));
  EXPECT_TRUE(caps.try_acquire(kHome, reason));
  EXPECT_FALSE(caps.try_acquire(kHome, reason));
  EXPECT_EQ(reason, Refusal::too_many_connections);
  caps.release(kHome);
  EXPECT_EQ(caps.open(), 1u);
  EXPECT_TRUE(caps.try_acquire(kHome, reason));
}

TEST(ConnectionCaps, ASlotReleasesOnDestruction) {
  ConnectionCaps caps(1, 1);
  Refusal reason{};
  ASSERT_TRUE(caps.try_acquire(kSchool, reason));
  { ConnectionSlot slot(caps, kSchool); }
  EXPECT_EQ(caps.open(), 0u);
  EXPECT_TRUE(caps.try_acquire(kSchool, reason));
}

}  // namespace
}  // namespace cartable::net
