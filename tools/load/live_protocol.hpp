// What a client of a live lesson says and reads over HTTP and its sockets, shared by
// `cartable-load live` (rooms at scale) and `cartable-load rentree` (pupils joining their class's
// lesson during the surge): the JSON fields, where a socket URL points, and the lobby's wait.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "target.hpp"
#include "user_agent.hpp"

namespace cartable::load {

class WsClient;

std::optional<boost::json::object> json_object(std::string_view body);
std::string string_field(const boost::json::object& object, std::string_view name);
std::int64_t int_field(const boost::json::object& object, std::string_view name);

// A JSON POST as the web app sends it: CSRF token and the page's Origin.
Outgoing api_post(std::string path, const std::string& csrf, const Target& server,
                  std::string body);
std::string class_body(std::int64_t class_id);

// Where a socket URL points: relative to the server that answered, or absolute (ws:// or
// http://, loopback only).
std::optional<Target> socket_target(const Target& answering, const std::string& url);

// Where to connect, after how long: a join answer, a lobby's `started`.
struct JoinAnswer {
  std::string url;
  std::int64_t delay_ms = 0;
  bool lobby = false;  // the url is the class's lobby, not the lesson
};
std::optional<JoinAnswer> join_answer(std::string_view body);

// A lobby: waits on its socket for {"type":"started","url","delay_ms"}, the lesson's own place.
boost::asio::awaitable<std::optional<JoinAnswer>> wait_in_lobby(WsClient& lobby);

// A chat line carrying when it was sent (steady clock ticks), so receivers measure its fan-out.
std::string chat_message();
bool is_welcome(std::string_view frame);

}  // namespace cartable::load
