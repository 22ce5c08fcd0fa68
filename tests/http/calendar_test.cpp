// Calendar feeds against the real server: the URL, the feed for each role, reset, bad tokens.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

class CalendarFeed : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  static std::string feed_url(const Client& client) {
    const auto reply = server().request(verb::get, "/api/calendar", {}, &client);
    EXPECT_EQ(reply.status, 200) << reply.message.body();
    return std::string(reply.json().at("url").as_string());
  }

  static std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
      ++n;
    }
    return n;
  }

  static TestServer* server_;
};

TestServer* CalendarFeed::server_ = nullptr;

TEST_F(CalendarFeed, PupilGetsLessonsAndHomeworkWithoutASession) {
  const Client pupil = server().sign_in(server().account("pupil"));
  const std::string url = feed_url(pupil);
  EXPECT_EQ(url.rfind("/calendar/", 0), 0u);
  EXPECT_TRUE(url.ends_with(".ics"));
  EXPECT_EQ(feed_url(pupil), url);  // the same URL every time

  const auto feed = server().request(verb::get, url);  // no cookie: the token is the credential
  ASSERT_EQ(feed.status, 200) << feed.message.body();
  EXPECT_EQ(feed.header("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_EQ(feed.header("Cache-Control"), "private, max-age=300");
  const std::string& body = feed.message.body();
  EXPECT_EQ(body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_TRUE(body.ends_with("END:VCALENDAR\r\n"));
  // Four weeks of a full timetable (about 26 lessons a week, less a holiday if one falls in).
  EXPECT_GT(count(body, "DTSTART:2026"), 40u);
  EXPECT_GT(count(body, "DTSTART;VALUE=DATE:"), 0u);        // homework due dates
  EXPECT_NE(body.find("T070000Z\r\n"), std::string::npos);  // 8:00 in Paris in winter, in UTC
  for (std::size_t i = body.find('\n'); i != std::string::npos; i = body.find('\n', i + 1)) {
    ASSERT_EQ(body[i - 1], '\r');
  }

  // Stable: same UIDs and ETag on the next fetch; If-None-Match answers 304.
  const auto again = server().request(verb::get, url);
  EXPECT_EQ(again.message.body(), body);
  const std::string etag = feed.header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(server().request(verb::get, url, {}, nullptr, {{"If-None-Match", etag}}).status, 304);
}

TEST_F(CalendarFeed, TeacherAndParentGetTheirOwn) {
  const Client teacher = server().sign_in(server().account("teacher"));
  const auto teacher_feed = server().request(verb::get, feed_url(teacher));
  ASSERT_EQ(teacher_feed.status, 200);
  EXPECT_GT(count(teacher_feed.message.body(), "BEGIN:VEVENT"), 10u);
  EXPECT_NE(teacher_feed.message.body().find(" — "), std::string::npos);  // lessons name a class

  const Client parent = server().sign_in(server().account("parent"));
  const auto children =
      server().request(verb::get, "/api/me", {}, &parent).json().at("children").as_array();
  ASSERT_FALSE(children.empty());
  const auto parent_feed = server().request(verb::get, feed_url(parent));
  ASSERT_EQ(parent_feed.status, 200);
  const std::string first_name(children[0].at("first_name").as_string());
  EXPECT_NE(parent_feed.message.body().find("(" + first_name + ")"), std::string::npos);
}

TEST_F(CalendarFeed, ResetGivesANewUrlAndTheOldOneStopsWorking) {
  const Client pupil = server().sign_in(server().account("pupil", "5e A"));
  const std::string old_url = feed_url(pupil);
  ASSERT_EQ(server().request(verb::get, old_url).status, 200);

  Client without_csrf = pupil;
  without_csrf.csrf.clear();
  EXPECT_EQ(server().request(verb::post, "/api/calendar/reset", {}, &without_csrf).status, 403);

  const auto reset = server().request(verb::post, "/api/calendar/reset", {}, &pupil);
  ASSERT_EQ(reset.status, 200) << reset.message.body();
  const std::string new_url(reset.json().at("url").as_string());
  EXPECT_NE(new_url, old_url);
  EXPECT_EQ(feed_url(pupil), new_url);
  EXPECT_EQ(server().request(verb::get, old_url).status, 404);
  EXPECT_EQ(server().request(verb::get, new_url).status, 200);
}

TEST_F(CalendarFeed, BadTokensAreNotFound) {
  EXPECT_EQ(server().request(verb::get, "/api/calendar").status, 401);
  const Client pupil = server().sign_in(server().account("pupil"));
  std::string url = feed_url(pupil);
  std::string tampered = url;
  tampered[12] = tampered[12] == 'A' ? 'B' : 'A';
  EXPECT_EQ(server().request(verb::get, tampered).status, 404);
  EXPECT_EQ(server().request(verb::get, url.substr(0, url.size() - 4)).status, 404);  // no .ics
  EXPECT_EQ(server().request(verb::get, "/calendar/short.ics").status, 404);
  EXPECT_EQ(server().request(verb::get, "/calendar/" + std::string(43, 'A') + ".ics").status, 404);
}

}  // namespace
}  // namespace cartable::testing
