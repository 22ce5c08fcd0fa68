// Who is in which room of a `cartable-load live` run: classes with enough pupils, each with a
// teacher who teaches it and starts no more rooms than the server allows, spread evenly over the
// servers. The classes a teacher teaches are asked of the server (GET /api/me), before the run.
#pragma once

#include <cstdint>
#include <vector>

#include "accounts.hpp"
#include "live_run.hpp"
#include "target.hpp"

namespace cartable::load {

struct PlannedRoom {
  std::size_t server = 0;  // index in the run's servers
  std::int64_t class_id = 0;
  const Account* teacher = nullptr;
  std::vector<const Account*> pupils;
  bool drawing = false;  // the teacher draws during the lesson
};

// people[s] are server s's accounts (with sessions). Throws std::invalid_argument when the servers'
// demos have too few classes for the rooms asked.
std::vector<PlannedRoom> plan_rooms(const LiveRunOptions& options,
                                    const std::vector<Target>& servers,
                                    const std::vector<std::vector<Account>>& people);

}  // namespace cartable::load
