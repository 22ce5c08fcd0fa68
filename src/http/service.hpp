// The application's HttpService: parses the target, routes, runs the handler, and puts the same
// security headers and error format on every response, whatever happened.
#pragma once

#include <functional>

#include "http/gate.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"

namespace cartable::http {

struct ServiceOptions {
  // Send Strict-Transport-Security even on plain connections (a TLS-terminating proxy in front).
  bool assume_https = false;
  // Admission control in front of gated routes and the app shell; none when null.
  Gate* gate = nullptr;
};

using WebSocketHandler =
    std::function<boost::asio::awaitable<net::HttpService::WebSocketAccept>(RequestContext&)>;

class Service final : public net::HttpService {
 public:
  // `fallback` answers GET/HEAD requests outside /api/ that no route matched (the web app).
  Service(Router router, Handler fallback, ServiceOptions options);

  BodyRule body_rule(const net::RequestHead& head) const override;
  boost::asio::awaitable<Response> handle(Request& request, const net::Peer& peer,
                                          net::BodyStream* body) override;
  // WebSocket upgrades of paths matching `pattern` (router syntax) go to `handler`.
  void add_websocket(const std::string& pattern, std::string name, WebSocketHandler handler);
  boost::asio::awaitable<WebSocketAccept> accept_websocket(Request& request,
                                                           const net::Peer& peer) override;
  Response refusal(Status status, std::string_view code, std::string_view message) const override;

  const RequestMetrics& metrics() const { return metrics_; }

 private:
  // Sets `route_index` to the route that answered (for metrics).
  boost::asio::awaitable<Response> dispatch(Request& request, const net::Peer& peer,
                                            net::BodyStream* body, std::size_t& route_index);
  void finish(Response& response, bool tls) const;
  // Runs `handler` behind the gate: the waiting room's answer, or the handler's response with the
  // gate's cookies.
  // `route_index` becomes the admission series when the gate answers.
  boost::asio::awaitable<Response> through_gate(const Handler& handler, RequestContext& context,
                                                bool api, std::size_t& route_index);

  Router router_;
  Router websocket_router_;  // patterns only; the handlers are in websocket_handlers_
  std::vector<WebSocketHandler> websocket_handlers_;
  Handler fallback_;
  ServiceOptions options_;
  RequestMetrics metrics_;
};

}  // namespace cartable::http
