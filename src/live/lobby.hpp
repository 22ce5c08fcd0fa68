// A class's lobby: pupils who arrive before the teacher has started the live lesson wait here. They
// see that it has not started, when it is due and the teacher's message; when the teacher starts,
// each is told where to connect and after which paced delay, and the lobby lets them go. A lobby
// carries little traffic (an arrival, a message, the start), so a mutex guards it, not a strand.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "live/join_pacer.hpp"
#include "net/websocket.hpp"
#include "store/store.hpp"

namespace cartable::live {

class Lobby {
 public:
  Lobby(NamedRef school_class, std::size_t max_waiting, JoinPacer& pacer);

  // A pupil's connection arrives: it gets the lobby's state, or at once where to go if the lesson
  // has started. False when the lobby is full (the caller refuses the connection).
  bool enter(const std::shared_ptr<net::WebSocketPeer>& peer);
  void leave(const std::shared_ptr<net::WebSocketPeer>& peer);
  // The teacher's word to the waiting class (may be empty) and when the lesson is due (unix
  // seconds; 0: not said). Everyone waiting sees the change.
  void announce(std::string message, std::int64_t starts_at);
  // The timetable says when the lesson is due; a time the teacher gave stays.
  void expect(std::int64_t starts_at);
  // The lesson started: everyone waiting (and whoever comes later) is sent to `room`.
  void open(boost::json::object room);
  bool opened() const;

  // {"class","message","starts_at"}, as in the `lobby` message and the join answer.
  boost::json::object state() const;
  std::size_t waiting() const;

 private:
  boost::json::object state_locked() const;
  net::SharedText state_message_locked() const;  // the `lobby` message
  void broadcast_state_locked() const;
  void send_to_room(const std::shared_ptr<net::WebSocketPeer>& peer) const;

  const NamedRef school_class_;
  const std::size_t max_waiting_;
  JoinPacer& pacer_;

  mutable std::mutex mutex_;
  std::set<std::shared_ptr<net::WebSocketPeer>> waiting_;
  std::string message_;
  std::int64_t starts_at_ = 0;
  std::optional<boost::json::object> room_;  // once the lesson started
};

}  // namespace cartable::live
