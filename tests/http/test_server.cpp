#include "test_server.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef CARTABLE_BINARY
#error "CARTABLE_BINARY must name the cartable executable"
#endif

namespace cartable::testing {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

}  // namespace

std::string Reply::header(std::string_view name) const {
  const auto it = message.find(name);
  return it == message.end() ? std::string{} : std::string(it->value());
}

boost::json::value Reply::json() const {
  return boost::json::parse(message.body());
}

TestServer::TestServer(std::vector<std::string> extra_flags) {
  char pattern[] = "/tmp/cartable-http-XXXXXX";
  directory_ = ::mkdtemp(pattern);
  const std::string port_file = this->port_file();
  const std::string accounts_file = this->accounts_file();
  arguments_ = {CARTABLE_BINARY, "demo",       "--listen",    "127.0.0.1:0", "--port-file",
                port_file,       "--accounts", accounts_file, "--log-level", "warn"};
  // Defaults a suite may override by giving the flag itself (a second process on the first one's
  // --data, say). Test clients keep no admission pass: the waiting room is off unless a suite asks
  // for it.
  const std::vector<std::pair<std::string, std::string>> defaults = {
      {"--data", (directory_ / "data").string()}, {"--argon2-ops", "1"}, {"--argon2-mem-kib", "64"},
      {"--now", "2026-11-23T07:45:00Z"},          {"--threads", "2"},    {"--admission", "off"}};
  for (const auto& [flag, value] : defaults) {
    if (std::find(extra_flags.begin(), extra_flags.end(), flag) == extra_flags.end()) {
      arguments_.insert(arguments_.end(), {flag, value});
    }
  }
  arguments_.insert(arguments_.end(), extra_flags.begin(), extra_flags.end());
  start();
}

void TestServer::start() {
  const std::string port_file = this->port_file();
  const std::string accounts_file = this->accounts_file();
  std::filesystem::remove(port_file);
  std::vector<std::string> arguments = arguments_;
  pid_ = ::fork();
  if (pid_ == 0) {
    const std::string log = (directory_ / "server.log").string();
    std::freopen(log.c_str(), "w", stdout);
    std::freopen(log.c_str(), "a", stderr);
    std::vector<char*> argv;
    for (auto& argument : arguments) {
      argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(port_file)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the server exited before listening; see " +
                               (directory_ / "server.log").string());
    }
    if (std::chrono::steady_clock::now() > give_up) {
      throw std::runtime_error("the server did not start listening in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::ifstream(port_file) >> port_;
  accounts_.clear();
  std::ifstream accounts(accounts_file);
  std::string line;
  std::getline(accounts, line);  // header
  while (std::getline(accounts, line)) {
    const auto fields = split_csv_line(line);
    if (fields.size() == 5) {
      accounts_.push_back({fields[0], fields[1], fields[2], fields[3], fields[4]});
    }
  }
}

TestServer::~TestServer() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(directory_, ec);
}

int TestServer::stop() {
  if (pid_ <= 0) {
    return -1;
  }
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void TestServer::crash_and_restart() {
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  start();
}

const Account& TestServer::account(std::string_view role, std::string_view class_name) const {
  for (const Account& account : accounts_) {
    if (account.role == role && (class_name.empty() || account.class_name == class_name)) {
      return account;
    }
  }
  throw std::runtime_error("no demo account with role " + std::string(role));
}

Reply TestServer::request(beast_http::verb method, const std::string& target,
                          const std::string& body, const Client* client,
                          const std::map<std::string, std::string>& headers) const {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  beast_http::request<beast_http::string_body> request{method, target, 11};
  request.set(beast_http::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!body.empty()) {
    request.set(beast_http::field::content_type, "application/json");
    request.body() = body;
  }
  if (client != nullptr) {
    if (!client->cookie.empty()) {
      request.set(beast_http::field::cookie, client->cookie);
    }
    if (!client->csrf.empty()) {
      request.set("X-CSRF-Token", client->csrf);
    }
  }
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  request.prepare_payload();
  beast_http::write(socket, request);
  boost::beast::flat_buffer buffer;
  Reply reply;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  if (method == beast_http::verb::head) {
    parser.skip(true);
  }
  beast_http::read(socket, buffer, parser);
  reply.message = parser.release();
  reply.status = static_cast<int>(reply.message.result_int());
  return reply;
}

Client TestServer::sign_in(const Account& account, bool remember) const {
  std::ostringstream body;
  body << R"({"login":")" << account.login << R"(","password":")" << account.password
       << R"(","remember":)" << (remember ? "true" : "false") << "}";
  const Reply reply = request(beast_http::verb::post, "/api/session", body.str());
  if (reply.status != 200) {
    throw std::runtime_error("sign-in of " + account.login + " failed: " +
                             std::to_string(reply.status) + " " + reply.message.body());
  }
  Client client;
  const std::string set_cookie = reply.header("Set-Cookie");
  client.cookie = set_cookie.substr(0, set_cookie.find(';'));
  client.csrf = std::string(reply.json().at("csrf_token").as_string());
  return client;
}

std::string TestServer::raw(const std::string& bytes, std::chrono::milliseconds wait) const {
  asio::io_context context;
  tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  asio::write(socket, asio::buffer(bytes));
  std::string received;
  const auto give_up = std::chrono::steady_clock::now() + wait;
  socket.non_blocking(true);
  char chunk[4096];
  while (std::chrono::steady_clock::now() < give_up) {
    boost::system::error_code ec;
    const std::size_t got = socket.read_some(asio::buffer(chunk), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (ec) {
      break;
    }
    received.append(chunk, got);
  }
  return received;
}

}  // namespace cartable::testing
