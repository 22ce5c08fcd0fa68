// Wraps a handler so it only runs for a signed-in user: 401 without a valid session, 403 for a
// state-changing request without the right CSRF token; renews a sliding session on the way out.
#pragma once

#include <functional>
#include <initializer_list>

#include "guard/sessions.hpp"
#include "http/router.hpp"

namespace cartable::guard {

using SignedInHandler = std::function<boost::asio::awaitable<http::Response>(http::RequestContext&,
                                                                             const SessionClaims&)>;

http::Handler signed_in(Sessions& sessions, SignedInHandler handler);

// Whether the actor's role is one of `roles`.
bool has_role(const SessionClaims& claims, std::initializer_list<Role> roles);

}  // namespace cartable::guard
