#include "rentree_journey.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cstdlib>

#include "live_protocol.hpp"
#include "rentree_live.hpp"
#include "sleep.hpp"

namespace cartable::load {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

bool is_waiting_room(const Reply& reply) {
  return reply.answered && !reply.header("X-Cartable-Waiting-Room").empty();
}

bool failed(const Reply& reply) {
  return !reply.answered || (reply.status >= 500 && !is_waiting_room(reply));
}

bool succeeded(const std::optional<Reply>& reply) {
  return reply && reply->status >= 200 && reply->status < 300;
}

Outgoing get(std::string path, bool page = false) {
  Outgoing request;
  request.path = std::move(path);
  if (page) {
    request.headers["Accept"] = "text/html";
  }
  return request;
}

// GET / through the waiting room, as the page does it: wait as told, poll, come in. False: gave up.
asio::awaitable<bool> open_app(Journey& journey, UserAgent& agent, bool remembered) {
  Outgoing shell_request = get("/", true);
  if (remembered && !journey.shell_etag.empty()) {
    shell_request.headers["If-None-Match"] = journey.shell_etag;
  }
  auto shell_reply = co_await attempt(journey, agent, shell_request, shell);
  if (!shell_reply) {
    co_return false;
  }
  Stats& stats = journey.stats;
  if (is_waiting_room(*shell_reply)) {
    ++stats.queued_now;
    ++stats.ever_queued;
    const auto entered = Clock::now();
    const double announced = std::atof(shell_reply->header("X-Cartable-Queue-Wait").c_str());
    long poll_ms = std::atol(shell_reply->header("X-Cartable-Queue-Poll").c_str());
    bool in = false;
    while (!in) {
      co_await pause(milliseconds(std::max(200L, poll_ms)));
      const Outgoing poll = get("/api/queue");
      auto news = co_await attempt(journey, agent, poll, queue);
      if (!news) {
        --stats.queued_now;
        co_return false;
      }
      const auto object = json_object(news->body);
      if (!object) {
        continue;
      }
      in = string_field(*object, "status") == "admitted";
      if (const auto next = int_field(*object, "poll_after_ms"); next > 0) {
        poll_ms = static_cast<long>(next);
      }
    }
    --stats.queued_now;
    const double waited = std::chrono::duration<double>(Clock::now() - entered).count();
    stats.waits.push_back({announced, waited});
    journey.admitted = true;
    const Outgoing again = get("/", true);
    shell_reply = co_await attempt(journey, agent, again, shell);
    if (!shell_reply || is_waiting_room(*shell_reply)) {
      co_return false;
    }
  }
  journey.admitted = true;
  ++stats.admitted;
  ++stats.now().admitted;
  if (!remembered) {
    // A first visit loads the app's files; a returning browser has them cached (immutable).
    for (const std::string& path : journey.assets) {
      const Outgoing request = get(path);
      if (!co_await attempt(journey, agent, request, asset)) {
        co_return false;
      }
    }
  }
  co_return true;
}

Profile profile_of(const std::string& body) {
  Profile profile;
  if (auto object = json_object(body)) {
    profile.csrf = string_field(*object, "csrf_token");
    profile.body = std::move(*object);
  }
  return profile;
}

// Signs in with the password, or comes back with yesterday's "stay signed in" cookie; nullopt:
// gave up or refused. A remembered user's profile is asked for only when a step needs it.
asio::awaitable<std::optional<Profile>> sign_in_or_resume(Journey& journey, UserAgent& agent,
                                                          const Account& person, bool remembered) {
  if (remembered) {
    agent.set_cookie("cartable_session", person.session);
    co_return Profile{};
  }
  Outgoing request;
  request.method = http::verb::post;
  request.path = "/api/session";
  request.content_type = "application/json";
  request.body = boost::json::serialize(boost::json::object{
      {"login", person.login}, {"password", person.password}, {"remember", true}});
  const auto reply = co_await attempt(journey, agent, request, sign_in);
  if (!reply || reply->status != 200) {
    co_return std::nullopt;
  }
  co_return profile_of(reply->body);
}

// The profile (and its CSRF token) for the steps that write or need the user's class.
asio::awaitable<bool> know_profile(Journey& journey, UserAgent& agent, Profile& profile) {
  if (!profile.csrf.empty()) {
    co_return true;
  }
  const Outgoing request = get("/api/me");
  const auto reply = co_await attempt(journey, agent, request, me);
  if (!reply || reply->status != 200) {
    co_return false;
  }
  profile = profile_of(reply->body);
  co_return !profile.csrf.empty();
}

std::vector<std::int64_t> homework_due(const std::string& day_body) {
  std::vector<std::int64_t> ids;
  const auto day = json_object(day_body);
  const auto* sections = day ? day->if_contains("sections") : nullptr;
  if (sections == nullptr || !sections->is_array()) {
    return ids;
  }
  for (const auto& section : sections->as_array()) {
    for (const auto& item : section.at("homework").as_array()) {
      ids.push_back(item.at("id").as_int64());
    }
  }
  return ids;
}

// A pupil's copy, as a scanned PDF of about 300 KB: recognised as a PDF by its first bytes.
const std::string& handed_in_copy() {
  static const std::string copy = [] {
    std::string bytes = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
    const std::string line = "% copie scannee, page de cahier, ligne de texte manuscrit ....\n";
    while (bytes.size() + line.size() < 300 * 1024) {
      bytes += line;
    }
    return bytes + "%%EOF\n";
  }();
  return copy;
}

asio::awaitable<bool> hand_in_work(Journey& journey, UserAgent& agent, Profile& profile,
                                   std::int64_t homework_id) {
  if (!co_await know_profile(journey, agent, profile)) {
    co_return false;
  }
  Outgoing upload_request =
      api_post("/api/files?name=copie.pdf", profile.csrf, journey.server, handed_in_copy());
  upload_request.content_type = "application/pdf";
  const auto uploaded = co_await attempt(journey, agent, upload_request, upload);
  const auto file = succeeded(uploaded) ? json_object(uploaded->body) : std::nullopt;
  if (!file || int_field(*file, "id") == 0) {
    co_return false;
  }
  Outgoing hand_in_request = api_post(
      "/api/homework/" + std::to_string(homework_id) + "/hand-in", profile.csrf, journey.server,
      boost::json::serialize(boost::json::object{
          {"text", "Voici ma copie."}, {"file_ids", boost::json::array{int_field(*file, "id")}}}));
  hand_in_request.method = http::verb::put;
  const auto handed_in = co_await attempt(journey, agent, hand_in_request, hand_in);
  co_return succeeded(handed_in);
}

// Opens 1-2 homework items of the day, downloads an attachment with probability 0.5, and hands in
// a copy with probability 0.1.
asio::awaitable<bool> do_homework(Journey& journey, UserAgent& agent, Profile& profile,
                                  const std::vector<std::int64_t>& due) {
  if (due.empty()) {
    co_return true;
  }
  const int opened = std::uniform_int_distribution<int>(1, 2)(journey.random);
  std::int64_t last = 0;
  for (int i = 0; i < opened; ++i) {
    last = due[journey.random() % due.size()];
    const Outgoing request = get("/api/homework/" + std::to_string(last));
    const auto reply = co_await attempt(journey, agent, request, homework);
    if (!reply || reply->status != 200) {
      co_return false;
    }
    const auto item = json_object(reply->body);
    const auto* attachments = item ? item->if_contains("attachments") : nullptr;
    if (attachments != nullptr && attachments->is_array() && !attachments->as_array().empty() &&
        std::bernoulli_distribution(0.5)(journey.random)) {
      const auto& file = attachments->as_array().front();
      const std::string url = file.is_object() ? string_field(file.as_object(), "url") : "";
      if (url.empty()) {
        co_return false;
      }
      const Outgoing download = get(url);
      const auto downloaded = co_await attempt(journey, agent, download, attachment);
      if (!succeeded(downloaded)) {
        co_return false;
      }
    }
  }
  if (std::bernoulli_distribution(0.1)(journey.random)) {
    const bool handed_in = co_await hand_in_work(journey, agent, profile, last);
    co_return handed_in;
  }
  co_return true;
}

}  // namespace

asio::awaitable<std::optional<Reply>> attempt(Journey& journey, UserAgent& agent,
                                              const Outgoing& request, RequestType type) {
  for (int tries = 0; tries <= journey.options.max_f5; ++tries) {
    const auto sent = Clock::now();
    Reply reply = co_await agent.send(request, journey.options.patience);
    journey.stats.record(type, reply, Clock::now() - sent, journey.admitted);
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

asio::awaitable<void> run_journey(Journey journey, Account person, asio::ip::address source,
                                  milliseconds arrival) {
  co_await pause(arrival);
  Stats& stats = journey.stats;
  ++stats.started;
  ++stats.now().arrivals;
  const auto began = Clock::now();
  UserAgent agent(co_await asio::this_coro::executor, source, journey.server);
  const bool remembered = !person.session.empty() &&
                          std::bernoulli_distribution(journey.options.remembered)(journey.random);
  std::optional<Profile> profile;
  if (co_await open_app(journey, agent, remembered)) {
    profile = co_await sign_in_or_resume(journey, agent, person, remembered);
  }
  bool ok = profile.has_value();
  std::optional<Reply> day;
  if (ok) {
    const Outgoing request = get("/api/me/today");
    day = co_await attempt(journey, agent, request, day_view);
    ok = day && day->status == 200;
  }
  LessonSeat seat;
  if (ok && person.role == "pupil") {
    const std::vector<std::int64_t> due = homework_due(day->body);
    ok = co_await do_homework(journey, agent, *profile, due);
    if (ok && std::bernoulli_distribution(journey.options.live)(journey.random)) {
      ok = co_await know_profile(journey, agent, *profile);
      if (ok) {
        seat = co_await join_lesson(journey, agent, *profile, source);
        ok = !seat.failed;
      }
    }
  } else if (ok && person.role == "teacher") {
    const Outgoing request = get("/api/homework?mine=1");
    const auto reply = co_await attempt(journey, agent, request, teacher_list);
    ok = reply && reply->status == 200;
    if (ok) {
      ok = co_await know_profile(journey, agent, *profile);
    }
    if (ok) {
      seat = co_await start_lesson(journey, agent, person, *profile, source);
      ok = !seat.failed;
    }
  }
  if (ok) {
    ++stats.completed;
    stats.journey.record(Clock::now() - began);
  } else {
    ++stats.failed;
    stats.failed_admitted += journey.admitted ? 1 : 0;
  }
  if (seat.socket) {
    // The page's HTTP connection is not kept beside the lesson's socket.
    agent.drop_connection();
    co_await stay_in_lesson(journey, seat);
  }
  if (seat.room_id != 0) {
    if (!seat.socket) {
      // The teacher lost their socket but the lesson runs on for the pupils in it.
      co_await sleep_until(stats.morning_end);
    }
    co_await end_lesson(journey, agent, *profile, seat.room_id);
  }
}

}  // namespace cartable::load
