// Runs an accepted WebSocket over a plain or TLS stream (included by server.cpp only): one reader
// loop feeding the session, one writer loop draining a bounded queue of shared messages.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>

#include "common/limits.hpp"
#include "net/http_service.hpp"
#include "net/websocket.hpp"

namespace cartable::net {

// The queue between the application (any thread) and the writer loop (the connection's thread).
class QueuedPeer final : public WebSocketPeer, public std::enable_shared_from_this<QueuedPeer> {
 public:
  QueuedPeer(boost::asio::any_io_executor executor, std::size_t capacity)
      : executor_(executor), wake_(executor), capacity_(capacity) {
    wake_.expires_at(boost::asio::steady_timer::time_point::max());
  }

  void send(SharedText message) override {
    boost::asio::post(executor_, [self = shared_from_this(), message = std::move(message)] {
      if (self->closing_) {
        return;
      }
      if (self->queue_.size() >= self->capacity_) {
        // Too slow to follow: drop it (and what it has not read); it resyncs on reconnect.
        self->queue_.clear();
        self->closing_ = true;
        self->close_reason_ = "slow consumer";
      } else {
        self->queue_.push_back(message);
      }
      self->wake_.cancel();
    });
  }

  void close(std::string reason) override {
    boost::asio::post(executor_, [self = shared_from_this(), reason = std::move(reason)] {
      if (!self->closing_) {
        self->closing_ = true;
        self->close_reason_ = reason;
      }
      self->wake_.cancel();
    });
  }

  // The writer loop's side (connection thread only).
  std::deque<SharedText>& queue() { return queue_; }
  bool closing() const { return closing_; }
  const std::string& close_reason() const { return close_reason_; }
  void stop() {
    queue_.clear();
    closing_ = true;
    wake_.cancel();
  }
  boost::asio::awaitable<void> wait() {
    boost::system::error_code ignored;
    co_await wake_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    wake_.expires_at(boost::asio::steady_timer::time_point::max());
  }

 private:
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer wake_;
  std::size_t capacity_;
  std::deque<SharedText> queue_;
  bool closing_ = false;
  std::string close_reason_;
};

// The writer's end, awaited by the reader (both on the connection's thread). A flag beside the
// timer: a cancel with nobody waiting yet would otherwise be lost, and the wait never end.
struct WriterDone {
  explicit WriterDone(const boost::asio::any_io_executor& executor) : timer(executor) {
    timer.expires_at(boost::asio::steady_timer::time_point::max());
  }
  void finish() {
    finished = true;
    timer.cancel();
  }
  boost::asio::awaitable<void> wait() {
    if (!finished) {
      boost::system::error_code ignored;
      co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
  }
  boost::asio::steady_timer timer;
  bool finished = false;
};

template <class WebSocket>
boost::asio::awaitable<void> write_loop(WebSocket& ws, std::shared_ptr<QueuedPeer> peer,
                                        std::shared_ptr<WriterDone> done) {
  boost::system::error_code ec;
  while (!ec) {
    // Messages queued before a close (like "the lesson has ended") are still delivered.
    while (!peer->queue().empty()) {
      const SharedText message = peer->queue().front();
      peer->queue().pop_front();
      co_await ws.async_write(boost::asio::buffer(*message),
                              boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      if (ec) {
        break;
      }
    }
    if (ec) {
      break;
    }
    if (peer->closing()) {
      if (ws.is_open() && !peer->close_reason().empty()) {
        boost::beast::websocket::close_reason reason(
            boost::beast::websocket::close_code::going_away, peer->close_reason());
        co_await ws.async_close(reason,
                                boost::asio::redirect_error(boost::asio::use_awaitable, ec));
      }
      break;
    }
    co_await peer->wait();
  }
  done->finish();
}

// Runs the session until the connection ends. `socket` is the TCP socket under `stream`.
template <class Stream>
boost::asio::awaitable<void> run_websocket(Stream& stream, boost::asio::ip::tcp::socket& socket,
                                           Request& request,
                                           std::shared_ptr<WebSocketSession> session,
                                           const WebSocketLimits& limits) {
  namespace websocket = boost::beast::websocket;
  websocket::stream<Stream&> ws(stream);
  websocket::stream_base::timeout timeouts =
      websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
  timeouts.idle_timeout = limits.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws.set_option(timeouts);
  ws.read_message_max(limits.max_message_bytes);
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set("Server", "cartable"); }));
  boost::system::error_code ec;
  co_await ws.async_accept(request, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
  if (ec) {
    co_return;
  }
  ws.text(true);
  auto executor = co_await boost::asio::this_coro::executor;
  auto peer = std::make_shared<QueuedPeer>(executor, limits.send_queue_messages);
  // The writer signals `done` when it ends; this frame (which owns `ws`) outlives it.
  auto done = std::make_shared<WriterDone>(executor);
  boost::asio::co_spawn(executor, write_loop(ws, peer, done), boost::asio::detached);
  session->on_open(peer);
  boost::beast::flat_buffer buffer;
  while (true) {
    co_await ws.async_read(buffer, boost::asio::redirect_error(boost::asio::use_awaitable, ec));
    if (ec || peer->closing()) {
      break;
    }
    if (ws.got_text()) {
      const auto data = buffer.cdata();
      session->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    buffer.consume(buffer.size());
  }
  session->on_close();
  peer->stop();
  // A write still in flight ends when the socket goes.
  if (ec) {
    socket.close(ec);
  }
  co_await done->wait();
}

}  // namespace cartable::net
