// One person's morning in the rentrée scenario (../shared/scenarios/rentree.md): the app through
// the waiting room, sign-in or yesterday's session, the day, homework with its attachment and a
// hand-in, and the class's live lesson; every request under the F5 model.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "accounts.hpp"
#include "rentree.hpp"
#include "rentree_stats.hpp"
#include "target.hpp"
#include "user_agent.hpp"

namespace cartable::load {

struct Journey {
  const RentreeOptions& options;
  Stats& stats;
  const Target& server;
  const std::string& shell_etag;
  const std::vector<std::string>& assets;
  const std::set<std::pair<std::string, std::string>>& classes_in_run;  // (school, class name)
  std::mt19937_64 random;
  bool admitted = false;  // past the waiting room: whatever fails now is a failed admitted journey
};

// One request with the F5 model: a failure or a wait past patience is abandoned and tried again
// after 1-3 s (half the time on a new connection), up to max_f5 times. nullopt: the user gave up.
boost::asio::awaitable<std::optional<Reply>> attempt(Journey& journey, UserAgent& agent,
                                                     const Outgoing& request, RequestType type);

// Who the signed-in user is, as GET /api/me (or the sign-in) answered.
struct Profile {
  boost::json::object body;
  std::string csrf;
};

boost::asio::awaitable<void> run_journey(Journey journey, Account person,
                                         boost::asio::ip::address source,
                                         std::chrono::milliseconds arrival);

}  // namespace cartable::load
