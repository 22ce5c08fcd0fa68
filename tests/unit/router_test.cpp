#include "http/router.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace cartable::http {
namespace {

// A handler that is never run: matching only looks at the method and the pattern.
Handler never_run() {
  return [](RequestContext&) -> boost::asio::awaitable<Response> { co_return Response{}; };
}

Route route(Verb method, std::string pattern, std::string name) {
  return Route{method, std::move(pattern), std::move(name), 0, never_run()};
}

// The routes of a small API, in the order an application would add them.
Router sample_router() {
  Router router;
  router.add(route(Verb::get, "/", "home"));
  router.add(route(Verb::get, "/api/homework", "homework.list"));
  router.add(route(Verb::post, "/api/homework", "homework.create"));
  router.add(route(Verb::get, "/api/homework/{id}", "homework.get"));
  router.add(route(Verb::put, "/api/homework/{id}", "homework.update"));
  router.add(route(Verb::delete_, "/api/homework/{id}", "homework.delete"));
  router.add(route(Verb::get, "/api/classes/{id}/pupils/{id}", "class.pupil"));
  router.add(route(Verb::post, "/api/session", "session.create"));
  return router;
}

std::string name_of(const Router::Match& match) {
  return match.route == nullptr ? std::string("<none>") : match.route->name;
}

TEST(Router, LiteralRoutes) {
  const Router router = sample_router();
  EXPECT_EQ(name_of(router.match(Verb::get, "/")), "home");
  EXPECT_EQ(name_of(router.match(Verb::get, "/api/homework")), "homework.list");
  EXPECT_EQ(name_of(router.match(Verb::post, "/api/homework")), "homework.create");
  EXPECT_EQ(name_of(router.match(Verb::post, "/api/session")), "session.create");
  const auto match = router.match(Verb::get, "/api/homework");
  EXPECT_EQ(match.ids, (std::array<std::int64_t, 4>{}));
  EXPECT_EQ(match.allowed_methods, "");
}

TEST(Router, ParametersAreParsedInPatternOrder) {
  const Router router = sample_router();
  const auto one = router.match(Verb::get, "/api/homework/42");
  EXPECT_EQ(name_of(one), "homework.get");
  EXPECT_EQ(one.ids, (std::array<std::int64_t, 4>{42, 0, 0, 0}));

  const auto two = router.match(Verb::get, "/api/classes/7/pupils/123456789012345678");
  EXPECT_EQ(name_of(two), "class.pupil");
  EXPECT_EQ(two.ids, (std::array<std::int64_t, 4>{7, 123456789012345678, 0, 0}));

  EXPECT_EQ(name_of(router.match(Verb::put, "/api/homework/9")), "homework.update");
  EXPECT_EQ(name_of(router.match(Verb::delete_, "/api/homework/9")), "homework.delete");
}

TEST(Router, FourParametersAtMost) {
  Router router;
  router.add(route(Verb::get, "/{id}/{id}/{id}/{id}", "four"));
  const auto match = router.match(Verb::get, "/1/22/333/4444");
  EXPECT_EQ(name_of(match), "four");
  EXPECT_EQ(match.ids, (std::array<std::int64_t, 4>{1, 22, 333, 4444}));
  EXPECT_THROW(router.add(route(Verb::get, "/{id}/{id}/{id}/{id}/{id}", "five")),
               std::invalid_argument);
}

TEST(Router, IdsArePositiveDecimalsWithoutLeadingZero) {
  const Router router = sample_router();
  for (const char* good : {"1", "9", "10", "100", "999999999999999999"}) {
    EXPECT_EQ(name_of(router.match(Verb::get, std::string("/api/homework/") + good)),
              "homework.get")
        << good;
  }
  EXPECT_EQ(router.match(Verb::get, "/api/homework/999999999999999999").ids[0], 999999999999999999);

  for (const char* bad : {"0", "00", "-1", "+1", "01", "007", "1e3", "1.5", "0x10", "abc", "12abc",
                          " 1", "1 ", "%31", "1000000000000000000", "9223372036854775807",
                          "99999999999999999999", "", "\xD9\xA1" /* ARABIC-INDIC DIGIT ONE */}) {
    const auto match = router.match(Verb::get, std::string("/api/homework/") + bad);
    EXPECT_EQ(match.route, nullptr) << bad;
    EXPECT_EQ(match.allowed_methods, "") << bad;  // not a 405: the path is unknown
  }
}

TEST(Router, SegmentsMustMatchExactly) {
  const Router router = sample_router();
  for (const char* path : {"",
                           "api/homework",
                           "/api/homework/",
                           "/api/homework//",
                           "//api/homework",
                           "/api//homework",
                           "/api",
                           "/api/",
                           "/api/homework/1/",
                           "/api/homework/1/extra",
                           "/api/homeworks",
                           "/api/Homework",
                           "/API/homework",
                           "/api/homework/1/2",
                           "/api/classes/7/pupils",
                           "/api/classes/7/pupils/",
                           "/api/classes/7/teachers/3",
                           "//",
                           "/index.html",
                           "/api/homework?x=1",
                           "/api/homework;1"}) {
    const auto match = router.match(Verb::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_EQ(match.allowed_methods, "") << path;
  }
}

TEST(Router, MethodMismatchGivesTheAllowedMethods) {
  const Router router = sample_router();
  const auto on_item = router.match(Verb::post, "/api/homework/5");
  EXPECT_EQ(on_item.route, nullptr);
  EXPECT_EQ(on_item.allowed_methods, "GET, PUT, DELETE");

  const auto on_list = router.match(Verb::delete_, "/api/homework");
  EXPECT_EQ(on_list.route, nullptr);
  EXPECT_EQ(on_list.allowed_methods, "GET, POST");

  const auto on_session = router.match(Verb::get, "/api/session");
  EXPECT_EQ(on_session.route, nullptr);
  EXPECT_EQ(on_session.allowed_methods, "POST");

  // A bad id is a 404, not a 405.
  EXPECT_EQ(router.match(Verb::post, "/api/homework/0").allowed_methods, "");
}

TEST(Router, HeadMatchesGet) {
  const Router router = sample_router();
  const auto match = router.match(Verb::head, "/api/homework/12");
  EXPECT_EQ(name_of(match), "homework.get");
  EXPECT_EQ(match.ids[0], 12);
  EXPECT_EQ(name_of(router.match(Verb::head, "/")), "home");
  // No GET route: HEAD is a method mismatch.
  const auto post_only = router.match(Verb::head, "/api/session");
  EXPECT_EQ(post_only.route, nullptr);
  EXPECT_EQ(post_only.allowed_methods, "POST");
}

TEST(Router, ExactRouteWinsOverEarlierMismatches) {
  Router router;
  router.add(route(Verb::post, "/a/{id}", "post-param"));
  router.add(route(Verb::get, "/a/{id}", "get-param"));
  const auto match = router.match(Verb::get, "/a/3");
  EXPECT_EQ(name_of(match), "get-param");
  EXPECT_EQ(match.allowed_methods, "");
  EXPECT_EQ(match.ids[0], 3);
}

TEST(Router, LiteralAndParameterSegmentsCoexist) {
  Router router;
  router.add(route(Verb::get, "/api/homework/due", "due"));
  router.add(route(Verb::get, "/api/homework/{id}", "item"));
  EXPECT_EQ(name_of(router.match(Verb::get, "/api/homework/due")), "due");
  EXPECT_EQ(name_of(router.match(Verb::get, "/api/homework/3")), "item");
}

TEST(Router, DuplicateRoutesThrow) {
  Router router;
  router.add(route(Verb::get, "/api/homework/{id}", "first"));
  EXPECT_THROW(router.add(route(Verb::get, "/api/homework/{id}", "second")), std::invalid_argument);
  // Same pattern, other method: fine.
  EXPECT_NO_THROW(router.add(route(Verb::put, "/api/homework/{id}", "update")));
  EXPECT_EQ(router.routes().size(), 2u);
  EXPECT_EQ(name_of(router.match(Verb::get, "/api/homework/1")), "first");
}

TEST(Router, MalformedPatternsThrow) {
  for (const char* pattern :
       {"", "api/homework", "/api/", "/api//homework", "//", "/{id", "/id}", "/{}", "/{name}",
        "/{ID}", "/x{id}", "/{id}x", "/{id}{id}", "/a/{id}/", "/a{b"}) {
    Router router;
    EXPECT_THROW(router.add(route(Verb::get, pattern, "bad")), std::invalid_argument) << pattern;
    EXPECT_TRUE(router.routes().empty()) << pattern;
  }
}

TEST(Router, ATokenSegmentMatchesUrlSafeTextAndHandsItOver) {
  Router router;
  router.add(route(Verb::get, "/calendar/{token}", "calendar.feed"));
  const std::string path = "/calendar/Ab_9-x.ics";
  const auto match = router.match(Verb::get, path);
  EXPECT_EQ(name_of(match), "calendar.feed");
  EXPECT_EQ(match.token, "Ab_9-x.ics");
  EXPECT_EQ(match.ids, (std::array<std::int64_t, 4>{}));
  for (const char* bad : {"/calendar/", "/calendar/a%20b", "/calendar/a b", "/calendar/a/b",
                          "/calendar/a+b", "/calendar/\xC3\xA9"}) {
    EXPECT_EQ(router.match(Verb::get, bad).route, nullptr) << bad;
  }
  EXPECT_EQ(
      router.match(Verb::get, "/calendar/" + std::string(Router::kMaxTokenBytes, 'a')).token.size(),
      Router::kMaxTokenBytes);
  EXPECT_EQ(
      router.match(Verb::get, "/calendar/" + std::string(Router::kMaxTokenBytes + 1, 'a')).route,
      nullptr);
}

TEST(Router, OneTokenPerPatternAtMost) {
  Router router;
  EXPECT_THROW(router.add(route(Verb::get, "/{token}/{token}", "two")), std::invalid_argument);
  EXPECT_THROW(router.add(route(Verb::get, "/x{token}", "glued")), std::invalid_argument);
}

}  // namespace
}  // namespace cartable::http
