#include "report.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <sstream>

#include "rentree.hpp"
#include "report_parts.hpp"

namespace cartable::load {

namespace {

std::uint64_t sum(const std::array<std::uint64_t, 5>& values) {
  std::uint64_t total = 0;
  for (const auto value : values) {
    total += value;
  }
  return total;
}

// Share of waits whose announced estimate was within 25 % of the real wait (estimates of a second
// or less are judged against one second).
double estimates_within_25(const std::vector<QueueWait>& waits) {
  if (waits.empty()) {
    return 1;
  }
  std::size_t good = 0;
  for (const QueueWait& wait : waits) {
    const double announced = std::max(1.0, wait.announced_s);
    good += std::abs(std::max(1.0, wait.waited_s) - announced) / announced <= 0.25 ? 1 : 0;
  }
  return static_cast<double>(good) / static_cast<double>(waits.size());
}

// Goodput: new visitors admitted per second over the run's busiest 30 seconds (what the server
// turned into service while the crowd was largest), comparable between runs at any scale.
constexpr std::size_t kGoodputWindow = 30;

double goodput(const std::vector<SecondSummary>& timeline) {
  double best = 0;
  double window = 0;
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    window += static_cast<double>(timeline[i].admitted);
    if (i >= kGoodputWindow) {
      window -= static_cast<double>(timeline[i - kGoodputWindow].admitted);
    }
    best = std::max(best, window / static_cast<double>(std::min(i + 1, kGoodputWindow)));
  }
  return best;
}

std::string live_paragraph(const LiveSummary& live) {
  std::ostringstream html;
  html << "<h2>Live lessons</h2><p>" << live.rooms_started << " lessons started; " << live.joined
       << " members welcomed (" << live.lobby_waits << " waited in a lobby); " << live.not_offered
       << " pupils found no lesson running (not failures); " << live.dropped
       << " sockets closed by the server before the end of the morning; " << live.messages_sent
       << " chat lines and hands sent, " << live.frames_received
       << " frames received. A pupil's join, from asking to the welcome: p50 "
       << fixed(live.join_time.percentile_us(0.5) / 1000) << " ms, p99 "
       << fixed(live.join_time.percentile_us(0.99) / 1000)
       << " ms. A chat line to each classmate: p99 "
       << fixed(live.chat_latency.percentile_us(0.99) / 1000) << " ms.</p>";
  return html.str();
}

}  // namespace

Verdict judge(const RunSummary& summary) {
  std::uint64_t server_errors = 0, connection_errors = 0;
  for (const auto& [name, stats] : summary.types) {
    server_errors += stats.by_class[4];
    connection_errors += stats.errors;
  }
  Verdict verdict;
  const double p99 = summary.admitted_latency.percentile_us(0.99) / 1000;
  const double within = estimates_within_25(summary.waits);
  verdict.checks = {
      {"zero 5xx", server_errors == 0, std::to_string(server_errors)},
      {"zero connection errors (incl. timeouts)", connection_errors == 0,
       std::to_string(connection_errors)},
      {"zero failed journeys among admitted users", summary.failed_admitted == 0,
       std::to_string(summary.failed_admitted)},
      {"p99 of admitted requests < 300 ms", p99 < 300, fixed(p99) + " ms"},
      {"queue estimates within 25 %", within >= 0.9,
       fixed(100 * within) + " % of " + std::to_string(summary.waits.size()) + " waits"},
      {"every journey finished in time", summary.unfinished == 0,
       std::to_string(summary.unfinished) + " unfinished"}};
  verdict.clean = server_errors == 0 && connection_errors == 0 && summary.failed_admitted == 0;
  return verdict;
}

void print_summary(const RunSummary& summary, const Verdict& verdict, std::FILE* out) {
  std::fprintf(out, "population: %zu pupils, %zu teachers, %zu parents%s\n", summary.pupils,
               summary.teachers, summary.parents,
               summary.sessions_file_given ? "" : " (no --sessions: everyone signs in)");
  std::fprintf(out,
               "journeys: %llu started, %llu completed, %llu failed (%llu after admission), "
               "%llu unfinished; %llu queued; %llu F5\n",
               static_cast<unsigned long long>(summary.started),
               static_cast<unsigned long long>(summary.completed),
               static_cast<unsigned long long>(summary.failed),
               static_cast<unsigned long long>(summary.failed_admitted),
               static_cast<unsigned long long>(summary.unfinished),
               static_cast<unsigned long long>(summary.ever_queued),
               static_cast<unsigned long long>(summary.f5));
  std::fprintf(out, "goodput: %.1f new visitors admitted/s over the busiest %zu s\n",
               goodput(summary.timeline), kGoodputWindow);
  std::fprintf(out, "journey time: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms\n",
               summary.journey.percentile_us(0.5) / 1000,
               summary.journey.percentile_us(0.95) / 1000,
               summary.journey.percentile_us(0.99) / 1000);
  std::fprintf(out, "%-13s %8s %7s %7s %7s %7s %7s %7s %9s %9s %9s\n", "request", "count", "1xx",
               "2xx", "3xx", "4xx", "5xx", "errors", "p50 ms", "p99 ms", "max ms");
  for (const auto& [name, stats] : summary.types) {
    std::fprintf(out, "%-13s %8llu %7llu %7llu %7llu %7llu %7llu %7llu %9.1f %9.1f %9.1f\n",
                 name.c_str(), static_cast<unsigned long long>(sum(stats.by_class) + stats.errors),
                 static_cast<unsigned long long>(stats.by_class[0]),
                 static_cast<unsigned long long>(stats.by_class[1]),
                 static_cast<unsigned long long>(stats.by_class[2]),
                 static_cast<unsigned long long>(stats.by_class[3]),
                 static_cast<unsigned long long>(stats.by_class[4]),
                 static_cast<unsigned long long>(stats.errors),
                 stats.latency.percentile_us(0.5) / 1000, stats.latency.percentile_us(0.99) / 1000,
                 stats.latency.max_us() / 1000);
  }
  const LiveSummary& live = summary.live;
  if (live.rooms_started > 0 || live.not_offered > 0) {
    std::fprintf(
        out,
        "live: %llu lessons started, %llu joined (%llu through a lobby), %llu pupils found "
        "no lesson running (not failures), %llu sockets dropped; %llu messages sent, "
        "%llu frames received; pupil join p99 %.0f ms, chat fan-out p99 %.0f ms\n",
        static_cast<unsigned long long>(live.rooms_started),
        static_cast<unsigned long long>(live.joined),
        static_cast<unsigned long long>(live.lobby_waits),
        static_cast<unsigned long long>(live.not_offered),
        static_cast<unsigned long long>(live.dropped),
        static_cast<unsigned long long>(live.messages_sent),
        static_cast<unsigned long long>(live.frames_received),
        live.join_time.percentile_us(0.99) / 1000, live.chat_latency.percentile_us(0.99) / 1000);
  }
  for (const Check& check : verdict.checks) {
    std::fprintf(out, "%s  %s: %s\n", check.pass ? "PASS" : "FAIL", check.name.c_str(),
                 check.value.c_str());
  }
}

void write_json_report(const RentreeOptions& options, const RunSummary& summary,
                       const Verdict& verdict, const std::string& file) {
  boost::json::object types;
  for (const auto& [name, stats] : summary.types) {
    types[name] = {{"1xx", stats.by_class[0]},
                   {"2xx", stats.by_class[1]},
                   {"3xx", stats.by_class[2]},
                   {"4xx", stats.by_class[3]},
                   {"5xx", stats.by_class[4]},
                   {"errors", stats.errors},
                   {"latency", histogram_json(stats.latency)}};
  }
  boost::json::array timeline;
  for (const SecondSummary& second : summary.timeline) {
    timeline.push_back({{"arrivals", second.arrivals},
                        {"admitted", second.admitted},
                        {"in_queue", second.in_queue},
                        {"2xx", second.by_class[1]},
                        {"3xx", second.by_class[2]},
                        {"4xx", second.by_class[3]},
                        {"5xx", second.by_class[4]},
                        {"errors", second.errors},
                        {"p50_ms", second.p50_ms},
                        {"p99_ms", second.p99_ms},
                        {"server_cpu_percent", second.server_cpu},
                        {"server_rss_mib", second.server_rss_mib}});
  }
  boost::json::array waits;
  for (const QueueWait& wait : summary.waits) {
    waits.push_back({{"announced_s", wait.announced_s}, {"waited_s", wait.waited_s}});
  }
  boost::json::array checks;
  for (const Check& check : verdict.checks) {
    checks.push_back({{"check", check.name}, {"pass", check.pass}, {"value", check.value}});
  }
  const boost::json::object report{
      {"parameters",
       {{"url", options.url},
        {"schools", options.schools},
        {"classes_per_school", options.classes_per_school},
        {"pupils_per_class", options.pupils_per_class},
        {"scale", options.scale},
        {"duration_s", static_cast<double>(options.duration.count()) / 1000},
        {"parents", options.parents},
        {"ips_per_school", options.ips_per_school},
        {"remembered", options.remembered},
        {"live", options.live},
        {"patience_s", static_cast<double>(options.patience.count()) / 1000},
        {"max_f5", options.max_f5},
        {"seed", options.seed}}},
      {"population",
       {{"pupils", summary.pupils}, {"teachers", summary.teachers}, {"parents", summary.parents}}},
      {"journeys",
       {{"started", summary.started},
        {"completed", summary.completed},
        {"failed", summary.failed},
        {"failed_after_admission", summary.failed_admitted},
        {"unfinished", summary.unfinished},
        {"queued", summary.ever_queued},
        {"f5", summary.f5},
        {"goodput_admitted_per_s", goodput(summary.timeline)},
        {"time", histogram_json(summary.journey)}}},
      {"admitted_requests", histogram_json(summary.admitted_latency)},
      {"live",
       {{"lessons_started", summary.live.rooms_started},
        {"joined", summary.live.joined},
        {"through_lobby", summary.live.lobby_waits},
        {"no_lesson", summary.live.not_offered},
        {"dropped", summary.live.dropped},
        {"messages_sent", summary.live.messages_sent},
        {"frames_received", summary.live.frames_received},
        {"join_time", histogram_json(summary.live.join_time)},
        {"chat_latency", histogram_json(summary.live.chat_latency)}}},
      {"requests", std::move(types)},
      {"queue_waits", std::move(waits)},
      {"timeline", std::move(timeline)},
      {"verdict", {{"clean", verdict.clean}, {"checks", std::move(checks)}}}};
  write_file(file, boost::json::serialize(report) + "\n");
}

void write_html_report(const RentreeOptions& options, const RunSummary& summary,
                       const Verdict& verdict, const std::string& file) {
  std::vector<double> arrivals, admitted, queued, ok, redirects, client, server, errors, p50, p99,
      cpu, rss;
  for (const SecondSummary& second : summary.timeline) {
    arrivals.push_back(static_cast<double>(second.arrivals));
    admitted.push_back(static_cast<double>(second.admitted));
    queued.push_back(static_cast<double>(second.in_queue));
    ok.push_back(static_cast<double>(second.by_class[1]));
    redirects.push_back(static_cast<double>(second.by_class[2]));
    client.push_back(static_cast<double>(second.by_class[3]));
    server.push_back(static_cast<double>(second.by_class[4]));
    errors.push_back(static_cast<double>(second.errors));
    p50.push_back(second.p50_ms);
    p99.push_back(second.p99_ms);
    cpu.push_back(second.server_cpu);
    rss.push_back(second.server_rss_mib);
  }
  std::ostringstream html;
  html << html_head("Rentrée run") << "<h1>Rentrée: " << summary.pupils << " pupils, "
       << summary.teachers << " teachers, " << summary.parents << " parents in "
       << options.duration.count() / 1000 << " s</h1><p>Target " << options.url << ", scale "
       << options.scale << ", patience " << options.patience.count() << " ms, up to "
       << options.max_f5 << " F5, remembered " << options.remembered << ", seed " << options.seed
       << ".</p><h2>Verdict</h2><ul>";
  for (const Check& check : verdict.checks) {
    html << "<li class=\"" << (check.pass ? "pass" : "fail") << "\">"
         << (check.pass ? "PASS" : "FAIL") << " " << check.name << ": " << check.value << "</li>";
  }
  html
      << "</ul><h2>Journeys</h2><p>" << summary.started << " started, " << summary.completed
      << " completed, " << summary.failed << " failed (" << summary.failed_admitted
      << " after admission), " << summary.unfinished << " unfinished; " << summary.ever_queued
      << " went through the waiting room; " << summary.f5 << " F5. Time to complete: p50 "
      << fixed(summary.journey.percentile_us(0.5) / 1000, 0) << " ms, p95 "
      << fixed(summary.journey.percentile_us(0.95) / 1000, 0) << " ms, p99 "
      << fixed(summary.journey.percentile_us(0.99) / 1000, 0) << " ms.</p>"
      << live_paragraph(summary.live)
      << "<h2>Requests</h2><table><tr><th>type</th><th>1xx</th><th>2xx</th><th>3xx</th><th>4xx</th>"
      << "<th>5xx</th><th>errors</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th>"
      << "<th>max ms</th></tr>";
  for (const auto& [name, stats] : summary.types) {
    html << "<tr><td>" << name << "</td><td>" << stats.by_class[0] << "</td><td>"
         << stats.by_class[1] << "</td><td>" << stats.by_class[2] << "</td><td>"
         << stats.by_class[3] << "</td><td>" << stats.by_class[4] << "</td><td>" << stats.errors
         << "</td><td>" << fixed(stats.latency.percentile_us(0.5) / 1000) << "</td><td>"
         << fixed(stats.latency.percentile_us(0.95) / 1000) << "</td><td>"
         << fixed(stats.latency.percentile_us(0.99) / 1000) << "</td><td>"
         << fixed(stats.latency.max_us() / 1000) << "</td></tr>";
  }
  html << "</table><h2>Over time</h2>"
       << chart("Arrivals, admissions (per second) and people in the queue",
                {"arrivals/s", "admitted/s", "in queue"}, {arrivals, admitted, queued})
       << chart("Requests per second by status", {"2xx", "3xx", "4xx", "5xx", "errors"},
                {ok, redirects, client, server, errors})
       << chart("Latency per second (ms)", {"p50", "p99"}, {p50, p99})
       << chart("Server: CPU (%) and RSS (MiB)", {"CPU %", "RSS MiB"}, {cpu, rss})
       << "</body></html>\n";
  write_file(file, html.str());
}

}  // namespace cartable::load
