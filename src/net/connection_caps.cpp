#include "net/connection_caps.hpp"

namespace cartable::net {

bool ConnectionCaps::try_acquire(const boost::asio::ip::address& address, Refusal& reason) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) {
    reason = Refusal::too_many_connections;
    return false;
  }
  std::size_t& mine = per_address_[address];
  if (mine >= max_per_address_) {
    reason = Refusal::too_many_per_ip;
    return false;
  }
  ++mine;
  ++total_;
  return true;
}

void ConnectionCaps::release(const boost::asio::ip::address& address) {
  std::lock_guard lock(mutex_);
  --total_;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) {
    per_address_.erase(it);
  }
}

std::size_t ConnectionCaps::open() const {
  std::lock_guard lock(mutex_);
  return total_;
}

}  // namespace cartable::net
