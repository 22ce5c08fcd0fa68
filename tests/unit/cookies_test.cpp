#include "http/cookies.hpp"

#include <gtest/gtest.h>

#include <boost/beast/http/field.hpp>
#include <chrono>
#include <initializer_list>
#include <string>

namespace cartable::http {
namespace {

using boost::beast::http::field;

net::Request request_with(std::initializer_list<const char*> cookie_headers) {
  net::Request request;
  request.method(boost::beast::http::verb::get);
  request.target("/");
  request.set(field::host, "cartable.example");
  for (const char* header : cookie_headers) {
    request.insert(field::cookie, header);
  }
  return request;
}

std::string found(const net::Request& request, std::string_view name) {
  const auto value = find_cookie(request, name);
  return value ? "=" + std::string(*value) : "<absent>";
}

TEST(Cookies, FindsEachOfSeveralCookies) {
  const net::Request request = request_with({"theme=dark; session=v1.abc.def; lang=fr"});
  EXPECT_EQ(found(request, "theme"), "=dark");
  EXPECT_EQ(found(request, "session"), "=v1.abc.def");
  EXPECT_EQ(found(request, "lang"), "=fr");
  EXPECT_EQ(found(request, "missing"), "<absent>");
}

TEST(Cookies, NamesMatchExactly) {
  const net::Request request = request_with({"session_old=1; xsession=2; Session=3"});
  EXPECT_EQ(found(request, "session"), "<absent>");
  EXPECT_EQ(found(request, "session_ol"), "<absent>");
  EXPECT_EQ(found(request, "Session"), "=3");
  EXPECT_EQ(found(request, "xsession"), "=2");
  // A name is not found inside a value.
  EXPECT_EQ(found(request_with({"a=session=4"}), "session"), "<absent>");
  EXPECT_EQ(found(request_with({"a=session=4"}), "a"), "=session=4");
}

TEST(Cookies, SpacesAndTabsAroundPairsAreIgnored) {
  const net::Request request = request_with({"  a=1 ;b=2;   c = 3 ;\td=4\t"});
  EXPECT_EQ(found(request, "a"), "=1");
  EXPECT_EQ(found(request, "b"), "=2");
  EXPECT_EQ(found(request, "c"), "=3");
  EXPECT_EQ(found(request, "d"), "=4");
}

TEST(Cookies, EmptyValuesAndOddPairs) {
  const net::Request request = request_with({"empty=; ;;noequals; last=x;"});
  EXPECT_EQ(found(request, "empty"), "=");
  EXPECT_EQ(found(request, "noequals"), "<absent>");
  EXPECT_EQ(found(request, "last"), "=x");
  EXPECT_EQ(found(request, ""), "<absent>");
}

TEST(Cookies, SeveralCookieHeaders) {
  const net::Request request = request_with({"a=1; b=2", "c=3", "b=shadowed; d=4"});
  EXPECT_EQ(found(request, "a"), "=1");
  EXPECT_EQ(found(request, "b"), "=2");  // the first occurrence wins
  EXPECT_EQ(found(request, "c"), "=3");
  EXPECT_EQ(found(request, "d"), "=4");
  EXPECT_EQ(found(request, "e"), "<absent>");
}

TEST(Cookies, FirstOccurrenceWinsWithinAHeader) {
  const net::Request request = request_with({"session=specific; session=general"});
  EXPECT_EQ(found(request, "session"), "=specific");
}

TEST(Cookies, MissingHeader) {
  EXPECT_EQ(found(request_with({}), "session"), "<absent>");
  EXPECT_EQ(found(request_with({""}), "session"), "<absent>");
  net::Request other_headers = request_with({});
  other_headers.set(field::set_cookie, "session=not-a-request-cookie");
  other_headers.set("X-Cookie", "session=nope");
  EXPECT_EQ(found(other_headers, "session"), "<absent>");
}

TEST(Cookies, ValueIsAViewIntoTheRequest) {
  const net::Request request = request_with({"a=1; token=xyz"});
  const auto value = find_cookie(request, "token");
  ASSERT_TRUE(value.has_value());
  const std::string_view header = request[field::cookie];
  EXPECT_EQ(value->data(), header.data() + header.find("xyz"));
}

TEST(Cookies, SetCookieWithDefaults) {
  EXPECT_EQ(set_cookie_header("session", "v1.abc", CookieOptions{}),
            "session=v1.abc; Path=/; Secure; HttpOnly; SameSite=Lax");
}

TEST(Cookies, SetCookieWithEveryOption) {
  CookieOptions options;
  options.max_age = std::chrono::hours(24 * 30);
  options.same_site = "Strict";
  options.path = "/api";
  EXPECT_EQ(set_cookie_header("session", "v1.abc", options),
            "session=v1.abc; Path=/api; Max-Age=2592000; Secure; HttpOnly; SameSite=Strict");

  CookieOptions plain;
  plain.secure = false;
  plain.http_only = false;
  plain.max_age = std::chrono::seconds(60);
  EXPECT_EQ(set_cookie_header("theme", "dark", plain),
            "theme=dark; Path=/; Max-Age=60; SameSite=Lax");

  CookieOptions secure_only;
  secure_only.http_only = false;
  EXPECT_EQ(set_cookie_header("csrf", "t", secure_only), "csrf=t; Path=/; Secure; SameSite=Lax");
}

TEST(Cookies, ClearCookieExpiresItNowKeepingTheOtherFlags) {
  EXPECT_EQ(clear_cookie_header("session", CookieOptions{}),
            "session=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");

  CookieOptions remembered;
  remembered.max_age = std::chrono::hours(24 * 30);  // replaced by 0
  remembered.same_site = "Strict";
  remembered.path = "/api";
  remembered.http_only = false;
  EXPECT_EQ(clear_cookie_header("session", remembered),
            "session=; Path=/api; Max-Age=0; Secure; SameSite=Strict");
}

TEST(Cookies, SetThenFindRoundTrip) {
  const std::string header = set_cookie_header("session", "v1.abc-_.def", CookieOptions{});
  const std::string pair = header.substr(0, header.find(';'));
  const net::Request request = request_with({pair.c_str()});
  EXPECT_EQ(found(request, "session"), "=v1.abc-_.def");
}

}  // namespace
}  // namespace cartable::http
