// HTTPS against the real server: TLS 1.2+ only, HSTS and Secure cookies, session resumption, the
// HTTP→HTTPS redirect listener, and the refusal of plain HTTP off loopback.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
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
