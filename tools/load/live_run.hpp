// `cartable-load live`: live lessons at scale. N rooms of a teacher and their pupils, spread over
// one or several servers and over --procs load processes; the teacher draws in a share of the
// rooms, every pupil chats now and then. Measures connections held, server memory per idle
// connection, fan-out latency (teacher's send to a pupil's receive), frames/s and server CPU; with
// --join-storm, only the joins (success, connect time, time to the first message). See
// docs/load.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cartable::load {

struct LiveRunOptions {
  std::vector<std::string> urls;            // http://127.0.0.1:PORT, one per server
  std::vector<std::string> accounts_files;  // cartable demo --accounts, one per server
  std::vector<std::string> sessions_files;  // cartable demo --sessions, one per server
  std::vector<int> server_pids;             // sampled from /proc (CPU, RSS)
  std::size_t rooms = 10;
  int members_per_room = 31;  // the teacher and members-1 pupils of the class
  double drawing_share = 0.10;
  double strokes_per_second = 20;
  double chat_per_minute = 1;
  int rooms_per_teacher = 3;  // the server's limit: a teacher starts at most this many rooms
  double ramp_s = 10;         // members arrive evenly over it
  double idle_s = 10;         // after the ramp, nobody draws or chats: memory is measured here
  double duration_s = 30;     // then the lesson: drawing and chat
  int procs = 1;
  bool join_storm = false;  // only the joins: no drawing or chat
  std::uint64_t seed = 1;
  std::string json_file;
  std::string html_file;
  bool assert_clean = false;
};

// Runs it; the process exit code (0, or 1 with assert_clean and any connection error).
int run_live(const LiveRunOptions& options);

}  // namespace cartable::load
