// What each load process of `cartable-load live` counts, in memory shared with the parent process
// (mapped before the fork): counters the parent reads every second for its progress line, and
// histograms it merges once the workers have exited.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "histogram.hpp"

namespace cartable::load {

constexpr std::size_t kLiveMaxSeconds = 900;

using Counter = std::atomic<std::uint64_t>;

struct LiveSecond {
  Counter frames{0};
  Counter strokes_sent{0}, strokes_received{0};
  Counter chats_sent{0}, chats_received{0};
  Counter welcomed{0};
  Histogram fanout;  // strokes received this second
};

struct LiveWorkerStats {
  Counter members{0};         // planned members of this worker
  Counter connected{0};       // sockets open now (after their welcome)
  Counter welcomed{0};        // welcomes received in all
  Counter join_failed{0};     // /api/me or /api/live/join failed, or no lesson in time
  Counter connect_failed{0};  // TCP connect or upgrade refused
  Counter dropped{0};         // closed by the server or the network before the end
  Counter rooms_started{0}, rooms_failed{0};
  Counter paced{0};  // told to wait (delay_ms > 0)
  Counter lobby{0};  // went through a lobby
  Counter strokes_sent{0}, strokes_refused{0}, strokes_received{0};
  Counter chats_sent{0}, chats_refused{0}, chats_received{0};
  Counter frames{0}, error_frames{0};
  Counter finished{0};      // 1 once the worker's histograms are final
  Histogram fanout;         // strokes: teacher's send (when due) to a pupil's receive
  Histogram chat_fanout;    // chat lines: pupil's send to another member's receive
  Histogram join_answer;    // POST /api/live/join
  Histogram connect;        // TCP connect and WebSocket upgrade
  Histogram first_message;  // from the join request to the welcome, delay_ms included
  Histogram delay;          // delay_ms the server asked for (as a duration)
  std::array<LiveSecond, kLiveMaxSeconds> timeline;
};

}  // namespace cartable::load

namespace cartable::load {

// The workers' counters added up, as plain numbers.
struct LiveTotals {
  std::uint64_t members = 0, welcomed = 0, join_failed = 0, connect_failed = 0, dropped = 0;
  std::uint64_t rooms_started = 0, rooms_failed = 0, paced = 0, lobby = 0;
  std::uint64_t strokes_sent = 0, strokes_refused = 0, strokes_received = 0;
  std::uint64_t chats_sent = 0, chats_refused = 0, chats_received = 0;
  std::uint64_t frames = 0, error_frames = 0;

  void add(const LiveWorkerStats& worker) {
    members += worker.members;
    welcomed += worker.welcomed;
    join_failed += worker.join_failed;
    connect_failed += worker.connect_failed;
    dropped += worker.dropped;
    rooms_started += worker.rooms_started;
    rooms_failed += worker.rooms_failed;
    paced += worker.paced;
    lobby += worker.lobby;
    strokes_sent += worker.strokes_sent;
    strokes_refused += worker.strokes_refused;
    strokes_received += worker.strokes_received;
    chats_sent += worker.chats_sent;
    chats_refused += worker.chats_refused;
    chats_received += worker.chats_received;
    frames += worker.frames;
    error_frames += worker.error_frames;
  }
};

}  // namespace cartable::load
