#include "http/router.hpp"

#include <boost/beast/http/verb.hpp>
#include <charconv>
#include <stdexcept>

namespace cartable::http {

namespace {

// Splits "/a/b/c" into its segments; an empty path or "/" gives none.
template <class Visit>
bool for_each_segment(std::string_view path, Visit visit) {
  if (path.empty() || path.front() != '/') {
    return false;
  }
  path.remove_prefix(1);
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    if (!visit(path.substr(0, slash))) {
      return false;
    }
    if (slash == std::string_view::npos) {
      break;
    }
    path.remove_prefix(slash + 1);
    if (path.empty()) {
      return visit(std::string_view{});  // trailing slash: an empty last segment
    }
  }
  return true;
}

bool parse_id(std::string_view text, std::int64_t& id) {
  if (text.empty() || text.size() > 18 || text.front() == '0') {
    return false;
  }
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  return error == std::errc{} && end == text.data() + text.size() && id > 0;
}

bool is_token(std::string_view text) {
  return !text.empty() && text.size() <= Router::kMaxTokenBytes &&
         text.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
             std::string_view::npos;
}

}  // namespace

void Router::add(Route route) {
  Compiled compiled;
  std::size_t parameters = 0;
  std::size_t tokens = 0;
  const bool well_formed = for_each_segment(route.pattern, [&](std::string_view segment) {
    if (segment == "{id}") {
      ++parameters;
      compiled.segments.push_back(Segment{});
      return true;
    }
    if (segment == "{token}") {
      ++tokens;
      compiled.segments.push_back(Segment{{}, true});
      return true;
    }
    if (segment.empty() || segment.find_first_of("{}") != std::string_view::npos) {
      return false;
    }
    compiled.segments.push_back(Segment{std::string(segment)});
    return true;
  });
  if (!well_formed || parameters > kMaxParameters || tokens > 1) {
    throw std::invalid_argument("bad route pattern: " + route.pattern);
  }
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.pattern == route.pattern) {
      throw std::invalid_argument("duplicate route: " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
  compiled_.push_back(std::move(compiled));
}

bool Router::match_path(const Compiled& compiled, std::string_view path,
                        std::array<std::int64_t, kMaxParameters>& ids,
                        std::string_view& token) const {
  std::size_t index = 0;
  std::size_t parameter = 0;
  const bool walked = for_each_segment(path, [&](std::string_view segment) {
    if (index >= compiled.segments.size()) {
      return false;
    }
    const Segment& expected = compiled.segments[index++];
    if (expected.token) {
      token = segment;
      return is_token(segment);
    }
    if (expected.literal.empty()) {
      return parse_id(segment, ids[parameter++]);
    }
    return segment == expected.literal;
  });
  return walked && index == compiled.segments.size();
}

Router::Match Router::match(Verb method, std::string_view path) const {
  Match result;
  const Verb wanted = method == Verb::head ? Verb::get : method;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    std::array<std::int64_t, kMaxParameters> ids{};
    std::string_view token;
    if (!match_path(compiled_[i], path, ids, token)) {
      continue;
    }
    if (routes_[i].method == wanted) {
      result.route = &routes_[i];
      result.ids = ids;
      result.token = token;
      result.allowed_methods.clear();
      return result;
    }
    if (!result.allowed_methods.empty()) {
      result.allowed_methods += ", ";
    }
    result.allowed_methods += boost::beast::http::to_string(routes_[i].method);
  }
  return result;
}

}  // namespace cartable::http
