// The network limits against the real server: oversize heads and bodies, slow clients, connection
// caps, keep-alive and graceful drain.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::beast::http::verb;

class Limits : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer({"--head-deadline-ms", "800", "--body-deadline-ms", "800",
                              "--idle-timeout-ms", "1500", "--max-connections-per-ip", "20"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }
  static TestServer* server_;
};

TestServer* Limits::server_ = nullptr;

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

TEST_F(Limits, OversizeHeadGets431) {
  const std::string request =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_EQ(status_line(server().raw(request)), "HTTP/1.1 431 Request Header Fields Too Large");
}

TEST_F(Limits, OversizeBodyGets413BeforeItIsRead) {
  const std::string request =
      "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 10000000\r\n\r\n{";
  const std::string response = server().raw(request);
  EXPECT_EQ(status_line(response), "HTTP/1.1 413 Payload Too Large");
  EXPECT_NE(response.find("body_too_large"), std::string::npos);
}

TEST_F(Limits, ChunkedBodyGrowingPastTheLimitGets413) {
  std::string request =
      "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 8; ++i) {
    request += "400\r\n" + std::string(1024, ' ') + "\r\n";
  }
  EXPECT_EQ(status_line(server().raw(request)), "HTTP/1.1 413 Payload Too Large");
}

TEST_F(Limits, BodyOnARouteWithoutBodyGets413) {
  const std::string request =
      "GET /api/me HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789";
  EXPECT_EQ(status_line(server().raw(request)), "HTTP/1.1 413 Payload Too Large");
}

TEST_F(Limits, SlowlorisHeadIsCutAtTheDeadlineFromItsFirstByte) {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), server().port()});
  const auto started = std::chrono::steady_clock::now();
  // One byte every 200 ms: each read is quick, the head as a whole is not.
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa";
  boost::system::error_code ec;
  for (char c : head) {
    asio::write(socket, asio::buffer(&c, 1), ec);
    if (ec) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (socket.available(ec) > 0) {
      break;
    }
  }
  std::string response(256, '\0');
  const std::size_t got = socket.read_some(asio::buffer(response), ec);
  response.resize(got);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(status_line(response), "HTTP/1.1 408 Request Timeout");
  EXPECT_LT(elapsed, std::chrono::seconds(3));
}

TEST_F(Limits, SlowBodyGets408) {
  const std::string request =
      "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 100\r\n\r\n{\"login\":";
  EXPECT_EQ(status_line(server().raw(request, std::chrono::seconds(3))),
            "HTTP/1.1 408 Request Timeout");
}

TEST_F(Limits, GarbageGets400) {
  EXPECT_EQ(status_line(server().raw("HELLO\r\n\r\n")), "HTTP/1.1 400 Bad Request");
}

TEST_F(Limits, KeepAliveServesSeveralRequestsOnOneConnection) {
  const std::string one = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string response = server().raw(one + one + one, std::chrono::milliseconds(500));
  std::size_t count = 0;
  for (std::size_t at = response.find("HTTP/1.1 200"); at != std::string::npos;
       at = response.find("HTTP/1.1 200", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST_F(Limits, IdleConnectionsAreClosed) {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), server().port()});
  char byte;
  boost::system::error_code ec;
  const auto started = std::chrono::steady_clock::now();
  socket.read_some(asio::buffer(&byte, 1), ec);  // blocks until the server closes
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(4));
}

TEST_F(Limits, ConnectionsBeyondThePerAddressCapGet503) {
  asio::io_context context;
  std::vector<tcp::socket> held;
  for (int i = 0; i < 20; ++i) {
    held.emplace_back(context).connect({asio::ip::make_address("127.0.0.1"), server().port()});
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const std::string response = server().raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(status_line(response), "HTTP/1.1 503 Service Unavailable");
  EXPECT_NE(response.find("Retry-After"), std::string::npos);
  held.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server().request(verb::get, "/healthz").status, 200);
}

TEST(Drain, SigtermFinishesInFlightRequestsAndExitsZero) {
  TestServer server;
  EXPECT_EQ(server.request(verb::get, "/healthz").status, 200);
  // A keep-alive connection sits idle: draining closes it rather than waiting for it.
  asio::io_context context;
  tcp::socket idle(context);
  idle.connect({asio::ip::make_address("127.0.0.1"), server.port()});
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(server.stop(), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace cartable::testing
