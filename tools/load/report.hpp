// What a rentrée run measured, the verdict against the targets, and the reports: a summary on the
// terminal, a JSON file, and one self-contained HTML page with charts over time.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "histogram.hpp"

namespace cartable::load {

struct RentreeOptions;

struct TypeStats {
  std::array<std::uint64_t, 5> by_class{};  // 1xx..5xx
  std::uint64_t errors = 0;                 // connection errors and timeouts
  Histogram latency;
};

struct QueueWait {
  double announced_s = 0;  // the first estimate shown
  double waited_s = 0;     // from the first waiting page to admission
};

struct SecondSummary {
  std::uint64_t arrivals = 0, admitted = 0, in_queue = 0;
  std::array<std::uint64_t, 5> by_class{};
  std::uint64_t errors = 0;
  double p50_ms = 0, p99_ms = 0, server_cpu = 0, server_rss_mib = 0;
};

// The live lessons of the morning.
struct LiveSummary {
  std::uint64_t rooms_started = 0;
  std::uint64_t joined = 0;       // welcomed into a lesson (teachers and pupils)
  std::uint64_t not_offered = 0;  // a pupil whose class had no lesson running (not a failure)
  std::uint64_t lobby_waits = 0;
  std::uint64_t dropped = 0;  // closed by the server before the end of the morning
  std::uint64_t messages_sent = 0, frames_received = 0;
  Histogram join_time;     // a pupil's join, from asking to the welcome
  Histogram chat_latency;  // a chat line, from its sender to each classmate
};

struct RunSummary {
  std::size_t pupils = 0, teachers = 0, parents = 0;
  bool sessions_file_given = false;
  std::uint64_t started = 0, completed = 0, failed = 0, failed_admitted = 0, unfinished = 0;
  std::uint64_t ever_queued = 0, f5 = 0;
  LiveSummary live;
  Histogram journey;
  Histogram admitted_latency;
  std::vector<QueueWait> waits;
  std::vector<std::pair<std::string, TypeStats>> types;
  std::vector<SecondSummary> timeline;
};

struct Check {
  std::string name;
  bool pass = false;
  std::string value;
};

struct Verdict {
  std::vector<Check> checks;
  bool clean = false;  // no 5xx, no connection error, no failed admitted journey
};

Verdict judge(const RunSummary& summary);
void print_summary(const RunSummary& summary, const Verdict& verdict, std::FILE* out);
void write_json_report(const RentreeOptions& options, const RunSummary& summary,
                       const Verdict& verdict, const std::string& file);
void write_html_report(const RentreeOptions& options, const RunSummary& summary,
                       const Verdict& verdict, const std::string& file);

}  // namespace cartable::load
