#include "guard/signed_in.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>

namespace cartable::guard {

namespace {

bool changes_state(http::Verb method) {
  return method != http::Verb::get && method != http::Verb::head && method != http::Verb::options;
}

}  // namespace

http::Handler signed_in(Sessions& sessions, SignedInHandler handler) {
  // The wrapper owns the handler; `sessions` outlives the router (both are app-lifetime).
  return [&sessions, handler = std::move(handler)](
             http::RequestContext& context) -> boost::asio::awaitable<http::Response> {
    const auto claims = sessions.authenticate(context.request);
    if (!claims) {
      co_return http::error_response(http::Status::unauthorized, "unauthenticated",
                                     "Sign in first.");
    }
    if (changes_state(context.request.method()) && !sessions.csrf_ok(context.request, *claims)) {
      co_return http::error_response(http::Status::forbidden, "csrf",
                                     "Missing or wrong CSRF token; reload the page.");
    }
    http::Response response = co_await handler(context, *claims);
    const bool signed_out = response.find(boost::beast::http::field::set_cookie) != response.end();
    if (!signed_out) {
      if (const auto renewed = sessions.renewal(*claims)) {
        response.set(boost::beast::http::field::set_cookie, sessions.set_cookie(*renewed));
      }
    }
    co_return response;
  };
}

bool has_role(const SessionClaims& claims, std::initializer_list<Role> roles) {
  return std::find(roles.begin(), roles.end(), claims.role) != roles.end();
}

}  // namespace cartable::guard
