// One load process of `cartable-load live`: its slice of the rooms, every member of a room in the
// same process so that a stroke's send and its receipt are timed on one clock. Teachers start their
// rooms, members join and connect over the ramp (honouring the server's delay_ms and a lobby),
// stay idle, then the lesson runs: drawing teachers send strokes, pupils chat; at the end every
// socket closes and the teachers end their rooms.
#pragma once

#include <chrono>
#include <vector>

#include "live_plan.hpp"
#include "live_run.hpp"
#include "live_stats.hpp"
#include "target.hpp"

namespace cartable::load {

struct LiveSchedule {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start;   // teachers start their rooms from here...
  Clock::time_point ramp;    // ...members arrive from here...
  Clock::time_point idle;    // ...to here; then nobody draws or chats...
  Clock::time_point active;  // ...to here; then the lesson...
  Clock::time_point end;     // ...to here.
};

// Runs the worker's rooms to the schedule's end (bounded: 20 s more to close); fills `stats`.
void run_live_worker(const LiveRunOptions& options, const std::vector<Target>& servers,
                     const std::vector<const PlannedRoom*>& rooms, const LiveSchedule& schedule,
                     int worker_index, LiveWorkerStats& stats);

}  // namespace cartable::load
