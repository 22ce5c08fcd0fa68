// Fuzzes the request path short of the network: parsing a request head and body under the server's
// limits, routing its target and reading its JSON body and fields. Nothing may crash, hang or leak.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/url/parse.hpp>
#include <cstddef>
#include <cstdint>

#include "http/json_body.hpp"
#include "http/router.hpp"

namespace {

cartable::http::Router make_router() {
  cartable::http::Router router;
  const auto handler =
      [](cartable::http::RequestContext&) -> boost::asio::awaitable<cartable::http::Response> {
    co_return cartable::http::Response{};
  };
  using cartable::http::Verb;
  router.add({Verb::post, "/api/session", "session.create", 2048, handler});
  router.add({Verb::get, "/api/me/today", "me.today", 0, handler});
  router.add({Verb::get, "/api/homework/{id}", "homework.get", 0, handler});
  router.add({Verb::put, "/api/homework/{id}", "homework.update", 49152, handler});
  router.add({Verb::get, "/api/classes/{id}/subjects/{id}", "nested", 0, handler});
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cartable::http::Router router = make_router();
  namespace http = boost::beast::http;
  http::request_parser<http::string_body> parser;
  parser.header_limit(8 * 1024);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(data, size), ec);
  if (ec || !parser.is_header_done()) {
    return 0;
  }
  const auto target = boost::urls::parse_origin_form(parser.get().target());
  if (target) {
    const auto match = router.match(parser.get().method(), target->path());
    for (const auto& param : target->params()) {
      (void)param.key.size();
    }
    (void)match.route;
  }
  if (parser.is_done()) {
    cartable::http::Response error;
    if (const auto body = cartable::http::parse_json_object(parser.get(), error)) {
      cartable::http::FieldErrors errors;
      errors.text(*body, "title", 1, 200);
      errors.text(*body, "body", 0, 5000, true);
      errors.id(*body, "class_id");
      errors.boolean(*body, "remember", false);
      (void)errors.response();
    }
  }
  return 0;
}
