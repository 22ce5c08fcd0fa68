#include "live_protocol.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <stdexcept>

#include "ws_client.hpp"

namespace cartable::load {

std::optional<boost::json::object> json_object(std::string_view body) {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.as_object());
}

std::string string_field(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string{};
}

std::int64_t int_field(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

Outgoing api_post(std::string path, const std::string& csrf, const Target& server,
                  std::string body) {
  Outgoing request;
  request.method = boost::beast::http::verb::post;
  request.path = std::move(path);
  request.body = std::move(body);
  request.content_type = "application/json";
  request.headers["X-CSRF-Token"] = csrf;
  request.headers["Origin"] = "http://" + server.host;
  return request;
}

std::string class_body(std::int64_t class_id) {
  return boost::json::serialize(boost::json::object{{"class_id", class_id}});
}

std::optional<Target> socket_target(const Target& answering, const std::string& url) {
  if (url.starts_with("/")) {
    Target target = answering;
    target.path = url;
    return target;
  }
  for (const std::string_view scheme : {"ws://", "http://"}) {
    if (url.starts_with(scheme)) {
      try {
        return parse_target("http://" + url.substr(scheme.size()));
      } catch (const std::invalid_argument&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

std::optional<JoinAnswer> join_answer(std::string_view body) {
  const auto object = json_object(body);
  if (!object) {
    return std::nullopt;
  }
  JoinAnswer answer{string_field(*object, "url"), int_field(*object, "delay_ms"),
                    object->contains("lobby")};
  if (answer.url.empty()) {
    return std::nullopt;
  }
  return answer;
}

boost::asio::awaitable<std::optional<JoinAnswer>> wait_in_lobby(WsClient& lobby) {
  while (true) {
    const auto ec = co_await lobby.read();
    if (ec) {
      co_return std::nullopt;
    }
    if (lobby.text().starts_with("{\"type\":\"started\"")) {
      auto answer = join_answer(lobby.text());
      if (answer) {
        answer->lobby = false;
      }
      co_return answer;
    }
  }
}

std::string chat_message() {
  const auto sent = std::chrono::steady_clock::now().time_since_epoch().count();
  return "{\"type\":\"chat\",\"text\":\"t=" + std::to_string(sent) + "\"}";
}

bool is_welcome(std::string_view frame) {
  return frame.starts_with("{\"type\":\"welcome\"");
}

}  // namespace cartable::load
