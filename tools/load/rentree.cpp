#include "rentree.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <regex>
#include <set>

#include "accounts.hpp"
#include "proc_usage.hpp"
#include "rentree_journey.hpp"
#include "rentree_live.hpp"
#include "sleep.hpp"

namespace cartable::load {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ---------------------------------------------------------------- population

using Person = Account;

std::vector<Person> read_people(const RentreeOptions& options) {
  return read_accounts(options.accounts_file, options.sessions_file);
}

// ---------------------------------------------------------------- the run

asio::awaitable<void> watch(Stats& stats, const RentreeOptions& options, std::size_t seconds,
                            std::uint64_t population) {
  ProcessSampler server(options.server_pid);
  for (std::size_t second = 0; second < seconds; ++second) {
    co_await pause(milliseconds(1000));
    Second& slot = stats.timeline[std::min(second, stats.timeline.size() - 1)];
    slot.in_queue = stats.queued_now;
    const ProcessUsage usage = server.sample();
    slot.server_cpu = usage.cpu_percent;
    slot.server_rss_mib = usage.rss_bytes / (1024.0 * 1024.0);
    std::uint64_t requests = 0;
    for (const auto count : slot.by_class) {
      requests += count;
    }
    std::fprintf(
        stderr,
        "\rt=%zus arrived %llu admitted %llu queued %llu done %llu failed %llu req/s %llu "
        "5xx %llu conn-err %llu p99 %.0fms   ",
        second + 1, static_cast<unsigned long long>(stats.started),
        static_cast<unsigned long long>(stats.admitted),
        static_cast<unsigned long long>(stats.queued_now),
        static_cast<unsigned long long>(stats.completed),
        static_cast<unsigned long long>(stats.failed), static_cast<unsigned long long>(requests),
        static_cast<unsigned long long>(slot.by_class[4]),
        static_cast<unsigned long long>(slot.errors), slot.latency.percentile_us(0.99) / 1000);
    if (stats.completed + stats.failed >= population &&
        second * 1000 >= static_cast<std::size_t>(options.duration.count())) {
      break;
    }
  }
  std::fprintf(stderr, "\n");
}

// The shell's ETag and its assets, as a browser that came yesterday knows them (not measured).
void learn_shell(const Target& server, std::string& etag, std::vector<std::string>& assets) {
  asio::io_context context;
  UserAgent agent(context.get_executor(), server.endpoint.address(), server);
  Reply reply;
  asio::co_spawn(
      context,
      [&]() -> asio::awaitable<void> {
        Outgoing request;
        request.path = "/index.html";
        request.headers["Accept"] = "text/html";
        reply = co_await agent.send(request, milliseconds(10'000));
      },
      asio::detached);
  context.run();
  if (!reply.answered || reply.status != 200) {
    throw std::runtime_error("the server does not answer GET /index.html");
  }
  etag = reply.header("ETag");
  const std::regex asset(R"re((?:src|href)="(/assets/[^"]+)")re");
  for (auto match = std::sregex_iterator(reply.body.begin(), reply.body.end(), asset);
       match != std::sregex_iterator(); ++match) {
    assets.push_back((*match)[1]);
  }
}

}  // namespace

int run_rentree(const RentreeOptions& options) {
  const Target server = parse_target(options.url);
  const std::vector<Person> people = read_people(options);
  std::map<std::string, std::vector<const Person*>> pupils_by_school, teachers_by_school;
  std::vector<const Person*> parents;
  for (const Person& person : people) {
    if (person.role == "pupil") {
      pupils_by_school[person.school].push_back(&person);
    } else if (person.role == "teacher") {
      teachers_by_school[person.school].push_back(&person);
    } else if (person.role == "parent") {
      parents.push_back(&person);
    }
  }
  const auto schools =
      static_cast<std::size_t>(std::lround(options.schools * std::max(1.0, options.scale)));
  const auto per_school = static_cast<std::size_t>(std::lround(
      options.classes_per_school * options.pupils_per_class * std::min(1.0, options.scale)));
  if (pupils_by_school.size() < schools) {
    throw std::invalid_argument("the accounts file has " + std::to_string(pupils_by_school.size()) +
                                " schools with pupils; the scenario wants " +
                                std::to_string(schools) +
                                " (start the server with the matching cartable demo)");
  }
  std::mt19937_64 random(options.seed);
  const double duration_s = std::chrono::duration<double>(options.duration).count();
  std::normal_distribution<double> wave(duration_s / 2, duration_s / 12);
  std::uniform_real_distribution<double> anytime(0, duration_s);
  struct Arrival {
    const Person* person;
    asio::ip::address source;
    double at;
  };
  std::vector<Arrival> arrivals;
  std::size_t school_index = 0;
  std::vector<const Person*> teachers;
  std::set<std::pair<std::string, std::string>> classes_in_run;
  for (auto& [school, pupils] : pupils_by_school) {
    // A smaller morning takes whole classes: their lessons have their teachers.
    std::stable_sort(pupils.begin(), pupils.end(), [](const Person* a, const Person* b) {
      return a->class_name < b->class_name;
    });
    if (school_index >= schools) {
      break;
    }
    std::set<std::string> classes;
    if (pupils.size() < per_school) {
      throw std::invalid_argument("school " + school + " has " + std::to_string(pupils.size()) +
                                  " pupils; the scenario wants " + std::to_string(per_school));
    }
    for (std::size_t i = 0; i < per_school; ++i) {
      // Each pupil comes from one of its school's NAT addresses.
      const auto ip = random() % static_cast<std::uint64_t>(options.ips_per_school);
      const asio::ip::address_v4::bytes_type bytes{
          127, static_cast<unsigned char>(1 + school_index / 250),
          static_cast<unsigned char>(school_index % 250), static_cast<unsigned char>(1 + ip)};
      const double at = std::bernoulli_distribution(0.7)(random)
                            ? std::clamp(wave(random), 0.0, duration_s)
                            : anytime(random);
      arrivals.push_back({pupils[i], asio::ip::address_v4(bytes), at});
      classes.insert(pupils[i]->class_name);
    }
    // One teacher per class in the run, each to take the live lesson of a class of theirs.
    const auto& staff = teachers_by_school[school];
    teachers.insert(teachers.end(), staff.begin(),
                    staff.begin() + static_cast<std::ptrdiff_t>(
                                        std::min<std::size_t>(staff.size(), classes.size())));
    for (const std::string& name : classes) {
      classes_in_run.insert({school, name});
    }
    ++school_index;
  }
  const std::size_t pupil_count = arrivals.size();
  const std::size_t teacher_count = teachers.size();
  std::uniform_real_distribution<double> first_fifth(0, duration_s / 5);
  for (std::size_t i = 0; i < teacher_count; ++i) {
    arrivals.push_back({teachers[i], asio::ip::make_address("127.0.0.1"), first_fifth(random)});
  }
  const std::size_t parent_count = std::min(
      parents.size(), static_cast<std::size_t>(options.parents * static_cast<double>(pupil_count)));
  std::uniform_real_distribution<double> last_half(duration_s / 2, duration_s);
  for (std::size_t i = 0; i < parent_count; ++i) {
    // Parents connect from home: each from an address of its own (127.200.0.1 on).
    const asio::ip::address_v4::bytes_type home{127, static_cast<unsigned char>(200 + i / 62'500),
                                                static_cast<unsigned char>(i / 250 % 250),
                                                static_cast<unsigned char>(1 + i % 250)};
    arrivals.push_back({parents[i], asio::ip::address_v4(home), last_half(random)});
  }

  std::string shell_etag;
  std::vector<std::string> assets;
  learn_shell(server, shell_etag, assets);

  const auto total_seconds =
      static_cast<std::size_t>(
          std::ceil(duration_s + std::chrono::duration<double>(options.drain).count())) +
      1;
  Stats stats(total_seconds);
  asio::io_context context(1);
  stats.start = Clock::now();
  stats.morning_end = stats.start + options.duration;
  asio::co_spawn(context, end_morning(stats), asio::detached);
  for (const Arrival& arrival : arrivals) {
    Journey journey{
        options, stats, server, shell_etag, assets, classes_in_run, std::mt19937_64(random()),
        false};
    asio::co_spawn(context,
                   run_journey(std::move(journey), *arrival.person, arrival.source,
                               milliseconds(static_cast<std::int64_t>(arrival.at * 1000))),
                   asio::detached);
  }
  asio::co_spawn(context, watch(stats, options, total_seconds, arrivals.size()), asio::detached);
  // Bounded: the morning, then the drain; whatever is still going then counts as unfinished.
  context.run_for(std::chrono::duration_cast<Clock::duration>(options.duration + options.drain) +
                  std::chrono::seconds(1));
  stats.unfinished = arrivals.size() - stats.completed - stats.failed;
  context.stop();

  RunSummary summary;
  summary.pupils = pupil_count;
  summary.teachers = teacher_count;
  summary.parents = parent_count;
  summary.sessions_file_given = !options.sessions_file.empty();
  summary.started = stats.started;
  summary.completed = stats.completed;
  summary.failed = stats.failed;
  summary.failed_admitted = stats.failed_admitted;
  summary.unfinished = stats.unfinished;
  summary.ever_queued = stats.ever_queued;
  summary.f5 = stats.f5;
  summary.live = stats.live;
  summary.journey = stats.journey;
  summary.admitted_latency = stats.admitted_latency;
  summary.waits = stats.waits;
  for (std::size_t i = 0; i < kRequestTypes.size(); ++i) {
    summary.types.push_back({kRequestTypes[i], stats.types[i]});
  }
  for (const Second& second : stats.timeline) {
    summary.timeline.push_back({second.arrivals, second.admitted, second.in_queue, second.by_class,
                                second.errors, second.latency.percentile_us(0.5) / 1000,
                                second.latency.percentile_us(0.99) / 1000, second.server_cpu,
                                second.server_rss_mib});
  }
  const Verdict verdict = judge(summary);
  print_summary(summary, verdict, stdout);
  if (!options.json_file.empty()) {
    write_json_report(options, summary, verdict, options.json_file);
  }
  if (!options.html_file.empty()) {
    write_html_report(options, summary, verdict, options.html_file);
  }
  return options.assert_clean && !verdict.clean ? 1 : 0;
}

}  // namespace cartable::load
