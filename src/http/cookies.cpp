#include "http/cookies.hpp"

#include <boost/beast/http/field.hpp>

namespace cartable::http {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::optional<std::string_view> find_cookie(const net::Request& request, std::string_view name) {
  const auto [first, last] = request.equal_range(boost::beast::http::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view rest = field->value();
    while (!rest.empty()) {
      const std::size_t end = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      const std::size_t equals = pair.find('=');
      if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
        return trim(pair.substr(equals + 1));
      }
    }
  }
  return std::nullopt;
}

std::string set_cookie_header(std::string_view name, std::string_view value,
                              const CookieOptions& options) {
  std::string header;
  header.reserve(name.size() + value.size() + 96);
  header.append(name).append("=").append(value);
  header.append("; Path=").append(options.path);
  if (options.max_age) {
    header.append("; Max-Age=").append(std::to_string(options.max_age->count()));
  }
  if (options.secure) {
    header.append("; Secure");
  }
  if (options.http_only) {
    header.append("; HttpOnly");
  }
  header.append("; SameSite=").append(options.same_site);
  return header;
}

std::string clear_cookie_header(std::string_view name, const CookieOptions& options) {
  CookieOptions expired = options;
  expired.max_age = std::chrono::seconds(0);
  return set_cookie_header(name, "", expired);
}

}  // namespace cartable::http
