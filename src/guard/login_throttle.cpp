#include "guard/login_throttle.hpp"

#include <algorithm>
#include <cmath>

namespace cartable::guard {

namespace {

std::chrono::seconds whole_seconds_until(std::chrono::system_clock::time_point later,
                                         std::chrono::system_clock::time_point now) {
  const auto wait = std::chrono::ceil<std::chrono::seconds>(later - now);
  return std::max(wait, std::chrono::seconds(1));
}

}  // namespace

LoginThrottle::LoginThrottle(const Clock& clock, ThrottleOptions options)
    : clock_(clock), options_(options) {}

void LoginThrottle::refill(AddressState& state, TimePoint now) const {
  const double minutes =
      std::chrono::duration<double, std::ratio<60>>(now - state.refilled).count();
  state.tokens =
      std::min(options_.address_burst,
               state.tokens + std::max(0.0, minutes) * options_.address_refill_per_minute);
  state.refilled = now;
}

std::optional<std::chrono::seconds> LoginThrottle::check(std::string_view login,
                                                         const boost::asio::ip::address& address) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    refill(it->second, now);
    if (it->second.tokens < 1.0) {
      const double missing = 1.0 - it->second.tokens;
      const auto wait = std::chrono::duration<double, std::ratio<60>>(
          missing / options_.address_refill_per_minute);
      return std::max(std::chrono::ceil<std::chrono::seconds>(wait), std::chrono::seconds(1));
    }
  }
  if (auto it = accounts_.find(std::string(login)); it != accounts_.end()) {
    if (now < it->second.next_allowed) {
      return whole_seconds_until(it->second.next_allowed, now);
    }
  }
  return std::nullopt;
}

void LoginThrottle::record_failure(std::string_view login,
                                   const boost::asio::ip::address& address) {
  const TimePoint now = clock_.now();
  std::lock_guard lock(mutex_);
  // Make room only for a newcomer: a tracked account or address keeps its count.
  std::string key(login);
  if (!accounts_.contains(key)) {
    bound(accounts_, now);
  }
  if (!addresses_.contains(address)) {
    bound(addresses_, now);
  }
  AccountState& account = accounts_[std::move(key)];
  ++account.failures;
  account.last_seen = now;
  if (account.failures >= options_.free_failures) {
    const unsigned doublings = std::min(account.failures - options_.free_failures, 16u);
    const auto delay =
        std::min<std::chrono::seconds>(std::chrono::seconds(1u << doublings), options_.max_delay);
    account.next_allowed = now + delay;
  }
  auto [it, inserted] = addresses_.try_emplace(address);
  if (inserted) {
    it->second.tokens = options_.address_burst;
    it->second.refilled = now;
  }
  refill(it->second, now);
  it->second.tokens = std::max(0.0, it->second.tokens - 1.0);
}

void LoginThrottle::record_success(std::string_view login) {
  std::lock_guard lock(mutex_);
  accounts_.erase(std::string(login));
}

template <class Map>
void LoginThrottle::bound(Map& map, TimePoint now) {
  if (map.size() < options_.max_tracked) {
    return;
  }
  // Drop entries quiet for longer than the longest delay; if that frees nothing, drop all: memory
  // stays bounded and the worst case is a few more guesses for an attacker with 100k identities.
  const auto quiet = std::chrono::minutes(15);
  std::erase_if(map, [&](const auto& entry) {
    if constexpr (std::is_same_v<typename Map::mapped_type, AccountState>) {
      return now - entry.second.last_seen > quiet;
    } else {
      return now - entry.second.refilled > quiet;
    }
  });
  if (map.size() >= options_.max_tracked) {
    map.clear();
  }
}

}  // namespace cartable::guard
