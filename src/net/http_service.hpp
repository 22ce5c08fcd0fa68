// The seam between the network layer and the application: the connection code reads and limits
// requests, the service answers them. net/ knows nothing of routes, sessions or features.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string_view>

#include "net/body_stream.hpp"
#include "net/shared_body.hpp"
#include "net/websocket.hpp"

namespace cartable::net {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using RequestHead = boost::beast::http::request_header<>;
using Response = boost::beast::http::response<SharedBody>;

struct Peer {
  boost::asio::ip::address address;
  bool tls = false;
};

class HttpService {
 public:
  virtual ~HttpService() = default;

  // How the body of a request with this head is taken: `limit` is the largest accepted (its
  // route's; 0 when the route takes no body): a larger Content-Length, or a chunked body growing
  // past it, gets 413. A `streamed` body is not read before `handle`: the handler reads it from the
  // BodyStream it is given.
  struct BodyRule {
    std::size_t limit = 0;
    bool streamed = false;
  };
  virtual BodyRule body_rule(const RequestHead& head) const = 0;

  // Answers one request. Must not throw: every failure is a response. `body` is the request's
  // body stream when its rule says streamed, else null (the body is in `request`).
  virtual boost::asio::awaitable<Response> handle(Request& request, const Peer& peer,
                                                  BodyStream* body) = 0;

  // An upgrade to WebSocket: a session to run, or the response that refuses it (401, 403, 404...).
  struct WebSocketAccept {
    std::shared_ptr<WebSocketSession> session;
    std::optional<Response> refusal;
  };
  virtual boost::asio::awaitable<WebSocketAccept> accept_websocket(Request& request,
                                                                   const Peer& peer) {
    (void)request;
    (void)peer;
    co_return WebSocketAccept{
        nullptr, refusal(boost::beast::http::status::not_found, "not_found", "No WebSocket here.")};
  }

  // The response for a request refused by the network layer before it reached `handle`
  // (400, 408, 413, 431, 503), in the service's error format and with its security headers.
  virtual Response refusal(boost::beast::http::status status, std::string_view code,
                           std::string_view message) const = 0;
};

}  // namespace cartable::net
