#include "ws_client.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>

namespace cartable::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

WsClient::WsClient(asio::any_io_executor executor) : stream_(executor) {
  // A lesson's welcome carries the whole board: up to 5,000 strokes.
  stream_.read_message_max(16 * 1024 * 1024);
}

asio::awaitable<boost::system::error_code> WsClient::connect(asio::ip::address source,
                                                             const Target& server,
                                                             const std::string& path,
                                                             const std::string& cookie) {
  boost::system::error_code ec;
  tcp::socket& socket = stream_.next_layer();
  socket.open(server.endpoint.protocol(), ec);
  if (!ec) {
    socket.bind(tcp::endpoint(source, 0), ec);
  }
  if (!ec) {
    co_await socket.async_connect(server.endpoint, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) {
    co_return ec;
  }
  socket.set_option(tcp::no_delay(true), ec);
  stream_.set_option(websocket::stream_base::decorator(
      [cookie, origin = "http://" + server.host](websocket::request_type& request) {
        request.set(beast::http::field::user_agent, "cartable-load");
        request.set(beast::http::field::cookie, cookie);
        request.set(beast::http::field::origin, origin);
      }));
  websocket::response_type response;
  co_await stream_.async_handshake(response, server.host, path,
                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    refused_status_ = response.result_int();
  }
  co_return ec;
}

asio::awaitable<boost::system::error_code> WsClient::read() {
  buffer_.clear();
  boost::system::error_code ec;
  co_await stream_.async_read(buffer_, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

std::string_view WsClient::text() const {
  const auto data = buffer_.cdata();
  return {static_cast<const char*>(data.data()), data.size()};
}

asio::awaitable<boost::system::error_code> WsClient::write(const std::string& text) {
  boost::system::error_code ec;
  co_await stream_.async_write(asio::buffer(text), asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

void WsClient::close() {
  boost::system::error_code ignored;
  stream_.next_layer().close(ignored);
}

}  // namespace cartable::load
