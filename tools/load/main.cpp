// cartable-load: the load generator that proves the surge. See docs/load.md.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "http_run.hpp"
#include "live_run.hpp"
#include "rentree.hpp"

namespace {

using cartable::load::HttpRunOptions;
using cartable::load::HttpRunResult;

// Raises the open-files limit to its hard cap (20,000 on these machines): each connection is one.
void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void print(const HttpRunResult& result, std::FILE* out) {
  std::fprintf(out, "requests %llu in %.1f s: %.0f req/s\n",
               static_cast<unsigned long long>(result.requests), result.seconds,
               static_cast<double>(result.requests) / result.seconds);
  for (const auto& [status, count] : result.statuses) {
    std::fprintf(out, "  status %d: %llu\n", status, static_cast<unsigned long long>(count));
  }
  std::fprintf(out, "  connection errors: %llu, late (all connections busy): %llu\n",
               static_cast<unsigned long long>(result.connection_errors),
               static_cast<unsigned long long>(result.late));
  const auto& latency = result.latency;
  std::fprintf(out, "  latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f\n",
               latency.percentile_us(0.5) / 1000, latency.percentile_us(0.9) / 1000,
               latency.percentile_us(0.99) / 1000, latency.max_us() / 1000,
               latency.mean_us() / 1000);
}

void write_json(const HttpRunOptions& options, const HttpRunResult& result,
                const std::string& file) {
  std::FILE* out = std::fopen(file.c_str(), "w");
  if (out == nullptr) {
    throw std::runtime_error("cannot write " + file);
  }
  std::fprintf(out,
               "{\"url\":\"%s\",\"concurrency\":%zu,\"rate\":%g,\"seconds\":%.3f,"
               "\"requests\":%llu,\"requests_per_second\":%.1f,\"connection_errors\":%llu,"
               "\"late\":%llu,\"statuses\":{",
               options.url.c_str(), options.concurrency, options.rate, result.seconds,
               static_cast<unsigned long long>(result.requests),
               static_cast<double>(result.requests) / result.seconds,
               static_cast<unsigned long long>(result.connection_errors),
               static_cast<unsigned long long>(result.late));
  const char* separator = "";
  for (const auto& [status, count] : result.statuses) {
    std::fprintf(out, "%s\"%d\":%llu", separator, status, static_cast<unsigned long long>(count));
    separator = ",";
  }
  const auto& latency = result.latency;
  std::fprintf(out,
               "},\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f,"
               "\"mean\":%.3f}}\n",
               latency.percentile_us(0.5) / 1000, latency.percentile_us(0.9) / 1000,
               latency.percentile_us(0.99) / 1000, latency.max_us() / 1000,
               latency.mean_us() / 1000);
  std::fclose(out);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli("cartable-load: load generator for Cartable (loopback targets only)");
  cli.require_subcommand(1);
  HttpRunOptions http;
  std::string json_file;
  std::int64_t seconds = 10;
  CLI::App* http_command = cli.add_subcommand("http", "Load one URL (closed or open loop)");
  http_command->add_option("url", http.url, "http://127.0.0.1:PORT/path")->required();
  http_command->add_option("--concurrency,-c", http.concurrency, "Connections")
      ->capture_default_str();
  http_command->add_option("--rate,-r", http.rate, "Requests per second (open loop); 0: closed")
      ->capture_default_str();
  http_command->add_option("--duration,-d", seconds, "Seconds")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  http_command->add_option("--header,-H", http.headers, "Header 'Name: value' (repeatable)");
  http_command->add_option("--json", json_file, "Write the result as JSON to this file");
  cartable::load::RentreeOptions rentree;
  double duration_s = 60, patience_s = 5, drain_s = 30;
  CLI::App* rentree_command =
      cli.add_subcommand("rentree", "The 8 o'clock surge (../shared/scenarios/rentree.md)");
  rentree_command->add_option("url", rentree.url, "http://127.0.0.1:PORT")->required();
  rentree_command->add_option("--schools", rentree.schools)->capture_default_str();
  rentree_command->add_option("--classes-per-school", rentree.classes_per_school)
      ->capture_default_str();
  rentree_command->add_option("--pupils-per-class", rentree.pupils_per_class)
      ->capture_default_str();
  rentree_command->add_option("--scale", rentree.scale, "Population multiplier")
      ->check(CLI::Range(0.01, 1000.0))
      ->capture_default_str();
  rentree_command->add_option("--duration", duration_s, "The morning, in seconds")
      ->check(CLI::Range(1.0, 3600.0))
      ->capture_default_str();
  rentree_command->add_option("--parents", rentree.parents, "Share of pupils whose parent comes")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  rentree_command->add_option("--ips-per-school", rentree.ips_per_school, "NAT addresses")
      ->check(CLI::Range(1, 250))
      ->capture_default_str();
  rentree_command
      ->add_option("--remembered", rentree.remembered, "Share of pupils with yesterday's session")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  rentree_command->add_option("--live", rentree.live, "Share of pupils joining the live lesson")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  rentree_command->add_option("--patience", patience_s, "Seconds before F5")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  rentree_command->add_option("--max-f5", rentree.max_f5, "F5 presses before giving up")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  rentree_command->add_option("--drain", drain_s, "Seconds allowed after the morning")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  rentree_command->add_option("--accounts", rentree.accounts_file, "From cartable demo --accounts")
      ->required();
  rentree_command->add_option("--sessions", rentree.sessions_file, "From cartable demo --sessions");
  rentree_command->add_option("--seed", rentree.seed)->capture_default_str();
  rentree_command->add_option("--server-pid", rentree.server_pid, "Sample its CPU and RSS");
  rentree_command->add_option("--json", rentree.json_file, "Write the result as JSON");
  rentree_command->add_option("--html", rentree.html_file, "Write the HTML report");
  rentree_command->add_flag("--assert-clean", rentree.assert_clean,
                            "Exit 1 on any 5xx, connection error or failed admitted journey");
  cartable::load::LiveRunOptions live;
  CLI::App* live_command = cli.add_subcommand(
      "live", "Live lessons: rooms of 31, drawing and chat, fan-out and memory (or a join storm)");
  live_command->add_option("urls", live.urls, "http://127.0.0.1:PORT of each server")->required();
  live_command
      ->add_option("--accounts", live.accounts_files, "cartable demo --accounts, one per server")
      ->required();
  live_command
      ->add_option("--sessions", live.sessions_files, "cartable demo --sessions, one per server")
      ->required();
  live_command->add_option("--server-pid", live.server_pids, "Sample their CPU and RSS");
  live_command->add_option("--rooms", live.rooms)->capture_default_str();
  live_command->add_option("--members-per-room", live.members_per_room, "The teacher and pupils")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  live_command->add_option("--drawing-share", live.drawing_share, "Rooms where the teacher draws")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  live_command->add_option("--strokes-per-second", live.strokes_per_second)
      ->check(CLI::Range(0.1, 1000.0))
      ->capture_default_str();
  live_command->add_option("--chat-per-minute", live.chat_per_minute, "Per pupil")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  live_command
      ->add_option("--rooms-per-teacher", live.rooms_per_teacher,
                   "The server's limit: rooms one teacher may start")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  live_command->add_option("--ramp", live.ramp_s, "Seconds over which members join")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  live_command
      ->add_option("--idle", live.idle_s, "Seconds held idle (memory is measured at its end)")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  live_command->add_option("--duration", live.duration_s, "Seconds of lesson (drawing and chat)")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  live_command->add_option("--procs", live.procs, "Load processes (each takes whole rooms)")
      ->check(CLI::Range(1, 200))
      ->capture_default_str();
  live_command->add_flag("--join-storm", live.join_storm,
                         "Only the joins: every member within --ramp, then --idle to settle");
  live_command->add_option("--seed", live.seed)->capture_default_str();
  live_command->add_option("--json", live.json_file, "Write the result as JSON");
  live_command->add_option("--html", live.html_file, "Write the HTML report");
  live_command->add_flag("--assert-clean", live.assert_clean,
                         "Exit 1 on any failed join or connection, or a dropped one");
  CLI11_PARSE(cli, argc, argv);
  raise_file_limit();
  try {
    if (*live_command) {
      return cartable::load::run_live(live);
    }
    if (*rentree_command) {
      const auto to_ms = [](double s) {
        return std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000));
      };
      rentree.duration = to_ms(duration_s);
      rentree.patience = to_ms(patience_s);
      rentree.drain = to_ms(drain_s);
      return cartable::load::run_rentree(rentree);
    }
    http.duration = std::chrono::seconds(seconds);
    const HttpRunResult result = cartable::load::run_http(http);
    print(result, stdout);
    if (!json_file.empty()) {
      write_json(http, result, json_file);
    }
  } catch (const std::invalid_argument& error) {
    std::fprintf(stderr, "cartable-load: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "cartable-load: %s\n", error.what());
    return 1;
  }
  return 0;
}
