#include "http/response.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>

namespace cartable::http {

namespace beast_http = boost::beast::http;

Response text_response(Status status, std::string body, std::string_view content_type) {
  Response response{status, 11};
  response.set(beast_http::field::content_type, content_type);
  response.body().owned = std::move(body);
  return response;
}

Response json_response(Status status, const boost::json::value& body) {
  return text_response(status, boost::json::serialize(body), "application/json; charset=utf-8");
}

Response empty_response(Status status) {
  return Response{status, 11};
}

Response error_response(Status status, std::string_view code, std::string_view message,
                        const boost::json::object* fields) {
  boost::json::object error{{"code", code}, {"message", message}};
  if (fields != nullptr && !fields->empty()) {
    error["fields"] = *fields;
  }
  return json_response(status, boost::json::object{{"error", std::move(error)}});
}

Response retry_later(Status status, std::string_view code, std::string_view message,
                     unsigned retry_after_seconds) {
  Response response = error_response(status, code, message);
  response.set(beast_http::field::retry_after, std::to_string(retry_after_seconds));
  return response;
}

}  // namespace cartable::http
