// One WebSocket client connection, as a browser opens it: from its own source address, with the
// session cookie and the page's Origin. Text frames only; pings are answered by Beast while a read
// is pending.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <string>
#include <string_view>

#include "target.hpp"

namespace cartable::load {

class WsClient {
 public:
  explicit WsClient(boost::asio::any_io_executor executor);

  // Connects to `server` from `source` and upgrades `path`. On a refused upgrade the error is set
  // and refused_status() holds the HTTP status the server answered.
  boost::asio::awaitable<boost::system::error_code> connect(boost::asio::ip::address source,
                                                            const Target& server,
                                                            const std::string& path,
                                                            const std::string& cookie);
  // The next text frame, valid until the next read.
  boost::asio::awaitable<boost::system::error_code> read();
  std::string_view text() const;
  boost::asio::awaitable<boost::system::error_code> write(const std::string& text);
  // Closes the socket under any pending operation (the server sees the peer go).
  void close();
  int refused_status() const { return refused_status_; }

 private:
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> stream_;
  boost::beast::flat_buffer buffer_;
  int refused_status_ = 0;
};

}  // namespace cartable::load
