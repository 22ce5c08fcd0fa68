// Routes: a method and a path pattern ("/api/homework/{id}") to a handler coroutine. Path
// parameters are positive 64-bit integers; anything else in their place does not match (404).
// One segment of a pattern may instead be "{token}": 1 to kMaxTokenBytes characters of
// [A-Za-z0-9._-] (a secret in a URL, such as a calendar feed's), handed over as text.
#pragma once

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/params_view.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.hpp"

namespace cartable::http {

using Verb = boost::beast::http::verb;

// What a handler gets: the request, who sent it, the parsed target and the path parameters.
// References point into the connection's frame and live until the response is written.
struct RequestContext {
  Request& request;
  const net::Peer& peer;
  std::string_view path;              // decoded path, without the query
  boost::urls::params_view query;     // decoded query parameters
  std::array<std::int64_t, 4> ids{};  // path parameters in pattern order
  std::string_view route_name;
  net::BodyStream* body = nullptr;  // the body still to read, for routes that stream it
  std::string_view token;           // the {token} segment, if the pattern has one
};

using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

struct Route {
  Verb method = Verb::get;
  std::string pattern;
  std::string name;            // stable label for metrics and the authorization matrix
  std::size_t body_limit = 0;  // bytes; 0 = the route takes no body
  Handler handler;
  // Operator and queue routes are not behind admission control (the waiting room).
  bool gated = true;
  // The handler reads the body itself from RequestContext::body (uploads, never whole in memory).
  bool streams_body = false;
};

class Router {
 public:
  static constexpr std::size_t kMaxParameters = 4;
  static constexpr std::size_t kMaxTokenBytes = 128;

  // Throws std::invalid_argument on a malformed pattern or a duplicate method + pattern.
  void add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::array<std::int64_t, kMaxParameters> ids{};
    std::string_view token;  // points into the path given to match()
    // The path matched but not for this method: answer 405 with these methods in Allow.
    std::string allowed_methods;
  };
  // HEAD is matched against GET routes.
  Match match(Verb method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Segment {
    std::string literal;  // empty: a parameter
    bool token = false;   // with an empty literal: {token} rather than {id}
  };
  struct Compiled {
    std::vector<Segment> segments;
  };
  bool match_path(const Compiled& compiled, std::string_view path,
                  std::array<std::int64_t, kMaxParameters>& ids, std::string_view& token) const;

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace cartable::http
