// Wraps a handler so it only runs for a signed-in user: 401 without a valid session, 403 for a
// state-changing request without the right CSRF token; renews a sliding session on the way out.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>

#include "guard/sessions.hpp"
#include "http/router.hpp"

namespace cartable::guard {

using SignedInHandler = std::function<boost::asio::awaitable<http::Response>(http::RequestContext&,
                                                                             const SessionClaims&)>;

http::Handler signed_in(Sessions& sessions, SignedInHandler handler);

// `signed_in` for a member function of a feature's handler object (kept alive by the route).
template <class Handlers>
http::Handler signed_in_member(Sessions& sessions, std::shared_ptr<Handlers> handlers,
                               boost::asio::awaitable<http::Response> (Handlers::*member)(
                                   http::RequestContext&, const SessionClaims&)) {
  return signed_in(sessions, [handlers = std::move(handlers), member](http::RequestContext& context,
                                                                      const SessionClaims& actor) {
    return ((*handlers).*member)(context, actor);
  });
}

// Whether the actor's role is one of `roles`.
bool has_role(const SessionClaims& claims, std::initializer_list<Role> roles);

}  // namespace cartable::guard
