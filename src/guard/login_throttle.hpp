// Slows password guessing without ever locking anyone out.
// - Per account: after `free_failures` failed attempts, each further attempt must wait a delay that
//   doubles with every failure, capped at `max_delay`. The cap keeps it a delay, never a lock: an
//   attacker hammering a pupil's login cannot keep them out for longer than `max_delay`.
// - Per source address: a token bucket of failed attempts, generous because a whole school can sit
//   behind one NAT address; once empty, attempts from that address wait for it to refill.
// A success clears the account's failures. Memory is bounded: beyond `max_tracked` entries the
// oldest quiet ones are dropped.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.hpp"

namespace cartable::guard {

struct ThrottleOptions {
  unsigned free_failures = 5;
  std::chrono::seconds max_delay{30};
  // Failed attempts an address may make in a burst, and refilled per minute.
  double address_burst = 300;
  double address_refill_per_minute = 300;
  std::size_t max_tracked = 100'000;
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleOptions options);

  // nullopt if an attempt may proceed now; otherwise how long to wait (whole seconds, >= 1).
  std::optional<std::chrono::seconds> check(std::string_view login,
                                            const boost::asio::ip::address& address);
  void record_failure(std::string_view login, const boost::asio::ip::address& address);
  void record_success(std::string_view login);

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  struct AccountState {
    unsigned failures = 0;
    TimePoint next_allowed{};
    TimePoint last_seen{};
  };
  struct AddressState {
    double tokens = 0;
    TimePoint refilled{};
  };

  void refill(AddressState& state, TimePoint now) const;
  template <class Map>
  void bound(Map& map, TimePoint now);

  const Clock& clock_;
  ThrottleOptions options_;
  std::mutex mutex_;
  std::unordered_map<std::string, AccountState> accounts_;
  std::unordered_map<boost::asio::ip::address, AddressState> addresses_;
};

}  // namespace cartable::guard
