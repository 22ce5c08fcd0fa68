// Starts the real `cartable` binary on an ephemeral loopback port with a generated demo school, and
// talks HTTP/1.1 to it over real sockets. One server per test suite.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/dynamic_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cartable::testing {

struct Account {
  std::string login;
  std::string password;
  std::string role;
  std::string school;
  std::string class_name;
};

struct Reply {
  int status = 0;
  boost::beast::http::response<boost::beast::http::string_body> message;
  std::string header(std::string_view name) const;
  boost::json::value json() const;
};

// A cookie jar and a CSRF token: one signed-in browser.
struct Client {
  std::string cookie;  // "cartable_session=..." or empty
  std::string csrf;
};

class TestServer {
 public:
  // Extra flags are appended to `cartable demo` (e.g. limits).
  explicit TestServer(std::vector<std::string> extra_flags = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const { return port_; }
  const std::vector<Account>& accounts() const { return accounts_; }
  // The first account with this role (and class name, when given).
  const Account& account(std::string_view role, std::string_view class_name = {}) const;

  Reply request(boost::beast::http::verb method, const std::string& target,
                const std::string& body = {}, const Client* client = nullptr,
                const std::map<std::string, std::string>& headers = {}) const;
  // Signs in; the client holds the session cookie and CSRF token.
  Client sign_in(const Account& account, bool remember = false) const;

  // Sends raw bytes on a new connection and returns everything the server sends back until it
  // closes or `wait` passes.
  std::string raw(const std::string& bytes,
                  std::chrono::milliseconds wait = std::chrono::seconds(5)) const;

  int pid() const { return pid_; }
  std::filesystem::path data_directory() const { return directory_ / "data"; }
  // SIGTERM and wait; the exit status.
  int stop();
  // SIGKILL (no chance to flush anything), then start again on the same data directory.
  void crash_and_restart();

 private:
  void start();
  std::string port_file() const { return (directory_ / "port").string(); }
  std::string accounts_file() const { return (directory_ / "accounts.csv").string(); }

  std::vector<std::string> arguments_;
  std::filesystem::path directory_;
  int pid_ = -1;
  unsigned short port_ = 0;
  std::vector<Account> accounts_;
};

}  // namespace cartable::testing
