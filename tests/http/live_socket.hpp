// What the live lesson tests share: a blocking WebSocket client (connects with a session cookie and
// an Origin when given, sends JSON objects, waits for the next message of a given type) and a
// fixture with one server per suite and helpers to find a teacher, their class and its pupils.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_server.hpp"

namespace cartable::testing {

class Socket {
 public:
  // Connects and upgrades; `status` gets the HTTP status of a refused upgrade (0 when accepted).
  Socket(const TestServer& server, const std::string& target, const std::string& cookie,
         int& status, const std::string& origin = {})
      : ws_(context_) {
    ws_.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    ws_.set_option(boost::beast::websocket::stream_base::decorator(
        [&](boost::beast::websocket::request_type& request) {
          request.set(boost::beast::http::field::cookie, cookie);
          if (!origin.empty()) {
            request.set(boost::beast::http::field::origin, origin);
          }
        }));
    boost::beast::websocket::response_type response;
    boost::system::error_code ec;
    ws_.handshake(response, "127.0.0.1:" + std::to_string(server.port()), target, ec);
    status = ec ? static_cast<int>(response.result_int()) : 0;
  }

  void send(const boost::json::object& message) { send_text(boost::json::serialize(message)); }
  void send_text(const std::string& text) { ws_.write(boost::asio::buffer(text)); }

  // The next message of this type (others are skipped), or null after `wait`.
  boost::json::object next(std::string_view type,
                           std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    const auto give_up = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < give_up) {
      boost::beast::flat_buffer buffer;
      bool done = false;
      boost::system::error_code ec;
      ws_.async_read(buffer, [&](boost::system::error_code error, std::size_t) {
        ec = error;
        done = true;
      });
      context_.restart();
      context_.run_for(give_up - std::chrono::steady_clock::now());
      if (!done) {
        ws_.next_layer().cancel();
        context_.restart();
        context_.run();
        return {};
      }
      if (ec) {
        return {};
      }
      auto message = boost::json::parse(boost::beast::buffers_to_string(buffer.data())).as_object();
      if (message.at("type").as_string() == type) {
        return message;
      }
    }
    return {};
  }

  void close() {
    boost::system::error_code ec;
    ws_.close(boost::beast::websocket::close_code::normal, ec);
  }

 private:
  boost::asio::io_context context_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
};

// A suite's server (started by the derived fixture's SetUpTestSuite through launch) and helpers.
class LiveSuite : public ::testing::Test {
 protected:
  static void launch(std::vector<std::string> flags) { server_ = new TestServer(std::move(flags)); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  struct Teacher {
    Client client;
    std::int64_t class_id = 0;
    std::string class_name;
  };
  // A teacher and one of their classes.
  static Teacher teacher() {
    for (const Account& account : server().accounts()) {
      if (account.role != "teacher") {
        continue;
      }
      Client client = server().sign_in(account);
      const auto me =
          server().request(boost::beast::http::verb::get, "/api/me", {}, &client).json();
      const auto& teaching = me.at("teaching").as_array();
      if (!teaching.empty()) {
        return {client, teaching[0].at("class").at("id").as_int64(),
                std::string(teaching[0].at("class").at("name").as_string())};
      }
    }
    throw std::runtime_error("no teacher");
  }
  static const Account& pupil_of(const std::string& class_name, bool same) {
    for (const Account& account : server().accounts()) {
      if (account.role == "pupil" && (account.class_name == class_name) == same) {
        return account;
      }
    }
    throw std::runtime_error("no pupil");
  }
  static std::string body(std::int64_t class_id) {
    return boost::json::serialize(boost::json::object{{"class_id", class_id}});
  }
  static std::int64_t start(const Teacher& teacher) {
    const Reply started = server().request(boost::beast::http::verb::post, "/api/live/rooms",
                                           body(teacher.class_id), &teacher.client);
    EXPECT_TRUE(started.status == 201 || started.status == 200) << started.message.body();
    return started.json().at("room").at("id").as_int64();
  }
  static std::string socket_of(std::int64_t room) {
    return "/api/live/rooms/" + std::to_string(room) + "/socket";
  }

  inline static TestServer* server_ = nullptr;
};

}  // namespace cartable::testing
