// Caps on open connections, in total and per source address, checked at accept.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "net/events.hpp"

namespace cartable::net {

class ConnectionCaps {
 public:
  ConnectionCaps(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Takes a slot for a new connection from `address`; nullopt-like false with the reason when a
  // cap is reached (the connection must then be refused and closed).
  bool try_acquire(const boost::asio::ip::address& address, Refusal& reason);
  void release(const boost::asio::ip::address& address);
  std::size_t open() const;

 private:
  std::size_t max_total_;
  std::size_t max_per_address_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;
  std::unordered_map<boost::asio::ip::address, std::size_t> per_address_;
};

// Holds a slot for as long as the connection lives. Movable: a WebSocket takes its connection's
// slot along when it leaves the HTTP loop.
class ConnectionSlot {
 public:
  ConnectionSlot(ConnectionCaps& caps, boost::asio::ip::address address)
      : caps_(&caps), address_(std::move(address)) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : caps_(std::exchange(other.caps_, nullptr)), address_(other.address_) {}
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() { release(); }

  // Gives the slot back now (the connection has closed); once.
  void release() {
    if (caps_ != nullptr) {
      std::exchange(caps_, nullptr)->release(address_);
    }
  }

 private:
  ConnectionCaps* caps_;
  boost::asio::ip::address address_;
};

}  // namespace cartable::net
