#include "http/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/beast/http/field.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

#include "common/dependency_error.hpp"
#include "common/work_pool.hpp"

namespace cartable::http {

namespace beast_http = boost::beast::http;

namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

bool is_api_path(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

// A page of the web app (its shell), as opposed to one of its files (which have an extension and
// are served from memory, cheaply, without asking the gate).
bool is_app_page(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return path.find('.', slash == std::string_view::npos ? 0 : slash) == std::string_view::npos ||
         path == "/index.html";
}

std::vector<std::string> route_names(const Router& router) {
  std::vector<std::string> names;
  for (const Route& route : router.routes()) {
    names.push_back(route.name);
  }
  return names;
}

}  // namespace

Service::Service(Router router, Handler fallback, ServiceOptions options)
    : router_(std::move(router)),
      fallback_(std::move(fallback)),
      options_(options),
      metrics_(route_names(router_)) {}

net::HttpService::BodyRule Service::body_rule(const net::RequestHead& head) const {
  const auto target = boost::urls::parse_origin_form(head.target());
  if (!target) {
    return {};
  }
  const Router::Match match = router_.match(head.method(), target->path());
  if (match.route == nullptr) {
    return {};
  }
  return {match.route->body_limit, match.route->streams_body};
}

boost::asio::awaitable<Response> Service::handle(Request& request, const net::Peer& peer,
                                                 net::BodyStream* body) {
  const auto started = std::chrono::steady_clock::now();
  std::size_t route_index = metrics_.unmatched_index();
  Response response;
  try {
    response = co_await dispatch(request, peer, body, route_index);
  } catch (const PoolOverloaded& overloaded) {
    response = retry_later(Status::service_unavailable, "overloaded",
                           "The server is busy; try again in a moment.", 2);
  } catch (const DependencyError& error) {
    spdlog::error("{} {}: {}", beast_http::to_string(request.method()), request.target(),
                  error.what());
    response = error.transient()
                   ? retry_later(Status::service_unavailable, "store_unavailable",
                                 "The database cannot answer right now; nothing was changed. "
                                 "Try again in a moment.",
                                 5)
                   : error_response(Status::internal_server_error, "internal",
                                    "Something went wrong on our side; it has been logged.");
  } catch (const std::exception& error) {
    spdlog::error("{} {}: {}", beast_http::to_string(request.method()), request.target(),
                  error.what());
    response = error_response(Status::internal_server_error, "internal",
                              "Something went wrong on our side; it has been logged.");
  }
  finish(response, peer.tls);
  metrics_.record(route_index, response.result_int(), std::chrono::steady_clock::now() - started);
  co_return response;
}

boost::asio::awaitable<Response> Service::dispatch(Request& request, const net::Peer& peer,
                                                   net::BodyStream* body,
                                                   std::size_t& route_index) {
  const auto target = boost::urls::parse_origin_form(request.target());
  if (!target) {
    co_return error_response(Status::bad_request, "bad_target", "The request target is invalid.");
  }
  const std::string path = target->path();
  const Router::Match match = router_.match(request.method(), path);
  if (match.route == nullptr) {
    if (!match.allowed_methods.empty()) {
      Response response = error_response(Status::method_not_allowed, "method_not_allowed",
                                         "This method is not allowed here.");
      response.set(beast_http::field::allow, match.allowed_methods);
      co_return response;
    }
    const bool readable =
        request.method() == beast_http::verb::get || request.method() == beast_http::verb::head;
    if (is_api_path(path) || !readable || !fallback_) {
      co_return error_response(Status::not_found, "not_found", "No such resource.");
    }
    route_index = metrics_.static_index();
    RequestContext context{request, peer, path, target->params(), {}, "static", nullptr, {}};
    if (is_app_page(path)) {
      co_return co_await through_gate(fallback_, context, false, route_index);
    }
    co_return co_await fallback_(context);
  }
  route_index = static_cast<std::size_t>(match.route - router_.routes().data());
  RequestContext context{request,           peer, path,       target->params(), match.ids,
                         match.route->name, body, match.token};
  if (match.route->gated) {
    // A gated file outside /api/ (a calendar feed) is fetched by a program, not a browser: when it
    // must wait it gets the API's 503 with Retry-After, not the waiting page.
    const bool api = is_api_path(path) || !is_app_page(path);
    co_return co_await through_gate(match.route->handler, context, api, route_index);
  }
  co_return co_await match.route->handler(context);
}

boost::asio::awaitable<Response> Service::through_gate(const Handler& handler,
                                                       RequestContext& context, bool api,
                                                       std::size_t& route_index) {
  if (options_.gate == nullptr) {
    co_return co_await handler(context);
  }
  Gate::Verdict verdict = options_.gate->admit(context, api);
  if (verdict.answer) {
    route_index = metrics_.admission_index();
    co_return std::move(*verdict.answer);
  }
  const auto started = std::chrono::steady_clock::now();
  Response response = co_await handler(context);
  options_.gate->completed(std::chrono::steady_clock::now() - started);
  for (const std::string& cookie : verdict.set_cookies) {
    response.insert(beast_http::field::set_cookie, cookie);
  }
  co_return response;
}

void Service::add_websocket(const std::string& pattern, std::string name,
                            WebSocketHandler handler) {
  websocket_router_.add({Verb::get, pattern, std::move(name), 0, nullptr, false});
  websocket_handlers_.push_back(std::move(handler));
}

boost::asio::awaitable<net::HttpService::WebSocketAccept> Service::accept_websocket(
    Request& request, const net::Peer& peer) {
  const auto target = boost::urls::parse_origin_form(request.target());
  const Router::Match match =
      target ? websocket_router_.match(Verb::get, target->path()) : Router::Match{};
  if (match.route == nullptr) {
    co_return WebSocketAccept{nullptr,
                              refusal(Status::not_found, "not_found", "No WebSocket here.")};
  }
  const std::string path = target->path();
  RequestContext context{request,           peer,    path, target->params(), match.ids,
                         match.route->name, nullptr, {}};
  const auto index = static_cast<std::size_t>(match.route - websocket_router_.routes().data());
  try {
    WebSocketAccept accept = co_await websocket_handlers_[index](context);
    if (accept.refusal) {
      finish(*accept.refusal, peer.tls);
    }
    co_return accept;
  } catch (const std::exception& error) {
    spdlog::error("WebSocket {}: {}", request.target(), error.what());
  }
  co_return WebSocketAccept{nullptr, refusal(Status::service_unavailable, "overloaded",
                                             "The server is busy; try again in a moment.")};
}

Response Service::refusal(Status status, std::string_view code, std::string_view message) const {
  Response response = error_response(status, code, message);
  if (status == Status::service_unavailable) {
    response.set(beast_http::field::retry_after, "2");
  }
  finish(response, false);
  return response;
}

void Service::finish(Response& response, bool tls) const {
  response.set(beast_http::field::server, "cartable");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "same-origin");
  response.set("X-Frame-Options", "DENY");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  response.set("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()");
  if (response.find("Content-Security-Policy") == response.end()) {
    response.set("Content-Security-Policy", kContentSecurityPolicy);
  }
  if (tls || options_.assume_https) {
    response.set(beast_http::field::strict_transport_security,
                 "max-age=63072000; includeSubDomains");
  }
  if (response.find(beast_http::field::cache_control) == response.end()) {
    response.set(beast_http::field::cache_control, "no-store");
  }
  response.prepare_payload();
}

}  // namespace cartable::http
