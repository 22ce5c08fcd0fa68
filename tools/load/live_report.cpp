#include "live_report.hpp"

#include <boost/json.hpp>
#include <sstream>

#include "report_parts.hpp"

namespace cartable::load {

namespace {

std::string ms(const Histogram& histogram, double quantile) {
  return fixed(histogram.percentile_us(quantile) / 1000, 1) + " ms";
}

std::string share(std::uint64_t part, std::uint64_t whole) {
  return whole == 0
             ? "-"
             : fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 2) + " %";
}

// Latency rows shown in every report: name, histogram.
std::vector<std::pair<std::string, const Histogram*>> latencies(const LiveSummary& summary) {
  return {{"stroke fan-out (teacher send to pupil receive)", &summary.fanout},
          {"chat fan-out (pupil send to every member)", &summary.chat_fanout},
          {"join answer (POST /api/live/join)", &summary.join_answer},
          {"connect (TCP + WebSocket upgrade)", &summary.connect},
          {"time to first message (join request to welcome)", &summary.first_message},
          {"delay_ms asked by the server (paced joins)", &summary.delay}};
}

}  // namespace

double LiveSummary::bytes_per_idle_connection() const {
  const double connections = connections_idle >= 0 ? static_cast<double>(connections_idle)
                                                   : static_cast<double>(held_idle);
  return connections > 0 && rss_before > 0 ? (rss_idle - rss_before) / connections : 0;
}

LiveVerdict judge_live(const LiveRunOptions& options, const LiveSummary& summary) {
  const LiveTotals& t = summary.totals;
  LiveVerdict verdict;
  const std::uint64_t failures = t.join_failed + t.connect_failed + t.dropped + t.rooms_failed;
  verdict.checks.push_back(
      {"every room started", t.rooms_failed == 0,
       std::to_string(t.rooms_started) + " of " + std::to_string(summary.rooms)});
  verdict.checks.push_back({"every member joined (success rate)", t.welcomed == t.members,
                            std::to_string(t.welcomed) + " of " + std::to_string(t.members) + " (" +
                                share(t.welcomed, t.members) + ")"});
  verdict.checks.push_back({"zero join/connection failures, nothing dropped", failures == 0,
                            std::to_string(t.join_failed) + " join, " +
                                std::to_string(t.connect_failed) + " connect, " +
                                std::to_string(t.dropped) + " dropped"});
  if (!options.join_storm) {
    verdict.checks.push_back({"all connections held through the idle phase",
                              summary.held_idle == t.members,
                              std::to_string(summary.held_idle) + " held"});
    const double per_connection = summary.bytes_per_idle_connection();
    verdict.checks.push_back({"user-space memory per idle connection < 10 KB",
                              per_connection > 0 && per_connection < 10'000,
                              fixed(per_connection / 1000, 2) + " KB"});
    if (summary.drawing_rooms > 0) {
      const double p99 = summary.fanout.percentile_us(0.99) / 1000;
      verdict.checks.push_back({"p99 stroke fan-out < 100 ms",
                                summary.fanout.count() > 0 && p99 < 100, fixed(p99) + " ms"});
      verdict.checks.push_back({"every stroke accepted at the asked rate", t.strokes_refused == 0,
                                std::to_string(t.strokes_refused) + " of " +
                                    std::to_string(t.strokes_sent) + " refused (rate_limited)"});
    }
  }
  verdict.clean = failures == 0;
  return verdict;
}

void print_live_summary(const LiveRunOptions& options, const LiveSummary& summary,
                        const LiveVerdict& verdict, std::FILE* out) {
  const LiveTotals& t = summary.totals;
  std::fprintf(out,
               "%s: %zu rooms x %d members = %llu members on %zu server(s), %d load process(es)\n",
               options.join_storm ? "join storm" : "live", summary.rooms, options.members_per_room,
               static_cast<unsigned long long>(t.members), summary.servers, options.procs);
  std::fprintf(out,
               "joins: %llu welcomed, %llu join failures, %llu connect failures, %llu dropped; "
               "%llu paced (delay_ms > 0), %llu via a lobby; all in %.1f s\n",
               static_cast<unsigned long long>(t.welcomed),
               static_cast<unsigned long long>(t.join_failed),
               static_cast<unsigned long long>(t.connect_failed),
               static_cast<unsigned long long>(t.dropped), static_cast<unsigned long long>(t.paced),
               static_cast<unsigned long long>(t.lobby), summary.join_window_s);
  if (!options.join_storm) {
    std::fprintf(out,
                 "held: %llu at the end of the idle phase (server: %lld), peak %llu\n"
                 "memory: server RSS %.1f MiB before, %.1f MiB idle: %.0f bytes per idle "
                 "connection\n",
                 static_cast<unsigned long long>(summary.held_idle),
                 static_cast<long long>(summary.connections_idle),
                 static_cast<unsigned long long>(summary.held_peak),
                 summary.rss_before / (1024 * 1024), summary.rss_idle / (1024 * 1024),
                 summary.bytes_per_idle_connection());
    std::fprintf(out,
                 "lesson: %zu drawing rooms; strokes %llu sent, %llu refused, %llu received; "
                 "chat %llu sent, %llu refused, %llu received; %.0f frames/s; server CPU %.0f %%, "
                 "load generator CPU %.0f %%\n",
                 summary.drawing_rooms, static_cast<unsigned long long>(t.strokes_sent),
                 static_cast<unsigned long long>(t.strokes_refused),
                 static_cast<unsigned long long>(t.strokes_received),
                 static_cast<unsigned long long>(t.chats_sent),
                 static_cast<unsigned long long>(t.chats_refused),
                 static_cast<unsigned long long>(t.chats_received), summary.active_frames_per_s,
                 summary.active_cpu, summary.active_load_cpu);
  }
  std::fprintf(out, "machine load average (1 min): %.2f before, %.2f after\n",
               summary.loadavg_before, summary.loadavg_after);
  std::fprintf(out, "%-50s %9s %9s %9s %9s %9s\n", "latency", "count", "p50", "p95", "p99", "max");
  for (const auto& [name, histogram] : latencies(summary)) {
    std::fprintf(out, "%-50s %9llu %9.1f %9.1f %9.1f %9.1f\n", name.c_str(),
                 static_cast<unsigned long long>(histogram->count()),
                 histogram->percentile_us(0.5) / 1000, histogram->percentile_us(0.95) / 1000,
                 histogram->percentile_us(0.99) / 1000, histogram->max_us() / 1000);
  }
  for (const auto& check : verdict.checks) {
    std::fprintf(out, "%s  %s: %s\n", check.pass ? "PASS" : "FAIL", check.name.c_str(),
                 check.value.c_str());
  }
}

void write_live_json(const LiveRunOptions& options, const LiveSummary& summary,
                     const LiveVerdict& verdict, const std::string& file) {
  const LiveTotals& t = summary.totals;
  boost::json::object latency;
  const char* keys[] = {"stroke_fanout", "chat_fanout",   "join_answer",
                        "connect",       "first_message", "delay"};
  std::size_t key = 0;
  for (const auto& entry : latencies(summary)) {
    latency[keys[key++]] = histogram_json(*entry.second);
  }
  boost::json::array timeline;
  for (const LiveTick& tick : summary.timeline) {
    timeline.push_back({{"t", tick.at_s},
                        {"phase", tick.phase},
                        {"held", tick.held},
                        {"server_connections", tick.server_connections},
                        {"welcomed", tick.welcomed},
                        {"frames", tick.frames},
                        {"strokes_sent", tick.strokes_sent},
                        {"strokes_received", tick.strokes_received},
                        {"chats_sent", tick.chats_sent},
                        {"chats_received", tick.chats_received},
                        {"fanout_p50_ms", tick.fanout_p50_ms},
                        {"fanout_p99_ms", tick.fanout_p99_ms},
                        {"server_cpu_percent", tick.server_cpu},
                        {"server_rss_mib", tick.server_rss_mib},
                        {"load_cpu_percent", tick.load_cpu}});
  }
  boost::json::array checks;
  for (const auto& check : verdict.checks) {
    checks.push_back({{"check", check.name}, {"pass", check.pass}, {"value", check.value}});
  }
  boost::json::array urls;
  for (const auto& url : options.urls) {
    urls.push_back(boost::json::string(url));
  }
  const boost::json::object report{
      {"parameters",
       {{"urls", std::move(urls)},
        {"rooms", options.rooms},
        {"members_per_room", options.members_per_room},
        {"drawing_share", options.drawing_share},
        {"strokes_per_second", options.strokes_per_second},
        {"chat_per_minute", options.chat_per_minute},
        {"ramp_s", options.ramp_s},
        {"idle_s", options.idle_s},
        {"duration_s", options.duration_s},
        {"procs", options.procs},
        {"join_storm", options.join_storm},
        {"seed", options.seed}}},
      {"members",
       {{"planned", t.members},
        {"welcomed", t.welcomed},
        {"join_failed", t.join_failed},
        {"connect_failed", t.connect_failed},
        {"dropped", t.dropped},
        {"paced", t.paced},
        {"lobby", t.lobby},
        {"success_rate",
         t.members == 0 ? 0.0 : static_cast<double>(t.welcomed) / static_cast<double>(t.members)},
        {"join_window_s", summary.join_window_s}}},
      {"rooms",
       {{"planned", summary.rooms},
        {"started", t.rooms_started},
        {"failed", t.rooms_failed},
        {"drawing", summary.drawing_rooms}}},
      {"connections",
       {{"held_idle", summary.held_idle},
        {"server_idle", summary.connections_idle},
        {"held_peak", summary.held_peak}}},
      {"memory",
       {{"rss_before_bytes", summary.rss_before},
        {"rss_idle_bytes", summary.rss_idle},
        {"bytes_per_idle_connection", summary.bytes_per_idle_connection()}}},
      {"lesson",
       {{"strokes_sent", t.strokes_sent},
        {"strokes_refused", t.strokes_refused},
        {"strokes_received", t.strokes_received},
        {"chats_sent", t.chats_sent},
        {"chats_refused", t.chats_refused},
        {"chats_received", t.chats_received},
        {"frames", t.frames},
        {"error_frames", t.error_frames},
        {"frames_per_second", summary.active_frames_per_s},
        {"server_cpu_percent", summary.active_cpu},
        {"load_cpu_percent", summary.active_load_cpu}}},
      {"machine",
       {{"loadavg_before", summary.loadavg_before}, {"loadavg_after", summary.loadavg_after}}},
      {"latency", std::move(latency)},
      {"timeline", std::move(timeline)},
      {"verdict", {{"clean", verdict.clean}, {"checks", std::move(checks)}}}};
  write_file(file, boost::json::serialize(report) + "\n");
}

void write_live_html(const LiveRunOptions& options, const LiveSummary& summary,
                     const LiveVerdict& verdict, const std::string& file) {
  std::vector<double> held, server, frames, p50, p99, cpu, rss, welcomed, load_cpu;
  for (const LiveTick& tick : summary.timeline) {
    held.push_back(static_cast<double>(tick.held));
    server.push_back(static_cast<double>(std::max<std::int64_t>(0, tick.server_connections)));
    welcomed.push_back(static_cast<double>(tick.welcomed));
    frames.push_back(static_cast<double>(tick.frames));
    p50.push_back(tick.fanout_p50_ms);
    p99.push_back(tick.fanout_p99_ms);
    cpu.push_back(tick.server_cpu);
    rss.push_back(tick.server_rss_mib);
    load_cpu.push_back(tick.load_cpu);
  }
  const LiveTotals& t = summary.totals;
  std::ostringstream html;
  html << html_head("Live lessons run") << "<h1>"
       << (options.join_storm ? "Join storm: " : "Live lessons: ") << summary.rooms << " rooms, "
       << t.members << " members</h1><p>" << summary.servers << " server(s), " << options.procs
       << " load process(es); ramp " << options.ramp_s << " s, idle " << options.idle_s
       << " s, lesson " << options.duration_s << " s; " << summary.drawing_rooms
       << " drawing rooms at " << options.strokes_per_second << " strokes/s, "
       << options.chat_per_minute << " chat line(s) per pupil per minute.</p><h2>Verdict</h2><ul>";
  for (const auto& check : verdict.checks) {
    html << "<li class=\"" << (check.pass ? "pass" : "fail") << "\">"
         << (check.pass ? "PASS" : "FAIL") << " " << check.name << ": " << check.value << "</li>";
  }
  html << "</ul><h2>Figures</h2><table>"
       << "<tr><td>members welcomed</td><td>" << t.welcomed << " of " << t.members << " ("
       << share(t.welcomed, t.members) << ")</td></tr>"
       << "<tr><td>join / connect failures, dropped</td><td>" << t.join_failed << " / "
       << t.connect_failed << " / " << t.dropped << "</td></tr>"
       << "<tr><td>paced (delay_ms &gt; 0) / via a lobby</td><td>" << t.paced << " / " << t.lobby
       << "</td></tr>"
       << "<tr><td>connections held at the end of the idle phase (server)</td><td>"
       << summary.held_idle << " (" << summary.connections_idle << ")</td></tr>"
       << "<tr><td>server RSS before / idle</td><td>" << fixed(summary.rss_before / 1048576)
       << " / " << fixed(summary.rss_idle / 1048576) << " MiB</td></tr>"
       << "<tr><td>bytes per idle connection</td><td>"
       << fixed(summary.bytes_per_idle_connection(), 0) << "</td></tr>"
       << "<tr><td>strokes sent / refused / received</td><td>" << t.strokes_sent << " / "
       << t.strokes_refused << " / " << t.strokes_received << "</td></tr>"
       << "<tr><td>chat lines sent / refused / received</td><td>" << t.chats_sent << " / "
       << t.chats_refused << " / " << t.chats_received << "</td></tr>"
       << "<tr><td>frames/s, server CPU and load generator CPU during the lesson</td><td>"
       << fixed(summary.active_frames_per_s, 0) << " / " << fixed(summary.active_cpu, 0) << " % / "
       << fixed(summary.active_load_cpu, 0) << " %</td></tr>"
       << "<tr><td>machine load average before / after (other work on the machine)</td><td>"
       << fixed(summary.loadavg_before, 2) << " / " << fixed(summary.loadavg_after, 2)
       << "</td></tr></table><h2>Latency</h2><table><tr><th>what</th><th>count</th>"
       << "<th>p50</th><th>p95</th><th>p99</th><th>max</th></tr>";
  for (const auto& [name, histogram] : latencies(summary)) {
    html << "<tr><td>" << name << "</td><td>" << histogram->count() << "</td><td>"
         << ms(*histogram, 0.5) << "</td><td>" << ms(*histogram, 0.95) << "</td><td>"
         << ms(*histogram, 0.99) << "</td><td>" << fixed(histogram->max_us() / 1000)
         << " ms</td></tr>";
  }
  html << "</table><h2>Over time</h2>"
       << chart("Connections held (ours, the servers') and welcomes per second",
                {"held", "server", "welcomed/s"}, {held, server, welcomed})
       << chart("Frames received per second", {"frames/s"}, {frames})
       << chart("Stroke fan-out per second (ms)", {"p50", "p99"}, {p50, p99})
       << chart("Servers: CPU (%) and RSS (MiB); load generator CPU (%)",
                {"server CPU %", "server RSS MiB", "load CPU %"}, {cpu, rss, load_cpu})
       << "</body></html>\n";
  write_file(file, html.str());
}

}  // namespace cartable::load
