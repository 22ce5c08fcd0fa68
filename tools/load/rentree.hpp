// `cartable-load rentree`: the 8 o'clock surge of ../shared/scenarios/rentree.md. Pupils, teachers
// and parents arrive as the scenario says, from their school's NAT addresses, follow the waiting
// room as a browser does, sign in or come back with yesterday's session, open the day and their
// homework, and press F5 when the server is slow. Reports what happened, second by second.
#pragma once

#include <chrono>
#include <string>

namespace cartable::load {

struct RentreeOptions {
  std::string url;  // http://127.0.0.1:PORT
  int schools = 4;
  int classes_per_school = 24;
  int pupils_per_class = 30;
  double scale = 1;
  std::chrono::milliseconds duration{60'000};
  double parents = 0.3;
  int ips_per_school = 8;
  double remembered = 0.6;
  double live = 0.3;
  std::chrono::milliseconds patience{5'000};
  int max_f5 = 5;
  std::chrono::milliseconds drain{30'000};  // time after the morning for journeys in flight
  std::string accounts_file;
  std::string sessions_file;
  std::uint64_t seed = 1;
  int server_pid = 0;
  std::string json_file;
  std::string html_file;
  bool assert_clean = false;
};

// Runs the scenario; the process exit code (0, or 1 with assert_clean and a dirty run).
int run_rentree(const RentreeOptions& options);

}  // namespace cartable::load
