// Building responses: JSON bodies and the one error format of the API,
// {"error":{"code":"...","message":"...","fields":{...}}}.
#pragma once

#include <boost/beast/http/status.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "net/http_service.hpp"

namespace cartable::http {

using net::Request;
using net::Response;
using Status = boost::beast::http::status;

Response json_response(Status status, const boost::json::value& body);
Response text_response(Status status, std::string body, std::string_view content_type);
Response empty_response(Status status);

// `code` is stable and machine-readable (clients switch on it); `message` is for people.
// `fields` names the offending input fields with a message each (validation errors).
Response error_response(Status status, std::string_view code, std::string_view message,
                        const boost::json::object* fields = nullptr);

// 503 or 429 with Retry-After in whole seconds.
Response retry_later(Status status, std::string_view code, std::string_view message,
                     unsigned retry_after_seconds);

}  // namespace cartable::http
