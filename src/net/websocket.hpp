// WebSockets, as the network layer offers them to the application: the service accepts or refuses
// an upgrade request; an accepted session gets a peer to send to, and receives text messages on
// the connection's own I/O thread. net/ knows nothing of what the messages mean.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cartable::net {

using SharedText = std::shared_ptr<const std::string>;

// The sending side of an accepted WebSocket. Thread-safe: calls from any thread are carried out on
// the connection's own I/O thread.
class WebSocketPeer {
 public:
  virtual ~WebSocketPeer() = default;
  // Queues a text message (shared: one serialisation for every recipient). A peer whose queue is
  // full is too slow to follow: it is closed, and its client resyncs when it reconnects.
  virtual void send(SharedText message) = 0;
  // Closes the connection with a WebSocket close frame giving `reason`.
  virtual void close(std::string reason) = 0;
};

class WebSocketSession {
 public:
  virtual ~WebSocketSession() = default;
  // Once the handshake is done; `peer` stays valid (and harmless once closed) as long as it is
  // held.
  virtual void on_open(std::shared_ptr<WebSocketPeer> peer) = 0;
  // A text message, on the connection's thread.
  virtual void on_message(std::string_view text) = 0;
  // The connection is gone (closed by either side, failed, or dropped for being slow).
  virtual void on_close() = 0;
};

}  // namespace cartable::net
