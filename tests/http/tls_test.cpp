// HTTPS against the real server: TLS 1.2+ only, HSTS and Secure cookies, session resumption, the
// HTTP→HTTPS redirect listener, and the refusal of plain HTTP off loopback.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::filesystem::path make_certificate() {
  const auto directory = std::filesystem::temp_directory_path() / "cartable-tls-test";
  std::filesystem::create_directories(directory);
  const std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
      "-subj /CN=127.0.0.1 -keyout " +
      (directory / "key.pem").string() + " -out " + (directory / "cert.pem").string() +
      " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    throw std::runtime_error("openssl could not make a test certificate");
  }
  return directory;
}

struct TlsReply {
  http::response<http::string_body> response;
  bool resumed = false;
};

// One HTTPS GET; `session` carries a TLS session from a previous call for resumption.
TlsReply https_get(unsigned short port, const std::string& target, SSL_SESSION** session,
                   int max_version = 0) {
  asio::io_context context;
  ssl::context tls(ssl::context::tls_client);
  if (max_version != 0) {
    SSL_CTX_set_max_proto_version(tls.native_handle(), max_version);
    SSL_CTX_set_min_proto_version(tls.native_handle(), max_version);
  }
  tls.set_verify_mode(ssl::verify_none);
  ssl::stream<tcp::socket> stream(context, tls);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  if (session != nullptr && *session != nullptr) {
    SSL_set_session(stream.native_handle(), *session);
  }
  stream.handshake(ssl::stream_base::client);
  http::request<http::string_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  TlsReply reply;
  http::read(stream, buffer, reply.response);
  reply.resumed = SSL_session_reused(stream.native_handle()) == 1;
  if (session != nullptr) {
    if (*session != nullptr) {
      SSL_SESSION_free(*session);
    }
    *session = SSL_get1_session(stream.native_handle());
  }
  boost::system::error_code ignored;
  stream.shutdown(ignored);
  return reply;
}

TEST(Tls, ServesHttpsWithHstsAndResumesSessions) {
  const auto certificate = make_certificate();
  TestServer server({"--tls-cert", (certificate / "cert.pem").string(), "--tls-key",
                     (certificate / "key.pem").string()});
  SSL_SESSION* session = nullptr;
  const TlsReply first = https_get(server.port(), "/healthz", &session);
  EXPECT_EQ(first.response.result_int(), 200u);
  EXPECT_NE(first.response[http::field::strict_transport_security].find("max-age="),
            std::string::npos);
  // TLS 1.3 delivers the ticket after the handshake; the second connection resumes with it.
  const TlsReply second = https_get(server.port(), "/healthz", &session);
  EXPECT_EQ(second.response.result_int(), 200u);
  EXPECT_TRUE(second.resumed);
  SSL_SESSION_free(session);
  // TLS 1.2 works; 1.1 is refused.
  EXPECT_EQ(https_get(server.port(), "/healthz", nullptr, TLS1_2_VERSION).response.result_int(),
            200u);
  EXPECT_THROW(https_get(server.port(), "/healthz", nullptr, TLS1_1_VERSION), std::exception);
}

// One HTTPS request on a fresh connection, as `client` (signed in over HTTPS) when given.
http::response<http::string_body> https_request(unsigned short port, http::verb verb,
                                                const std::string& target,
                                                const std::string& body = {},
                                                const Client* client = nullptr) {
  asio::io_context context;
  ssl::context tls(ssl::context::tls_client);
  tls.set_verify_mode(ssl::verify_none);
  ssl::stream<tcp::socket> stream(context, tls);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  stream.handshake(ssl::stream_base::client);
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!body.empty()) {
    request.set(http::field::content_type, "application/json");
    request.body() = body;
    request.prepare_payload();
  }
  if (client != nullptr) {
    request.set(http::field::cookie, client->cookie);
    request.set("X-CSRF-Token", client->csrf);
  }
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  boost::system::error_code ignored;
  stream.shutdown(ignored);
  return response;
}

Client https_sign_in(unsigned short port, const Account& account) {
  const auto reply = https_request(port, http::verb::post, "/api/session",
                                   boost::json::serialize(boost::json::object{
                                       {"login", account.login}, {"password", account.password}}));
  EXPECT_EQ(reply.result_int(), 200u) << reply.body();
  const std::string cookie(reply[http::field::set_cookie]);
  return {cookie.substr(0, cookie.find(';')),
          std::string(boost::json::parse(reply.body()).at("csrf_token").as_string())};
}

TEST(Tls, LiveLessonsRunOverSecureWebSockets) {
  namespace websocket = boost::beast::websocket;
  const auto certificate = make_certificate();
  TestServer server({"--tls-cert", (certificate / "cert.pem").string(), "--tls-key",
                     (certificate / "key.pem").string()});
  // A teacher with a class starts its lesson over HTTPS.
  std::int64_t class_id = 0;
  std::string class_name;
  Client teacher;
  for (const Account& account : server.accounts()) {
    if (account.role != "teacher") {
      continue;
    }
    teacher = https_sign_in(server.port(), account);
    const auto me = boost::json::parse(
        https_request(server.port(), http::verb::get, "/api/me", {}, &teacher).body());
    const auto& teaching = me.at("teaching").as_array();
    if (!teaching.empty()) {
      class_id = teaching[0].at("class").at("id").as_int64();
      class_name = std::string(teaching[0].at("class").at("name").as_string());
      break;
    }
  }
  ASSERT_NE(class_id, 0);
  const auto started =
      https_request(server.port(), http::verb::post, "/api/live/rooms",
                    boost::json::serialize(boost::json::object{{"class_id", class_id}}), &teacher);
  ASSERT_EQ(started.result_int(), 201u) << started.body();
  const std::string url(boost::json::parse(started.body()).at("room").at("url").as_string());

  // One of its pupils joins over wss, says hello and hears it back.
  const Account* pupil = nullptr;
  for (const Account& account : server.accounts()) {
    if (account.role == "pupil" && account.class_name == class_name) {
      pupil = &account;
      break;
    }
  }
  ASSERT_NE(pupil, nullptr);
  const Client pupil_client = https_sign_in(server.port(), *pupil);
  asio::io_context context;
  ssl::context tls(ssl::context::tls_client);
  tls.set_verify_mode(ssl::verify_none);
  websocket::stream<ssl::stream<tcp::socket>> ws(context, tls);
  boost::beast::get_lowest_layer(ws).connect({asio::ip::make_address("127.0.0.1"), server.port()});
  ws.next_layer().handshake(ssl::stream_base::client);
  ws.set_option(websocket::stream_base::decorator([&](websocket::request_type& request) {
    request.set(http::field::cookie, pupil_client.cookie);
  }));
  ws.handshake("127.0.0.1", url);
  const auto next = [&ws](std::string_view type) {
    for (int frames = 0; frames < 20; ++frames) {
      boost::beast::flat_buffer buffer;
      ws.read(buffer);
      auto message = boost::json::parse(boost::beast::buffers_to_string(buffer.data())).as_object();
      if (message.at("type").as_string() == type) {
        return message;
      }
    }
    return boost::json::object{};
  };
  EXPECT_EQ(next("welcome").at("room").at("id").as_int64(),
            boost::json::parse(started.body()).at("room").at("id").as_int64());
  ws.write(asio::buffer(std::string(R"({"type":"chat","text":"Bonjour en TLS"})")));
  EXPECT_EQ(next("chat").at("text").as_string(), "Bonjour en TLS");
  ws.close(websocket::close_code::normal);
}

TEST(Tls, RedirectListenerSendsBrowsersToHttps) {
  const auto certificate = make_certificate();
  // The redirect listener's port is not reported, so pick a free one first.
  asio::io_context context;
  tcp::acceptor probe(context, {asio::ip::make_address("127.0.0.1"), 0});
  const unsigned short plain_port = probe.local_endpoint().port();
  probe.close();
  TestServer server({"--tls-cert", (certificate / "cert.pem").string(), "--tls-key",
                     (certificate / "key.pem").string(), "--redirect-http",
                     "127.0.0.1:" + std::to_string(plain_port)});
  tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), plain_port});
  http::request<http::string_body> request{http::verb::get, "/aujourdhui?x=1", 11};
  request.set(http::field::host, "ecole.example:80");
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 308u);
  EXPECT_EQ(response[http::field::location],
            "https://ecole.example:" + std::to_string(server.port()) + "/aujourdhui?x=1");
}

TEST(Tls, PlainHttpOffLoopbackIsRefusedAtStart) {
  const std::string data = "/tmp/cartable-refuse-test-" + std::to_string(::getpid());
  const std::string command =
      std::string(CARTABLE_BINARY) + " serve --data " + data + " --listen 0.0.0.0:0 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char chunk[256];
  while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) {
    output += chunk;
  }
  const int status = ::pclose(pipe);
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_NE(output.find("refusing plain HTTP"), std::string::npos) << output;
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace cartable::testing
