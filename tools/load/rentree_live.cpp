#include "rentree_live.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <charconv>

#include "live_protocol.hpp"
#include "sleep.hpp"
#include "ws_client.hpp"

namespace cartable::load {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

// Connects to the answer's socket after its delay; nullptr when the morning ended first or it
// failed (`failed` then says so; a refused upgrade is counted by its status, anything else as a
// connection error).
asio::awaitable<std::shared_ptr<WsClient>> open_socket(Journey& journey, asio::ip::address source,
                                                       const JoinAnswer& answer,
                                                       const std::string& cookie, bool& failed) {
  Stats& stats = journey.stats;
  if (answer.delay_ms > 0) {
    co_await pause(milliseconds(answer.delay_ms));
  }
  const auto target = socket_target(journey.server, answer.url);
  if (!target) {
    failed = true;
    co_return nullptr;
  }
  if (stats.morning_over) {
    co_return nullptr;
  }
  auto socket = std::make_shared<WsClient>(co_await asio::this_coro::executor);
  stats.live_sockets.push_back(socket);
  const auto began = Clock::now();
  const auto refused = co_await socket->connect(source, *target, target->path, cookie);
  if (refused) {
    failed = !stats.morning_over;
    if (socket->refused_status() != 0) {
      stats.record_status(live_socket, socket->refused_status(), Clock::now() - began,
                          journey.admitted);
    } else if (failed) {
      stats.record_error(live_socket);
    }
    co_return nullptr;
  }
  stats.record_status(live_socket, 101, Clock::now() - began, journey.admitted);
  co_return socket;
}

// The lesson's first frame must be its welcome.
asio::awaitable<bool> welcomed(Journey& journey, WsClient& socket) {
  const auto ec = co_await socket.read();
  if (!ec && is_welcome(socket.text())) {
    ++journey.stats.live.joined;
    co_return true;
  }
  if (!journey.stats.morning_over) {
    journey.stats.record_error(live_socket);
  }
  co_return false;
}

std::int64_t class_of(const Profile& profile) {
  const auto* user = profile.body.if_contains("user");
  const auto* school_class =
      user != nullptr && user->is_object() ? user->as_object().if_contains("class") : nullptr;
  return school_class != nullptr && school_class->is_object()
             ? int_field(school_class->as_object(), "id")
             : 0;
}

// The first class the teacher teaches that has pupils in the run and no lesson yet.
std::int64_t untaken_class(const Journey& journey, const std::string& school,
                           const Profile& profile) {
  const auto* teaching = profile.body.if_contains("teaching");
  if (teaching == nullptr || !teaching->is_array()) {
    return 0;
  }
  for (const auto& entry : teaching->as_array()) {
    const auto* school_class = entry.is_object() ? entry.as_object().if_contains("class") : nullptr;
    if (school_class == nullptr || !school_class->is_object()) {
      continue;
    }
    const std::int64_t id = int_field(school_class->as_object(), "id");
    const std::string name = string_field(school_class->as_object(), "name");
    if (id != 0 && !journey.stats.live_classes.contains(id) &&
        journey.classes_in_run.contains({school, name})) {
      return id;
    }
  }
  return 0;
}

std::int64_t sent_at(std::string_view frame) {
  constexpr std::string_view kText = "\"text\":\"t=";
  const auto at = frame.find(kText);
  std::int64_t ticks = 0;
  if (at != std::string_view::npos) {
    std::from_chars(frame.data() + at + kText.size(), frame.data() + frame.size(), ticks);
  }
  return ticks;
}

// A pupil's chat line or raised hand every 20-60 s (a hand goes down again the next time).
asio::awaitable<void> talk(Stats& stats, std::shared_ptr<WsClient> socket, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> gap_ms(20'000, 60'000);
  bool hand_up = false;
  while (true) {
    const auto due = Clock::now() + milliseconds(gap_ms(random));
    co_await sleep_until(std::min(due, stats.morning_end));
    if (stats.morning_over || Clock::now() >= stats.morning_end) {
      co_return;
    }
    const bool chat = hand_up || std::bernoulli_distribution(0.8)(random);
    const std::string message =
        chat ? chat_message()
             : std::string(R"({"type":"hand","up":)") + (hand_up ? "false}" : "true}");
    hand_up = !chat && !hand_up;
    const auto ec = co_await socket->write(message);
    if (ec) {
      co_return;
    }
    ++stats.live.messages_sent;
  }
}

}  // namespace

asio::awaitable<LessonSeat> join_lesson(Journey& journey, UserAgent& agent, const Profile& profile,
                                        asio::ip::address source) {
  Stats& stats = journey.stats;
  const std::int64_t class_id = class_of(profile);
  if (class_id == 0) {
    ++stats.live.not_offered;
    co_return LessonSeat{};
  }
  const auto asked = Clock::now();
  const Outgoing request =
      api_post("/api/live/join", profile.csrf, journey.server, class_body(class_id));
  const auto reply = co_await attempt(journey, agent, request, live_join);
  if (reply && reply->status == 404) {
    ++stats.live.not_offered;
    co_return LessonSeat{};
  }
  auto answer = reply && reply->status == 200 ? join_answer(reply->body) : std::nullopt;
  if (!answer) {
    co_return LessonSeat{nullptr, 0, true};
  }
  const std::string cookie = agent.cookie_header();
  bool failed = false;
  if (answer->lobby) {
    ++stats.live.lobby_waits;
    const auto lobby = co_await open_socket(journey, source, *answer, cookie, failed);
    if (!lobby) {
      co_return LessonSeat{nullptr, 0, failed};
    }
    answer = co_await wait_in_lobby(*lobby);
    lobby->close();
    if (!answer) {
      // The lesson never started this morning: nothing to join, not a failure.
      ++stats.live.not_offered;
      co_return LessonSeat{};
    }
  }
  auto socket = co_await open_socket(journey, source, *answer, cookie, failed);
  if (!socket) {
    co_return LessonSeat{nullptr, 0, failed};
  }
  const bool in = co_await welcomed(journey, *socket);
  if (!in) {
    co_return LessonSeat{nullptr, 0, !stats.morning_over};
  }
  stats.live.join_time.record(Clock::now() - asked);
  co_return LessonSeat{std::move(socket), 0, false};
}

asio::awaitable<LessonSeat> start_lesson(Journey& journey, UserAgent& agent, const Account& teacher,
                                         const Profile& profile, asio::ip::address source) {
  Stats& stats = journey.stats;
  const std::int64_t class_id = untaken_class(journey, teacher.school, profile);
  if (class_id == 0 || stats.morning_over) {
    co_return LessonSeat{};
  }
  stats.live_classes.insert(class_id);
  const Outgoing request =
      api_post("/api/live/rooms", profile.csrf, journey.server, class_body(class_id));
  const auto reply = co_await attempt(journey, agent, request, live_start);
  const auto body = reply && (reply->status == 200 || reply->status == 201)
                        ? json_object(reply->body)
                        : std::nullopt;
  const auto* room = body ? body->if_contains("room") : nullptr;
  if (room == nullptr || !room->is_object()) {
    co_return LessonSeat{nullptr, 0, true};
  }
  ++stats.live.rooms_started;
  const std::int64_t room_id = int_field(room->as_object(), "id");
  const JoinAnswer answer{string_field(room->as_object(), "url"), 0, false};
  const std::string cookie = agent.cookie_header();
  bool failed = false;
  auto socket = co_await open_socket(journey, source, answer, cookie, failed);
  const bool in = socket && co_await welcomed(journey, *socket);
  if (!in) {
    // The lesson runs (pupils may be in it): it is still ended at the end of the morning.
    co_return LessonSeat{nullptr, room_id, failed || !stats.morning_over};
  }
  co_return LessonSeat{std::move(socket), room_id, false};
}

asio::awaitable<void> stay_in_lesson(Journey& journey, LessonSeat seat) {
  Stats& stats = journey.stats;
  if (seat.room_id == 0) {
    asio::co_spawn(co_await asio::this_coro::executor, talk(stats, seat.socket, journey.random()),
                   asio::detached);
  }
  while (true) {
    const auto ec = co_await seat.socket->read();
    if (ec) {
      break;
    }
    ++stats.live.frames_received;
    if (seat.socket->text().starts_with(R"({"type":"chat")")) {
      if (const std::int64_t ticks = sent_at(seat.socket->text()); ticks > 0) {
        stats.live.chat_latency.record(Clock::now().time_since_epoch() - Clock::duration(ticks));
      }
    }
  }
  if (!stats.morning_over) {
    ++stats.live.dropped;
    stats.record_error(live_socket);
  }
}

asio::awaitable<void> end_lesson(Journey& journey, UserAgent& agent, const Profile& profile,
                                 std::int64_t room_id) {
  Outgoing request = api_post("/api/live/rooms/" + std::to_string(room_id), profile.csrf,
                              journey.server, std::string{});
  request.method = http::verb::delete_;
  request.content_type.clear();
  const auto reply = co_await attempt(journey, agent, request, live_end);
  (void)reply;
}

asio::awaitable<void> end_morning(Stats& stats) {
  co_await sleep_until(stats.morning_end);
  stats.morning_over = true;
  for (const auto& socket : stats.live_sockets) {
    socket->close();
  }
  stats.live_sockets.clear();
}

}  // namespace cartable::load
