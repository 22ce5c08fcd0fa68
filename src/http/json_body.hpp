// Reading JSON request bodies and their fields, with every refusal a 4xx in the API error format.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/router.hpp"

namespace cartable::http {

// The body as a JSON object. Refuses, setting `error`: a Content-Type other than application/json
// (415), invalid JSON, nesting deeper than 16, or a value that is not an object (400).
std::optional<boost::json::object> parse_json_object(const Request& request, Response& error);

// Collects field errors so a client learns about every bad field at once.
// The positive id in query parameter `key`: nullopt when absent, and when not a positive integer
// (then `malformed` is set).
std::optional<std::int64_t> query_id(const boost::urls::params_view& query, std::string_view key,
                                     bool& malformed);

class FieldErrors {
 public:
  // A string of `min_chars`..`max_chars` UTF-8 code points, without control characters other than
  // newline and tab (when `multiline`), trimmed of surrounding whitespace.
  std::optional<std::string> text(const boost::json::object& body, std::string_view field,
                                  std::size_t min_chars, std::size_t max_chars,
                                  bool multiline = false);
  // A positive integer id.
  std::optional<std::int64_t> id(const boost::json::object& body, std::string_view field);
  // A list of at most `max_items` distinct positive ids; nullopt when absent (or invalid: an error
  // is added).
  std::optional<std::vector<std::int64_t>> id_list(const boost::json::object& body,
                                                   std::string_view field, std::size_t max_items);
  // A boolean; absent means `fallback`.
  std::optional<bool> boolean(const boost::json::object& body, std::string_view field,
                              bool fallback);

  void add(std::string_view field, std::string_view message);
  bool empty() const { return fields_.empty(); }
  // Field name -> message, as the error response lists them.
  const boost::json::object& fields() const { return fields_; }
  // 400 "invalid" listing every field error.
  Response response() const;

 private:
  boost::json::object fields_;
};

}  // namespace cartable::http
