// One simulated browser: a keep-alive connection from its own source address, a cookie jar, and
// requests that give up after the user's patience.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "target.hpp"

namespace cartable::load {

struct Reply {
  bool answered = false;  // false: connection error or timeout
  bool timed_out = false;
  int status = 0;
  std::string body;
  boost::beast::http::fields headers;
  std::string header(std::string_view name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string{} : std::string(found->value());
  }
};

struct Outgoing {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string path;
  std::string body;
  std::string content_type;
  std::map<std::string, std::string> headers;
};

class UserAgent {
 public:
  UserAgent(boost::asio::any_io_executor executor, boost::asio::ip::address source,
            const Target& server);
  ~UserAgent();

  boost::asio::awaitable<Reply> send(const Outgoing& request, std::chrono::milliseconds patience);
  // The next request opens a new connection (F5 in a new tab, a reconnecting phone).
  void drop_connection();
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  bool has_cookie(const std::string& name) const { return cookies_.contains(name); }
  std::size_t connections_opened() const { return connections_opened_; }
  // "name=value; ..." as the next request would send it (for a WebSocket opened beside).
  std::string cookie_header() const;

 private:
  void remember_cookies(const boost::beast::http::fields& headers);

  boost::asio::ip::address source_;
  const Target& server_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer watchdog_;
  boost::beast::flat_buffer buffer_;
  std::map<std::string, std::string> cookies_;
  std::size_t connections_opened_ = 0;
  std::uint64_t attempt_ = 0;
  bool expired_ = false;
};

}  // namespace cartable::load
