#include "live/lobby.hpp"

#include <boost/json/serialize.hpp>

#include "school/json_views.hpp"

namespace cartable::live {

namespace {

net::SharedText serialised(const boost::json::object& message) {
  return std::make_shared<const std::string>(boost::json::serialize(message));
}

}  // namespace

Lobby::Lobby(NamedRef school_class, std::size_t max_waiting, JoinPacer& pacer)
    : school_class_(std::move(school_class)), max_waiting_(max_waiting), pacer_(pacer) {}

bool Lobby::enter(const std::shared_ptr<net::WebSocketPeer>& peer) {
  const std::lock_guard lock(mutex_);
  if (room_) {
    send_to_room(peer);
    return true;
  }
  if (waiting_.size() >= max_waiting_) {
    return false;
  }
  waiting_.insert(peer);
  peer->send(state_message_locked());
  return true;
}

void Lobby::leave(const std::shared_ptr<net::WebSocketPeer>& peer) {
  const std::lock_guard lock(mutex_);
  waiting_.erase(peer);
}

void Lobby::announce(std::string message, std::int64_t starts_at) {
  const std::lock_guard lock(mutex_);
  message_ = std::move(message);
  starts_at_ = starts_at;
  broadcast_state_locked();
}

void Lobby::expect(std::int64_t starts_at) {
  const std::lock_guard lock(mutex_);
  if (starts_at_ == 0) {
    starts_at_ = starts_at;
    broadcast_state_locked();
  }
}

net::SharedText Lobby::state_message_locked() const {
  boost::json::object message = state_locked();
  message["type"] = "lobby";
  return serialised(message);
}

void Lobby::broadcast_state_locked() const {
  const net::SharedText text = state_message_locked();
  for (const auto& peer : waiting_) {
    peer->send(text);
  }
}

void Lobby::open(boost::json::object room) {
  const std::lock_guard lock(mutex_);
  room_ = std::move(room);
  for (const auto& peer : waiting_) {
    send_to_room(peer);
  }
  waiting_.clear();
}

void Lobby::send_to_room(const std::shared_ptr<net::WebSocketPeer>& peer) const {
  // Each gets its own paced delay: a class that waited together does not reconnect as one wall.
  const auto delay = pacer_.next_delay(JoinPacer::Clock::now());
  peer->send(serialised({{"type", "started"},
                         {"room", *room_},
                         {"url", room_->at("url")},
                         {"delay_ms", delay.count()}}));
  peer->close("lesson started");
}

bool Lobby::opened() const {
  const std::lock_guard lock(mutex_);
  return room_.has_value();
}

boost::json::object Lobby::state() const {
  const std::lock_guard lock(mutex_);
  return state_locked();
}

boost::json::object Lobby::state_locked() const {
  return {{"class", to_json(school_class_)},
          {"message", message_},
          {"starts_at", starts_at_ > 0 ? boost::json::value(starts_at_) : nullptr}};
}

std::size_t Lobby::waiting() const {
  const std::lock_guard lock(mutex_);
  return waiting_.size();
}

}  // namespace cartable::live
