#include "http/json_body.hpp"

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <boost/json/parse.hpp>
#include <charconv>

#include "common/text.hpp"

namespace cartable::http {

std::optional<boost::json::object> parse_json_object(const Request& request, Response& error) {
  const std::string_view content_type = request[boost::beast::http::field::content_type];
  const std::string_view media_type = content_type.substr(0, content_type.find(';'));
  if (!boost::beast::iequals(trim_whitespace(media_type), "application/json")) {
    error = error_response(Status::unsupported_media_type, "unsupported_media_type",
                           "The body must be JSON (Content-Type: application/json).");
    return std::nullopt;
  }
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body(), ec, {}, options);
  if (ec) {
    error = error_response(Status::bad_request, "bad_json", "The body is not valid JSON.");
    return std::nullopt;
  }
  if (!value.is_object()) {
    error = error_response(Status::bad_request, "bad_json", "The body must be a JSON object.");
    return std::nullopt;
  }
  return std::move(value.as_object());
}

std::optional<std::int64_t> query_id(const boost::urls::params_view& query, std::string_view key,
                                     bool& malformed) {
  for (const auto& param : query) {
    if (param.key == key) {
      std::int64_t id = 0;
      const auto [end, ec] =
          std::from_chars(param.value.data(), param.value.data() + param.value.size(), id);
      if (ec != std::errc{} || end != param.value.data() + param.value.size() || id <= 0) {
        malformed = true;
        return std::nullopt;
      }
      return id;
    }
  }
  return std::nullopt;
}

std::optional<std::vector<std::int64_t>> FieldErrors::id_list(const boost::json::object& body,
                                                              std::string_view field,
                                                              std::size_t max_items) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) {
    return std::nullopt;
  }
  const std::string problem =
      "must be a list of at most " + std::to_string(max_items) + " distinct positive ids";
  if (!value->is_array() || value->as_array().size() > max_items) {
    add(field, problem);
    return std::nullopt;
  }
  std::vector<std::int64_t> ids;
  for (const auto& item : value->as_array()) {
    if (!item.is_int64() || item.as_int64() <= 0 ||
        std::find(ids.begin(), ids.end(), item.as_int64()) != ids.end()) {
      add(field, problem);
      return std::nullopt;
    }
    ids.push_back(item.as_int64());
  }
  return ids;
}

std::optional<std::string> FieldErrors::text(const boost::json::object& body,
                                             std::string_view field, std::size_t min_chars,
                                             std::size_t max_chars, bool multiline) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) {
    if (min_chars > 0) {
      add(field, "required");
      return std::nullopt;
    }
    return std::string{};
  }
  if (!value->is_string()) {
    add(field, "must be a string");
    return std::nullopt;
  }
  const std::string_view raw = value->as_string();
  if (!is_clean_text(raw, multiline)) {
    add(field, "contains characters that are not allowed");
    return std::nullopt;
  }
  std::string trimmed(trim_whitespace(raw));
  const std::size_t chars = utf8_length(trimmed);
  if (chars < min_chars) {
    add(field, min_chars == 1 ? "required" : "too short");
    return std::nullopt;
  }
  if (chars > max_chars) {
    add(field, "at most " + std::to_string(max_chars) + " characters");
    return std::nullopt;
  }
  return trimmed;
}

std::optional<std::int64_t> FieldErrors::id(const boost::json::object& body,
                                            std::string_view field) {
  const auto* value = body.if_contains(field);
  if (value == nullptr) {
    add(field, "required");
    return std::nullopt;
  }
  if (value->is_int64() && value->as_int64() > 0) {
    return value->as_int64();
  }
  if (value->is_uint64() && value->as_uint64() > 0 &&
      value->as_uint64() < static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(value->as_uint64());
  }
  add(field, "must be a positive integer");
  return std::nullopt;
}

std::optional<bool> FieldErrors::boolean(const boost::json::object& body, std::string_view field,
                                         bool fallback) {
  const auto* value = body.if_contains(field);
  if (value == nullptr || value->is_null()) {
    return fallback;
  }
  if (!value->is_bool()) {
    add(field, "must be true or false");
    return std::nullopt;
  }
  return value->as_bool();
}

void FieldErrors::add(std::string_view field, std::string_view message) {
  if (!fields_.contains(field)) {
    fields_[field] = message;
  }
}

Response FieldErrors::response() const {
  return error_response(Status::bad_request, "invalid", "Some fields are invalid.", &fields_);
}

}  // namespace cartable::http
