// What a rentrée run counts while it goes: requests by type, second by second, and the journeys,
// the waiting room and the live lessons. One io_context thread updates it: no locks.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <vector>

#include "histogram.hpp"
#include "report.hpp"
#include "user_agent.hpp"

namespace cartable::load {

class WsClient;

constexpr std::array<const char*, 15> kRequestTypes{
    "shell",        "asset",      "queue",      "sign_in",     "me",
    "day_view",     "homework",   "attachment", "upload",      "hand_in",
    "teacher_list", "live_start", "live_join",  "live_socket", "live_end"};

enum RequestType : std::size_t {
  shell,
  asset,
  queue,
  sign_in,
  me,
  day_view,
  homework,
  attachment,
  upload,
  hand_in,
  teacher_list,
  live_start,
  live_join,
  live_socket,  // a WebSocket handshake (101), or the socket lost before the end of the morning
  live_end
};

struct Second {
  std::uint64_t arrivals = 0;
  std::uint64_t admitted = 0;
  std::uint64_t in_queue = 0;
  std::array<std::uint64_t, 5> by_class{};  // 1xx..5xx
  std::uint64_t errors = 0;
  Histogram latency;
  double server_cpu = 0;
  double server_rss_mib = 0;
};

struct Stats {
  using Clock = std::chrono::steady_clock;

  explicit Stats(std::size_t seconds) : timeline(seconds) {}

  std::array<TypeStats, kRequestTypes.size()> types{};
  std::vector<Second> timeline;
  Clock::time_point start;
  Clock::time_point morning_end;  // start + the scenario's duration: lessons end then
  std::uint64_t started = 0, completed = 0, failed = 0, failed_admitted = 0, unfinished = 0;
  std::uint64_t queued_now = 0, ever_queued = 0, admitted = 0, f5 = 0;
  Histogram journey;
  Histogram admitted_latency;  // every request of a pupil after admission
  std::vector<QueueWait> waits;
  LiveSummary live;
  std::set<std::int64_t> live_classes;                  // a teacher has taken their lesson
  std::vector<std::shared_ptr<WsClient>> live_sockets;  // closed when the morning ends
  bool morning_over = false;

  Second& now() {
    const auto index = static_cast<std::size_t>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count());
    return timeline[std::min(index, timeline.size() - 1)];
  }
  void record(RequestType type, const Reply& reply, Clock::duration latency, bool admitted_user) {
    if (!reply.answered) {
      record_error(type);
      return;
    }
    record_status(type, reply.status, latency, admitted_user);
  }
  void record_status(RequestType type, int status, Clock::duration latency, bool admitted_user) {
    TypeStats& stats = types[type];
    Second& second = now();
    const std::size_t status_class = std::clamp(status / 100, 1, 5) - 1;
    ++stats.by_class[status_class];
    ++second.by_class[status_class];
    stats.latency.record(latency);
    second.latency.record(latency);
    if (admitted_user) {
      admitted_latency.record(latency);
    }
  }
  void record_error(RequestType type) {
    ++types[type].errors;
    ++now().errors;
  }
};

}  // namespace cartable::load
