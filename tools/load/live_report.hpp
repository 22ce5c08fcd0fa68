// What a `cartable-load live` run measured, its verdict against the targets, and the
// reports: a summary on the terminal, a JSON file and an HTML page (report_parts' charts).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "histogram.hpp"
#include "live_run.hpp"
#include "live_stats.hpp"

namespace cartable::load {

struct LiveTick {  // one second of the run
  double at_s = 0;
  std::string phase;
  std::uint64_t held = 0;                // our sockets open
  std::int64_t server_connections = -1;  // cartable_live_connections, summed; -1: not read
  std::uint64_t welcomed = 0, frames = 0, strokes_sent = 0, strokes_received = 0;
  std::uint64_t chats_sent = 0, chats_received = 0;
  double fanout_p50_ms = 0, fanout_p99_ms = 0;
  double server_cpu = 0, server_rss_mib = 0;
  double load_cpu = 0;  // the load processes', summed: near 100 % per core they have, they lag
};

struct LiveSummary {
  std::size_t rooms = 0, drawing_rooms = 0, servers = 0;
  LiveTotals totals;
  Histogram fanout, chat_fanout, join_answer, connect, first_message, delay;
  double join_window_s = 0;  // from the first member's arrival to the last welcome
  // Memory: the servers' RSS before the first connection and at the end of the idle phase.
  double rss_before = 0, rss_idle = 0;
  std::int64_t connections_idle = -1;  // the servers' count then (-1: /metrics not read)
  std::uint64_t held_idle = 0;         // ours then
  std::uint64_t held_peak = 0;
  double active_cpu = 0;                         // servers' CPU % over the lesson, mean
  double active_load_cpu = 0;                    // the load processes' CPU % over the lesson, mean
  double loadavg_before = 0, loadavg_after = 0;  // the machine's 1-minute load average
  double active_frames_per_s = 0;                // frames received per second over the lesson
  std::vector<LiveTick> timeline;

  // RSS growth over the connections the servers held at the end of the idle phase.
  double bytes_per_idle_connection() const;
};

struct LiveVerdict {
  struct Check {
    std::string name;
    bool pass = false;
    std::string value;
  };
  std::vector<Check> checks;
  bool clean = false;  // no failed join or connection, nothing dropped
};

LiveVerdict judge_live(const LiveRunOptions& options, const LiveSummary& summary);
void print_live_summary(const LiveRunOptions& options, const LiveSummary& summary,
                        const LiveVerdict& verdict, std::FILE* out);
void write_live_json(const LiveRunOptions& options, const LiveSummary& summary,
                     const LiveVerdict& verdict, const std::string& file);
void write_live_html(const LiveRunOptions& options, const LiveSummary& summary,
                     const LiveVerdict& verdict, const std::string& file);

}  // namespace cartable::load
