#include "rentree.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <regex>

#include "accounts.hpp"
#include "histogram.hpp"
#include "proc_usage.hpp"
#include "report.hpp"
#include "user_agent.hpp"

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

// ---------------------------------------------------------------- measurements

constexpr std::array<const char*, 9> kTypes{"shell",    "asset",        "queue",
                                            "sign_in",  "me",           "day_view",
                                            "homework", "teacher_list", "live_join"};
enum Type : std::size_t {
  shell,
  asset,
  queue,
  sign_in,
  me,
  day_view,
  homework,
  teacher_list,
  live_join
};

struct Second {
  std::uint64_t arrivals = 0;
  std::uint64_t admitted = 0;
  std::uint64_t in_queue = 0;
  std::array<std::uint64_t, 5> by_class{};  // 1xx..5xx
  std::uint64_t errors = 0;
  Histogram latency;
  double server_cpu = 0;
  double server_rss_mib = 0;
};

struct Stats {
  explicit Stats(std::size_t seconds) : timeline(seconds) {}

  std::array<TypeStats, kTypes.size()> types{};
  std::vector<Second> timeline;
  Clock::time_point start;
  std::uint64_t started = 0, completed = 0, failed = 0, failed_admitted = 0, unfinished = 0;
  std::uint64_t queued_now = 0, ever_queued = 0, admitted = 0, f5 = 0;
  std::uint64_t live_not_offered = 0, live_joined = 0;
  Histogram journey;
  Histogram admitted_latency;  // every request of a pupil after admission
  std::vector<QueueWait> waits;

  Second& now() {
    const auto index = static_cast<std::size_t>(
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count());
    return timeline[std::min(index, timeline.size() - 1)];
  }
  void record(Type type, const Reply& reply, Clock::duration latency, bool admitted_user) {
    TypeStats& stats = types[type];
    Second& second = now();
    if (!reply.answered) {
      ++stats.errors;
      ++second.errors;
      return;
    }
    const std::size_t status_class = std::clamp(reply.status / 100, 1, 5) - 1;
    ++stats.by_class[status_class];
    ++second.by_class[status_class];
    stats.latency.record(latency);
    second.latency.record(latency);
    if (admitted_user) {
      admitted_latency.record(latency);
    }
  }
};

// ---------------------------------------------------------------- journeys

struct Journey {
  const RentreeOptions& options;
  Stats& stats;
  const Target& server;
  const std::string& shell_etag;
  const std::vector<std::string>& assets;
  std::mt19937_64 random;
};

bool is_waiting_room(const Reply& reply) {
  return reply.answered && !reply.header("X-Cartable-Waiting-Room").empty();
}

bool failed(const Reply& reply) {
  return !reply.answered || (reply.status >= 500 && !is_waiting_room(reply));
}

asio::awaitable<void> pause(milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

// One request with the F5 model: a failure or a wait past patience is abandoned and tried again
// after 1-3 s (half the time on a new connection), up to max_f5 times. nullopt: the user gave up.
asio::awaitable<std::optional<Reply>> attempt(Journey& journey, UserAgent& agent,
                                              const Outgoing& request, Type type,
                                              bool admitted_user) {
  for (int tries = 0; tries <= journey.options.max_f5; ++tries) {
    const auto sent = Clock::now();
    Reply reply = co_await agent.send(request, journey.options.patience);
    journey.stats.record(type, reply, Clock::now() - sent, admitted_user);
    if (!failed(reply)) {
      co_return reply;
    }
    ++journey.stats.f5;
    std::uniform_int_distribution<int> wait_ms(1000, 3000);
    co_await pause(milliseconds(wait_ms(journey.random)));
    if (std::bernoulli_distribution(0.5)(journey.random)) {
      agent.drop_connection();
    }
  }
  co_return std::nullopt;
}

Outgoing get(std::string path, bool page = false) {
  Outgoing request;
  request.path = std::move(path);
  if (page) {
    request.headers["Accept"] = "text/html";
  }
  return request;
}

Outgoing post_json(std::string path, std::string body) {
  Outgoing request;
  request.method = http::verb::post;
  request.path = std::move(path);
  request.body = std::move(body);
  request.content_type = "application/json";
  return request;
}

// GET / through the waiting room, as the page does it: wait as told, poll, come in. False: gave up.
asio::awaitable<bool> open_app(Journey& journey, UserAgent& agent, bool remembered) {
  Outgoing shell_request = get("/", true);
  if (remembered && !journey.shell_etag.empty()) {
    shell_request.headers["If-None-Match"] = journey.shell_etag;
  }
  auto shell_reply = co_await attempt(journey, agent, shell_request, shell, false);
  if (!shell_reply) {
    co_return false;
  }
  if (is_waiting_room(*shell_reply)) {
    Stats& stats = journey.stats;
    ++stats.queued_now;
    ++stats.ever_queued;
    const auto entered = Clock::now();
    const double announced = std::atof(shell_reply->header("X-Cartable-Queue-Wait").c_str());
    long poll_ms = std::atol(shell_reply->header("X-Cartable-Queue-Poll").c_str());
    bool in = false;
    while (!in) {
      co_await pause(milliseconds(std::max(200L, poll_ms)));
      const Outgoing poll = get("/api/queue");
      auto news = co_await attempt(journey, agent, poll, queue, false);
      if (!news) {
        --stats.queued_now;
        co_return false;
      }
      boost::system::error_code ec;
      const auto json = boost::json::parse(news->body, ec);
      if (ec || !json.is_object()) {
        continue;
      }
      const auto& object = json.as_object();
      in = object.contains("status") && object.at("status") == "admitted";
      if (const auto* next = object.if_contains("poll_after_ms"); next && next->is_int64()) {
        poll_ms = static_cast<long>(next->as_int64());
      }
    }
    --stats.queued_now;
    const double waited = std::chrono::duration<double>(Clock::now() - entered).count();
    stats.waits.push_back({announced, waited});
    const Outgoing again = get("/", true);
    shell_reply = co_await attempt(journey, agent, again, shell, true);
    if (!shell_reply || is_waiting_room(*shell_reply)) {
      co_return false;
    }
  }
  ++journey.stats.admitted;
  ++journey.stats.now().admitted;
  if (!remembered) {
    // A first visit loads the app's files; a returning browser has them cached (immutable).
    for (const std::string& path : journey.assets) {
      const Outgoing request = get(path);
      if (!co_await attempt(journey, agent, request, asset, true)) {
        co_return false;
      }
    }
  }
  co_return true;
}

asio::awaitable<bool> sign_in_or_resume(Journey& journey, UserAgent& agent, const Person& person,
                                        bool remembered) {
  if (remembered) {
    agent.set_cookie("cartable_session", person.session);
    co_return true;
  }
  const std::string body = boost::json::serialize(boost::json::object{
      {"login", person.login}, {"password", person.password}, {"remember", true}});
  const Outgoing request = post_json("/api/session", body);
  const auto reply = co_await attempt(journey, agent, request, sign_in, true);
  co_return reply && reply->status == 200;
}

asio::awaitable<void> run_journey(Journey journey, Person person, asio::ip::address source,
                                  milliseconds arrival) {
  co_await pause(arrival);
  Stats& stats = journey.stats;
  ++stats.started;
  ++stats.now().arrivals;
  const auto began = Clock::now();
  UserAgent agent(co_await asio::this_coro::executor, source, journey.server);
  const bool remembered = !person.session.empty() &&
                          std::bernoulli_distribution(journey.options.remembered)(journey.random);
  bool ok = co_await open_app(journey, agent, remembered);
  const bool admitted = ok;
  ok = ok && co_await sign_in_or_resume(journey, agent, person, remembered);
  std::optional<Reply> day;
  if (ok) {
    const Outgoing request = get("/api/me/today");
    day = co_await attempt(journey, agent, request, day_view, true);
    ok = day && day->status == 200;
  }
  if (ok && person.role == "pupil") {
    std::vector<std::int64_t> homework_ids;
    boost::system::error_code ec;
    const auto json = boost::json::parse(day->body, ec);
    if (!ec && json.is_object()) {
      for (const auto& section : json.at("sections").as_array()) {
        for (const auto& item : section.at("homework").as_array()) {
          homework_ids.push_back(item.at("id").as_int64());
        }
      }
    }
    const int opened = std::uniform_int_distribution<int>(1, 2)(journey.random);
    for (int i = 0; ok && i < opened && !homework_ids.empty(); ++i) {
      const auto id = homework_ids[journey.random() % homework_ids.size()];
      const Outgoing request = get("/api/homework/" + std::to_string(id));
      const auto reply = co_await attempt(journey, agent, request, homework, true);
      ok = reply && reply->status == 200;
    }
    if (ok && std::bernoulli_distribution(journey.options.live)(journey.random)) {
      // The live lesson runs only once its teacher has started it; not offered or not started is
      // counted, never a failure.
      const Outgoing profile_request = get("/api/me");
      const auto me_reply = co_await attempt(journey, agent, profile_request, me, true);
      boost::system::error_code parse_error;
      const auto profile =
          me_reply ? boost::json::parse(me_reply->body, parse_error) : boost::json::value();
      if (!parse_error && profile.is_object() && profile.at("user").at("class").is_object()) {
        const auto class_id = profile.at("user").at("class").at("id").as_int64();
        Outgoing join = post_json(
            "/api/live/join", boost::json::serialize(boost::json::object{{"class_id", class_id}}));
        join.headers["X-CSRF-Token"] = std::string(profile.at("csrf_token").as_string());
        const auto reply = co_await attempt(journey, agent, join, live_join, true);
        if (reply && reply->status == 200) {
          ++stats.live_joined;
        } else {
          ++stats.live_not_offered;
        }
      }
    }
  } else if (ok && person.role == "teacher") {
    const Outgoing request = get("/api/homework?mine=1");
    const auto reply = co_await attempt(journey, agent, request, teacher_list, true);
    ok = reply && reply->status == 200;
  }
  if (ok) {
    ++stats.completed;
    stats.journey.record(Clock::now() - began);
  } else {
    ++stats.failed;
    stats.failed_admitted += admitted ? 1 : 0;
  }
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
        const Outgoing request = get("/index.html", true);
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
  std::map<std::string, std::vector<const Person*>> pupils_by_school;
  std::vector<const Person*> teachers, parents;
  for (const Person& person : people) {
    if (person.role == "pupil") {
      pupils_by_school[person.school].push_back(&person);
    } else if (person.role == "teacher") {
      teachers.push_back(&person);
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
  for (const auto& [school, pupils] : pupils_by_school) {
    if (school_index >= schools) {
      break;
    }
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
    }
    ++school_index;
  }
  const std::size_t pupil_count = arrivals.size();
  const std::size_t teacher_count =
      std::min(teachers.size(), schools * static_cast<std::size_t>(options.classes_per_school));
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
  for (const Arrival& arrival : arrivals) {
    Journey journey{options, stats, server, shell_etag, assets, std::mt19937_64(random())};
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
  summary.live_joined = stats.live_joined;
  summary.live_not_offered = stats.live_not_offered;
  summary.journey = stats.journey;
  summary.admitted_latency = stats.admitted_latency;
  summary.waits = stats.waits;
  for (std::size_t i = 0; i < kTypes.size(); ++i) {
    summary.types.push_back({kTypes[i], stats.types[i]});
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
