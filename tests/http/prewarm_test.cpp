// Pre-warming before lessons: three minutes before 8:00 (Paris) the server builds the day of every
// class with a lesson at 8:00, so the first pupil's day view reads no lesson or homework.
#include <gtest/gtest.h>

#include <regex>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

namespace beast_http = boost::beast::http;

long metric(const TestServer& server, const std::string& name) {
  const std::string body = server.request(beast_http::verb::get, "/metrics").message.body();
  std::smatch match;
  const std::regex line("(^|\n)" + std::regex_replace(name, std::regex(R"([{}\\"])"), R"(\$&)") +
                        " ([0-9]+)");
  return std::regex_search(body, match, line) ? std::stol(match[2]) : -1;
}

TEST(Prewarm, ClassesAreBuiltBeforeTheirLessonsStart) {
  // Monday 23 November 2026, 07:57 in Paris.
  TestServer server({"--now", "2026-11-23T06:57:00Z", "--prewarm-lead-minutes", "5"});
  long warmed = 0;
  for (int attempt = 0; attempt < 50 && warmed <= 0; ++attempt) {
    warmed = metric(server, "cartable_prewarmed_classes_total");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(warmed, 0) << "the demo's classes start at 8:00";
  const Client pupil = server.sign_in(server.account("pupil"));
  const Reply day = server.request(beast_http::verb::get, "/api/me/today", {}, &pupil);
  ASSERT_EQ(day.status, 200);
  EXPECT_FALSE(day.json().at("sections").at(0).at("lessons").as_array().empty());
  EXPECT_EQ(metric(server, R"(cartable_cache_lookups_total{cache="class_day",result="hit"})"), 1);
  EXPECT_EQ(metric(server, R"(cartable_cache_lookups_total{cache="class_day",result="miss"})"), 0);
}

TEST(Prewarm, NothingIsBuiltLongBeforeLessonsOrWhenTurnedOff) {
  TestServer early({"--now", "2026-11-23T05:00:00Z", "--prewarm-lead-minutes", "5"});
  TestServer off({"--now", "2026-11-23T06:57:00Z", "--prewarm-lead-minutes", "0"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(metric(early, "cartable_prewarmed_classes_total"), 0);
  EXPECT_EQ(metric(off, "cartable_prewarmed_classes_total"), 0);
}

}  // namespace
}  // namespace cartable::testing
