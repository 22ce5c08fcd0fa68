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

  // The largest body accepted for a request with this head (its route's limit); 0 when the route
  // takes no body. A larger Content-Length, or a chunked body growing past it, gets 413.
  virtual std::size_t body_limit(const RequestHead& head) const = 0;

  // Answers one request. Must not throw: every failure is a response.
  virtual boost::asio::awaitable<Response> handle(Request& request, const Peer& peer) = 0;

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
