// Reading the Cookie header and writing Set-Cookie.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "net/http_service.hpp"

namespace cartable::http {

// The value of cookie `name` in the request's Cookie headers; nullopt when absent. If the name
// appears more than once, the first wins (browsers send the most specific path first).
std::optional<std::string_view> find_cookie(const net::Request& request, std::string_view name);

struct CookieOptions {
  std::optional<std::chrono::seconds> max_age;  // nullopt: a browser-session cookie
  bool secure = true;
  bool http_only = true;
  std::string_view same_site = "Lax";
  std::string_view path = "/";
};

std::string set_cookie_header(std::string_view name, std::string_view value,
                              const CookieOptions& options);
// Expires the cookie now.
std::string clear_cookie_header(std::string_view name, const CookieOptions& options);

}  // namespace cartable::http
