// Runs an accepted WebSocket over a plain or TLS stream (included by server.cpp only). A link is
// one small object per connection driven by completion handlers, not coroutines: once the handshake
// is done it leaves the HTTP loop that accepted it, and an idle member costs its Beast stream, one
// pending read and the link itself (bench/live.sh measures it), nothing of the HTTP loop's frames,
// buffers or request headers.
#pragma once

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/limits.hpp"
#include "net/http_service.hpp"
#include "net/websocket.hpp"

namespace cartable::net {

// `Registration` is what the server lends a link for its life: `attach(socket)` when it starts,
// `detach()` once it has closed, both on the connection's thread.
template <class Stream, class Registration>
class WebSocketLink final
    : public WebSocketPeer,
      public std::enable_shared_from_this<WebSocketLink<Stream, Registration>> {
 public:
  WebSocketLink(Stream stream, std::shared_ptr<WebSocketSession> session,
                const WebSocketLimits& limits, Registration registration)
      : ws_(std::move(stream)),
        session_(std::move(session)),
        capacity_(limits.send_queue_messages),
        registration_(std::move(registration)) {
    namespace websocket = boost::beast::websocket;
    websocket::stream_base::timeout timeouts =
        websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
    timeouts.idle_timeout = limits.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.read_message_max(limits.max_message_bytes);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set("Server", "cartable"); }));
  }

  // Answers the upgrade `request`, then runs until the connection ends. On the connection's thread.
  void start(Request request) {
    registration_.attach(boost::beast::get_lowest_layer(ws_));
    upgrade_ = std::make_unique<Request>(std::move(request));
    ws_.async_accept(*upgrade_,
                     [self = this->shared_from_this()](error_code ec) { self->on_accepted(ec); });
  }

  // WebSocketPeer, from any thread. A send from the connection's own thread (a room on the same
  // I/O thread fanning out) is queued at once, without a trip through the event loop.
  void send(SharedText message) override {
    boost::asio::dispatch(ws_.get_executor(), [self = this->shared_from_this(),
                                               message = std::move(message)]() mutable {
      self->enqueue(std::move(message));
    });
  }
  void close(std::string reason) override {
    boost::asio::post(ws_.get_executor(),
                      [self = this->shared_from_this(), reason = std::move(reason)]() mutable {
                        self->close_with(std::move(reason));
                      });
  }

 private:
  using error_code = boost::system::error_code;
  // A queue that grew in a burst gives its memory back once drained beyond this.
  static constexpr std::size_t kKeptQueueCapacity = 16;

  void on_accepted(error_code ec) {
    upgrade_.reset();  // the upgrade's headers are not kept for the connection's life
    if (ec) {
      reading_ = false;
      finish_if_done();
      return;
    }
    ws_.text(true);
    session_->on_open(this->shared_from_this());
    read();
  }

  void read() {
    ws_.async_read(buffer_, [self = this->shared_from_this()](error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(error_code ec) {
    if (ec || closing_) {
      end_reading(ec);
      return;
    }
    if (ws_.got_text()) {
      const auto data = buffer_.cdata();
      session_->on_message(std::string_view(static_cast<const char*>(data.data()), data.size()));
    }
    // Most members are silent most of the time: hold no buffer between messages.
    buffer_.clear();
    buffer_.shrink_to_fit();
    read();
  }

  void end_reading(error_code ec) {
    reading_ = false;
    session_->on_close();
    closing_ = true;
    drop_queue();
    if (ec) {
      close_socket();  // a write still in flight ends with it
    }
    write_next();
  }

  void enqueue(SharedText message) {
    if (closing_) {
      return;
    }
    if (queue_.size() - head_ >= capacity_) {
      // Too slow to follow: drop it (and what it has not read); it resyncs on reconnect.
      drop_queue();
      closing_ = true;
      close_reason_ = "slow consumer";
    } else {
      queue_.push_back(std::move(message));
    }
    write_next();
  }

  void close_with(std::string reason) {
    if (!closing_) {
      closing_ = true;
      close_reason_ = std::move(reason);
    }
    write_next();
  }

  // One write at a time: the queued messages in order (those queued before a close, like "the
  // lesson has ended", are still delivered), then the close frame when closing with a reason.
  void write_next() {
    if (writing_ || finished_) {
      return;
    }
    if (head_ < queue_.size()) {
      in_flight_ = std::move(queue_[head_++]);
      writing_ = true;
      ws_.async_write(
          boost::asio::buffer(*in_flight_),
          [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_written(ec); });
      return;
    }
    drop_queue();
    if (closing_ && !close_sent_ && !close_reason_.empty() && ws_.is_open()) {
      close_sent_ = true;
      writing_ = true;
      const boost::beast::websocket::close_reason reason(
          boost::beast::websocket::close_code::going_away, close_reason_);
      ws_.async_close(reason,
                      [self = this->shared_from_this()](error_code ec) { self->on_written(ec); });
      return;
    }
    finish_if_done();
  }

  void on_written(error_code ec) {
    writing_ = false;
    in_flight_.reset();
    if (ec) {
      closing_ = true;
      drop_queue();
      close_socket();  // the pending read ends too
    }
    write_next();
  }

  void drop_queue() {
    queue_.clear();
    head_ = 0;
    if (queue_.capacity() > kKeptQueueCapacity) {
      queue_.shrink_to_fit();
    }
  }

  void close_socket() {
    error_code ignored;
    boost::beast::get_lowest_layer(ws_).close(ignored);
  }

  // Both directions are over: give back the connection's slot and let the session go (it holds
  // this link as its peer).
  void finish_if_done() {
    if (reading_ || writing_ || finished_) {
      return;
    }
    finished_ = true;
    close_socket();
    registration_.detach();
    session_.reset();
  }

  boost::beast::websocket::stream<Stream> ws_;
  std::shared_ptr<WebSocketSession> session_;
  std::size_t capacity_;
  Registration registration_;
  std::unique_ptr<Request> upgrade_;  // during the handshake only
  boost::beast::flat_buffer buffer_;
  std::vector<SharedText> queue_;  // from head_ on: waiting to be written
  std::size_t head_ = 0;
  SharedText in_flight_;  // being written (kept alive while the queue may be dropped)
  std::string close_reason_;
  bool reading_ = true;  // until the handshake fails or the read side ends
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;
  bool finished_ = false;
};

}  // namespace cartable::net
