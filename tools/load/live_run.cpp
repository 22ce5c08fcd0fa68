#include "live_run.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <new>
#include <stdexcept>

#include "live_plan.hpp"
#include "live_report.hpp"
#include "live_worker.hpp"
#include "proc_usage.hpp"
#include "user_agent.hpp"

namespace cartable::load {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

Clock::duration seconds(double value) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
}

// The workers' statistics, in memory the forked workers write and the parent reads.
class SharedStats {
 public:
  explicit SharedStats(std::size_t workers)
      : count_(workers), bytes_(workers * sizeof(LiveWorkerStats)) {
    void* memory = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) {
      throw std::runtime_error("cannot map the workers' statistics");
    }
    stats_ = static_cast<LiveWorkerStats*>(memory);
    for (std::size_t i = 0; i < count_; ++i) {
      new (&stats_[i]) LiveWorkerStats();
    }
  }
  ~SharedStats() { munmap(stats_, bytes_); }
  SharedStats(const SharedStats&) = delete;
  SharedStats& operator=(const SharedStats&) = delete;
  LiveWorkerStats& operator[](std::size_t i) { return stats_[i]; }
  std::size_t size() const { return count_; }

 private:
  std::size_t count_;
  std::size_t bytes_;
  LiveWorkerStats* stats_ = nullptr;
};

struct ServerProbe {
  std::unique_ptr<UserAgent> agent;  // for GET /metrics
  std::unique_ptr<ProcessSampler> sampler;
};

// cartable_live_connections from GET /metrics; -1 when it cannot be read.
asio::awaitable<std::int64_t> live_connections(UserAgent& agent) {
  Outgoing request;
  request.path = "/metrics";
  const Reply reply = co_await agent.send(request, std::chrono::milliseconds(900));
  constexpr std::string_view kName = "\ncartable_live_connections ";
  const auto at =
      reply.answered && reply.status == 200 ? reply.body.find(kName) : std::string::npos;
  co_return at == std::string::npos ? -1 : std::atoll(reply.body.c_str() + at + kName.size());
}

const char* phase_at(const LiveSchedule& schedule, Clock::time_point at) {
  if (at < schedule.ramp) {
    return "setup";
  }
  if (at < schedule.idle) {
    return "ramp";
  }
  if (at < schedule.active) {
    return "idle";
  }
  return at < schedule.end ? "lesson" : "closing";
}

double load_average() {
  double one_minute = 0;
  std::FILE* file = std::fopen("/proc/loadavg", "r");
  if (file != nullptr) {
    if (std::fscanf(file, "%lf", &one_minute) != 1) {
      one_minute = 0;
    }
    std::fclose(file);
  }
  return one_minute;
}

struct Monitor {
  const LiveRunOptions& options;
  const LiveSchedule& schedule;
  SharedStats& stats;
  std::vector<ServerProbe>& probes;
  std::vector<pid_t>& workers;
  std::vector<ProcessSampler>& worker_samplers;
  LiveSummary& summary;
};

// Each second: the workers' counters, the servers' CPU, RSS and connection count, a progress line;
// until every worker has exited.
asio::awaitable<void> monitor(Monitor& m) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::size_t running = m.workers.size();
  double lesson_cpu = 0, lesson_load_cpu = 0;
  std::size_t lesson_ticks = 0;
  for (std::size_t second = 0; running > 0; ++second) {
    const auto tick_at = m.schedule.start + std::chrono::seconds(second + 1);
    timer.expires_at(tick_at);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    LiveTick tick;
    for (ProcessSampler& sampler : m.worker_samplers) {
      tick.load_cpu += sampler.sample().cpu_percent;
    }
    for (pid_t& pid : m.workers) {
      int status = 0;
      if (pid > 0 && waitpid(pid, &status, WNOHANG) == pid) {
        pid = 0;
        --running;
      }
    }
    tick.at_s = static_cast<double>(second + 1);
    tick.phase = phase_at(m.schedule, tick_at - std::chrono::milliseconds(1));
    Histogram fanout;
    const std::size_t slot = std::min(second, kLiveMaxSeconds - 1);
    std::uint64_t failures = 0;
    for (std::size_t w = 0; w < m.stats.size(); ++w) {
      const LiveWorkerStats& worker = m.stats[w];
      const LiveSecond& s = worker.timeline[slot];
      tick.held += worker.connected;
      tick.welcomed += s.welcomed;
      tick.frames += s.frames;
      tick.strokes_sent += s.strokes_sent;
      tick.strokes_received += s.strokes_received;
      tick.chats_sent += s.chats_sent;
      tick.chats_received += s.chats_received;
      fanout.merge(s.fanout);
      failures += worker.join_failed + worker.connect_failed + worker.dropped;
    }
    tick.fanout_p50_ms = fanout.percentile_us(0.5) / 1000;
    tick.fanout_p99_ms = fanout.percentile_us(0.99) / 1000;
    double rss = 0;
    for (ServerProbe& probe : m.probes) {
      if (probe.sampler) {
        const ProcessUsage usage = probe.sampler->sample();
        tick.server_cpu += usage.cpu_percent;
        rss += usage.rss_bytes;
      }
      if (running > 0) {
        const std::int64_t count = co_await live_connections(*probe.agent);
        tick.server_connections = count < 0
                                      ? tick.server_connections
                                      : std::max<std::int64_t>(0, tick.server_connections) + count;
      }
    }
    tick.server_rss_mib = rss / (1024 * 1024);
    LiveSummary& summary = m.summary;
    summary.held_peak = std::max(summary.held_peak, tick.held);
    if (tick_at <= m.schedule.active + std::chrono::milliseconds(100)) {
      // The last sample at or before the lesson starts: the end of the idle phase.
      summary.rss_idle = rss;
      summary.held_idle = tick.held;
      summary.connections_idle = tick.server_connections;
    }
    if (tick.phase == std::string("lesson")) {
      lesson_cpu += tick.server_cpu;
      lesson_load_cpu += tick.load_cpu;
      ++lesson_ticks;
    }
    std::fprintf(stderr,
                 "\rt=%3zus %-7s held %6llu server %6lld welcomed/s %5llu failed %llu frames/s "
                 "%7llu fan-out p50 %6.1f p99 %6.1f ms cpu %4.0f%% rss %6.0f MiB load %4.0f%%  ",
                 second + 1, tick.phase.c_str(), static_cast<unsigned long long>(tick.held),
                 static_cast<long long>(tick.server_connections),
                 static_cast<unsigned long long>(tick.welcomed),
                 static_cast<unsigned long long>(failures),
                 static_cast<unsigned long long>(tick.frames), tick.fanout_p50_ms,
                 tick.fanout_p99_ms, tick.server_cpu, tick.server_rss_mib, tick.load_cpu);
    summary.timeline.push_back(std::move(tick));
  }
  std::fprintf(stderr, "\n");
  m.summary.active_cpu = lesson_ticks == 0 ? 0 : lesson_cpu / static_cast<double>(lesson_ticks);
  m.summary.active_load_cpu =
      lesson_ticks == 0 ? 0 : lesson_load_cpu / static_cast<double>(lesson_ticks);
}

void check(const LiveRunOptions& options) {
  if (options.urls.empty()) {
    throw std::invalid_argument("give at least one server URL");
  }
  if (options.accounts_files.size() != options.urls.size() ||
      options.sessions_files.size() != options.urls.size()) {
    throw std::invalid_argument(
        "give one --accounts and one --sessions file per server URL, in the same order");
  }
  if (options.members_per_room < 1 || options.rooms == 0 || options.procs < 1 ||
      options.procs > 200) {
    throw std::invalid_argument("--rooms, --members-per-room and --procs (1-200) must be positive");
  }
  const double total = 2 + options.ramp_s + options.idle_s + options.duration_s +
                       static_cast<double>(options.rooms) / 400;
  if (total > static_cast<double>(kLiveMaxSeconds) - 30) {
    throw std::invalid_argument("the run is too long: keep ramp + idle + duration under 800 s");
  }
}

}  // namespace

int run_live(const LiveRunOptions& options) {
  check(options);
  std::vector<Target> servers;
  std::vector<std::vector<Account>> people;
  for (std::size_t s = 0; s < options.urls.size(); ++s) {
    servers.push_back(parse_target(options.urls[s]));
    people.push_back(read_accounts(options.accounts_files[s], options.sessions_files[s]));
  }
  const std::vector<PlannedRoom> plan = plan_rooms(options, servers, people);
  const auto procs = static_cast<std::size_t>(options.procs);
  std::vector<std::vector<const PlannedRoom*>> slices(procs);
  LiveSummary summary;
  summary.rooms = plan.size();
  summary.servers = servers.size();
  for (std::size_t i = 0; i < plan.size(); ++i) {
    slices[i % procs].push_back(&plan[i]);
    summary.drawing_rooms += plan[i].drawing ? 1 : 0;
  }
  SharedStats stats(procs);
  std::vector<ServerProbe> probes(servers.size());
  for (std::size_t s = 0; s < servers.size(); ++s) {
    if (s < options.server_pids.size()) {
      probes[s].sampler = std::make_unique<ProcessSampler>(options.server_pids[s]);
      summary.rss_before += probes[s].sampler->sample().rss_bytes;
    }
  }
  // The same monotonic clock in every process: one schedule for all.
  LiveSchedule schedule;
  schedule.start = Clock::now() + std::chrono::milliseconds(500);
  schedule.ramp = schedule.start + seconds(std::max(2.0, static_cast<double>(plan.size()) / 400));
  schedule.idle = schedule.ramp + seconds(options.ramp_s);
  schedule.active = schedule.idle + seconds(options.idle_s);
  schedule.end = schedule.active + seconds(options.join_storm ? 0 : options.duration_s);
  summary.loadavg_before = load_average();
  std::fflush(stdout);
  std::fflush(stderr);
  std::vector<pid_t> workers;
  for (std::size_t w = 0; w < procs; ++w) {
    const pid_t pid = fork();
    if (pid < 0) {
      throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
      int code = 0;
      try {
        run_live_worker(options, servers, slices[w], schedule, static_cast<int>(w), stats[w]);
        stats[w].finished = 1;
      } catch (const std::exception& error) {
        std::fprintf(stderr, "cartable-load live (worker %zu): %s\n", w, error.what());
        code = 1;
      }
      std::fflush(stderr);
      _exit(code);
    }
    workers.push_back(pid);
  }
  std::vector<ProcessSampler> worker_samplers;
  for (const pid_t pid : workers) {
    worker_samplers.emplace_back(pid);
  }
  {
    asio::io_context context(1);
    for (std::size_t s = 0; s < servers.size(); ++s) {
      probes[s].agent = std::make_unique<UserAgent>(context.get_executor(),
                                                    servers[s].endpoint.address(), servers[s]);
    }
    Monitor m{options, schedule, stats, probes, workers, worker_samplers, summary};
    asio::co_spawn(context, monitor(m), asio::detached);
    context.run();
    for (ServerProbe& probe : probes) {
      probe.agent.reset();
    }
  }
  for (std::size_t w = 0; w < procs; ++w) {
    const LiveWorkerStats& worker = stats[w];
    summary.totals.add(worker);
    summary.fanout.merge(worker.fanout);
    summary.chat_fanout.merge(worker.chat_fanout);
    summary.join_answer.merge(worker.join_answer);
    summary.connect.merge(worker.connect);
    summary.first_message.merge(worker.first_message);
    summary.delay.merge(worker.delay);
    if (worker.finished == 0) {
      std::fprintf(stderr, "cartable-load live: worker %zu did not finish cleanly\n", w);
    }
  }
  summary.loadavg_after = load_average();
  // Joins: from the ramp's start to the last second with a welcome.
  for (const LiveTick& tick : summary.timeline) {
    if (tick.welcomed > 0) {
      summary.join_window_s =
          tick.at_s - std::chrono::duration<double>(schedule.ramp - schedule.start).count();
    }
  }
  const double lesson_s = std::chrono::duration<double>(schedule.end - schedule.active).count();
  std::uint64_t lesson_frames = 0;
  for (const LiveTick& tick : summary.timeline) {
    lesson_frames += tick.phase == "lesson" ? tick.frames : 0;
  }
  summary.active_frames_per_s = lesson_s > 0 ? static_cast<double>(lesson_frames) / lesson_s : 0;
  const LiveVerdict verdict = judge_live(options, summary);
  print_live_summary(options, summary, verdict, stdout);
  if (!options.json_file.empty()) {
    write_live_json(options, summary, verdict, options.json_file);
  }
  if (!options.html_file.empty()) {
    write_live_html(options, summary, verdict, options.html_file);
  }
  return options.assert_clean && !verdict.clean ? 1 : 0;
}

}  // namespace cartable::load
