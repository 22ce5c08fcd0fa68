#include "live_worker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <random>

#include "live_protocol.hpp"
#include "sleep.hpp"
#include "user_agent.hpp"
#include "ws_client.hpp"

namespace cartable::load {

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Stroke numbers ride in the first point's coordinates (0..10,000 each), so a pupil knows which
// stroke it received even when the server dropped or batched some.
constexpr std::int64_t kCoordinates = 10'001;
constexpr std::size_t kMembersPerAddress = 500;  // far under the server's per-address cap

struct RoomState {
  const PlannedRoom* plan = nullptr;
  const Target* server = nullptr;
  bool started = false;
  std::int64_t room_id = 0;
  std::vector<Clock::time_point> sent_at;  // by stroke number: when it was due
  std::unique_ptr<UserAgent> teacher;      // kept to end the room
  std::string teacher_csrf;
};

struct Worker {
  const LiveRunOptions& options;
  const LiveSchedule& schedule;
  LiveWorkerStats& stats;
  int index = 0;
  std::vector<std::unique_ptr<RoomState>> rooms;
  std::vector<std::shared_ptr<WsClient>> sockets;  // closed at the end
  std::mt19937_64 random;
  bool stopping = false;
  bool reported_failure = false;  // the first failure is printed, to say why

  LiveSecond& second() {
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - schedule.start).count();
    return stats.timeline[std::min<std::size_t>(
        static_cast<std::size_t>(std::max<long>(0, elapsed)), kLiveMaxSeconds - 1)];
  }
  void report_failure(const std::string& what) {
    if (!reported_failure) {
      reported_failure = true;
      std::fprintf(stderr, "\ncartable-load live (worker %d): %s\n", index, what.c_str());
    }
  }
};

// 127.(10+worker).x.y: the server sees at most kMembersPerAddress members per address, and each
// address has its own ephemeral ports.
asio::ip::address source_address(int worker, std::size_t member) {
  const std::size_t slot = member / kMembersPerAddress;
  return asio::ip::address_v4(asio::ip::address_v4::bytes_type{
      127, static_cast<unsigned char>(10 + worker), static_cast<unsigned char>(slot / 250),
      static_cast<unsigned char>(1 + slot % 250)});
}

// GET /api/me with the session: the CSRF token the API wants (empty on failure).
asio::awaitable<std::string> csrf_token(UserAgent& agent) {
  Outgoing request;
  request.path = "/api/me";
  const Reply reply = co_await agent.send(request, milliseconds(30'000));
  if (!reply.answered || reply.status != 200) {
    co_return std::string{};
  }
  const auto me = json_object(reply.body);
  co_return me ? string_field(*me, "csrf_token") : std::string{};
}

std::string stroke_message(std::uint64_t number, std::mt19937_64& random) {
  const auto k = static_cast<std::int64_t>(number);
  std::string text =
      "{\"type\":\"stroke\",\"tool\":\"pen\",\"color\":\"#1d4e89\",\"width\":3,"
      "\"points\":[[" +
      std::to_string(k % kCoordinates) + "," + std::to_string(k / kCoordinates) + "]";
  // The rest of a short pen move, as a browser samples it.
  std::int64_t x = static_cast<std::int64_t>(random() % 9000),
               y = static_cast<std::int64_t>(random() % 9000);
  for (int i = 0; i < 7; ++i) {
    x += 40;
    y += 25;
    text += ",[" + std::to_string(x) + "," + std::to_string(y) + "]";
  }
  return text + "]}";
}

std::int64_t number_at(std::string_view text, std::size_t at) {
  std::int64_t value = -1;
  std::from_chars(text.data() + at, text.data() + text.size(), value);
  return value;
}

// One frame from the server, read without parsing the JSON: the server writes "type" first.
void on_frame(Worker& worker, RoomState& room, bool teacher, std::string_view text) {
  LiveWorkerStats& stats = worker.stats;
  LiveSecond& second = worker.second();
  ++stats.frames;
  ++second.frames;
  const auto now = Clock::now();
  if (text.starts_with("{\"type\":\"stroke")) {
    // One stroke, or several if the server batches them: every "points" names its stroke.
    constexpr std::string_view kPoints = "\"points\":[[";
    for (auto at = text.find(kPoints); at != std::string_view::npos;
         at = text.find(kPoints, at + kPoints.size())) {
      const std::size_t x_at = at + kPoints.size();
      const std::int64_t x = number_at(text, x_at);
      const std::size_t comma = text.find(',', x_at);
      const std::int64_t y = comma == std::string_view::npos ? -1 : number_at(text, comma + 1);
      const std::int64_t number = x + y * kCoordinates;
      if (teacher || x < 0 || y < 0 || number >= static_cast<std::int64_t>(room.sent_at.size())) {
        continue;
      }
      const auto latency = now - room.sent_at[static_cast<std::size_t>(number)];
      stats.fanout.record(latency);
      second.fanout.record(latency);
      ++stats.strokes_received;
      ++second.strokes_received;
    }
  } else if (text.starts_with("{\"type\":\"chat\"")) {
    constexpr std::string_view kText = "\"text\":\"t=";
    const auto at = text.find(kText);
    if (at != std::string_view::npos) {
      const std::int64_t sent = number_at(text, at + kText.size());
      if (sent > 0) {
        stats.chat_fanout.record(now.time_since_epoch() - Clock::duration(sent));
        ++stats.chats_received;
        ++second.chats_received;
      }
    }
  } else if (text.starts_with("{\"type\":\"error\"")) {
    ++stats.error_frames;
    if (text.find("rate_limited") != std::string_view::npos) {
      ++(teacher ? stats.strokes_refused : stats.chats_refused);
    }
  }
}

// Sends `message(due)` every `period_s` seconds from a random moment of the first period after the
// lesson starts until it ends, then `sent()`. Each message is due at a set time, so a writer that
// falls behind shows in the latency measured from it.
asio::awaitable<void> send_every(Worker& worker, std::shared_ptr<WsClient> socket, double period_s,
                                 std::function<std::string(Clock::time_point)> message,
                                 std::function<void()> sent) {
  const auto period =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period_s));
  auto due =
      worker.schedule.active + Clock::duration(static_cast<Clock::rep>(
                                   worker.random() % static_cast<std::uint64_t>(period.count())));
  while (!worker.stopping && due < worker.schedule.end) {
    co_await sleep_until(due);
    if (worker.stopping) {
      break;
    }
    const std::string text = message(due);
    const auto ec = co_await socket->write(text);
    if (ec) {
      break;
    }
    sent();
    due += period;
  }
}

// The teacher's strokes, at --strokes-per-second; each numbered, and counted from when it was due.
asio::awaitable<void> draw(Worker& worker, RoomState& room, std::shared_ptr<WsClient> socket) {
  return send_every(
      worker, std::move(socket), 1.0 / worker.options.strokes_per_second,
      [&worker, &room](Clock::time_point due) {
        room.sent_at.push_back(due);
        return stroke_message(room.sent_at.size() - 1, worker.random);
      },
      [&worker] {
        ++worker.stats.strokes_sent;
        ++worker.second().strokes_sent;
      });
}

// A pupil's chat lines, one every 60/--chat-per-minute seconds.
asio::awaitable<void> chat(Worker& worker, std::shared_ptr<WsClient> socket) {
  return send_every(
      worker, std::move(socket), 60.0 / worker.options.chat_per_minute,
      [](Clock::time_point) { return chat_message(); },
      [&worker] {
        ++worker.stats.chats_sent;
        ++worker.second().chats_sent;
      });
}

asio::awaitable<void> start_room(Worker& worker, RoomState& room, asio::ip::address source,
                                 Clock::time_point at) {
  co_await sleep_until(at);
  room.teacher =
      std::make_unique<UserAgent>(co_await asio::this_coro::executor, source, *room.server);
  room.teacher->set_cookie("cartable_session", room.plan->teacher->session);
  room.teacher_csrf = co_await csrf_token(*room.teacher);
  const Outgoing request =
      api_post("/api/live/rooms", room.teacher_csrf, *room.server, class_body(room.plan->class_id));
  const Reply reply = co_await room.teacher->send(request, milliseconds(30'000));
  const auto body = reply.answered ? json_object(reply.body) : std::nullopt;
  const auto* started = body ? body->if_contains("room") : nullptr;
  if ((reply.status == 200 || reply.status == 201) && started != nullptr && started->is_object()) {
    room.started = true;
    room.room_id = int_field(started->as_object(), "id");
    ++worker.stats.rooms_started;
  } else {
    ++worker.stats.rooms_failed;
    worker.report_failure("starting the room of class " + std::to_string(room.plan->class_id) +
                          " as " + room.plan->teacher->login + ": " +
                          (reply.answered ? std::to_string(reply.status) + " " + reply.body
                                          : std::string("no answer")));
  }
}

// POST /api/live/join until the lesson runs (its teacher may not have started it yet).
asio::awaitable<std::optional<JoinAnswer>> ask_to_join(Worker& worker, RoomState& room,
                                                       UserAgent& agent, const std::string& csrf,
                                                       const std::string& login) {
  const Outgoing request =
      api_post("/api/live/join", csrf, *room.server, class_body(room.plan->class_id));
  const auto give_up = std::max(Clock::now(), worker.schedule.ramp) + std::chrono::seconds(20);
  while (!worker.stopping) {
    const auto sent = Clock::now();
    const Reply reply = co_await agent.send(request, milliseconds(30'000));
    if (reply.answered && reply.status == 200) {
      worker.stats.join_answer.record(Clock::now() - sent);
      auto answer = join_answer(reply.body);
      if (!answer) {
        break;
      }
      co_return answer;
    }
    if (!(reply.answered && reply.status == 404 && Clock::now() < give_up)) {
      worker.report_failure("joining class " + std::to_string(room.plan->class_id) + " as " +
                            login + ": " +
                            (reply.answered ? std::to_string(reply.status) + " " + reply.body
                                            : std::string("no answer")));
      break;
    }
    co_await sleep_until(Clock::now() + milliseconds(250));
  }
  co_return std::nullopt;
}

// Opens the socket at `url` after `delay_ms`; nullptr (counted) when it fails.
asio::awaitable<std::shared_ptr<WsClient>> open_socket(Worker& worker, RoomState& room,
                                                       asio::ip::address source,
                                                       const JoinAnswer& answer,
                                                       const std::string& cookie) {
  if (answer.delay_ms > 0) {
    ++worker.stats.paced;
    worker.stats.delay.record(milliseconds(answer.delay_ms));
    co_await sleep_until(Clock::now() + milliseconds(answer.delay_ms));
  }
  const auto target = socket_target(*room.server, answer.url);
  if (worker.stopping || !target) {
    if (!target) {
      worker.report_failure("unusable socket url: " + answer.url);
    }
    ++worker.stats.connect_failed;
    co_return nullptr;
  }
  auto socket = std::make_shared<WsClient>(co_await asio::this_coro::executor);
  worker.sockets.push_back(socket);
  const auto began = Clock::now();
  const auto ec = co_await socket->connect(source, *target, target->path, cookie);
  if (ec) {
    ++worker.stats.connect_failed;
    worker.report_failure("connecting to " + answer.url + ": " + ec.message() + " (status " +
                          std::to_string(socket->refused_status()) + ")");
    co_return nullptr;
  }
  worker.stats.connect.record(Clock::now() - began);
  co_return socket;
}

asio::awaitable<void> run_member(Worker& worker, RoomState& room, const Account& account,
                                 bool teacher, asio::ip::address source, Clock::time_point at) {
  co_await sleep_until(at);
  LiveWorkerStats& stats = worker.stats;
  const auto join_started = Clock::now();
  auto agent =
      std::make_unique<UserAgent>(co_await asio::this_coro::executor, source, *room.server);
  agent->set_cookie("cartable_session", account.session);
  const std::string csrf = co_await csrf_token(*agent);
  std::optional<JoinAnswer> answer;
  if (!csrf.empty()) {
    answer = co_await ask_to_join(worker, room, *agent, csrf, account.login);
  } else {
    worker.report_failure("GET /api/me as " + account.login + " failed");
  }
  const std::string cookie = agent->cookie_header();
  agent.reset();  // the page's HTTP connection is not kept beside the socket
  if (!answer) {
    ++stats.join_failed;
    co_return;
  }
  auto socket = co_await open_socket(worker, room, source, *answer, cookie);
  if (socket && answer->lobby) {
    ++stats.lobby;
    answer = co_await wait_in_lobby(*socket);
    socket->close();
    socket = nullptr;
    if (answer) {
      socket = co_await open_socket(worker, room, source, *answer, cookie);
    } else {
      ++stats.join_failed;
      co_return;
    }
  }
  if (!socket) {
    co_return;
  }
  const auto first = co_await socket->read();
  if (first || !is_welcome(socket->text())) {
    ++stats.connect_failed;
    worker.report_failure("first frame for " + account.login + ": " +
                          (first ? first.message() : std::string(socket->text().substr(0, 200))));
    co_return;
  }
  stats.first_message.record(Clock::now() - join_started);
  ++stats.welcomed;
  ++stats.connected;
  ++worker.second().welcomed;
  auto executor = co_await asio::this_coro::executor;
  if (teacher && room.plan->drawing) {
    asio::co_spawn(executor, draw(worker, room, socket), asio::detached);
  } else if (!teacher && !worker.options.join_storm && worker.options.chat_per_minute > 0) {
    asio::co_spawn(executor, chat(worker, socket), asio::detached);
  }
  while (true) {
    const auto ec = co_await socket->read();
    if (ec) {
      break;
    }
    on_frame(worker, room, teacher, socket->text());
  }
  --stats.connected;
  if (!worker.stopping) {
    ++stats.dropped;
    worker.report_failure("the server closed the socket of " + account.login);
  }
}

asio::awaitable<void> end_room(RoomState& room) {
  Outgoing request;
  request.method = http::verb::delete_;
  request.path = "/api/live/rooms/" + std::to_string(room.room_id);
  request.headers["X-CSRF-Token"] = room.teacher_csrf;
  request.headers["Origin"] = "http://" + room.server->host;
  co_await room.teacher->send(request, milliseconds(10'000));
}

// At the end: every socket closes, then the teachers end their rooms.
asio::awaitable<void> finish(Worker& worker) {
  co_await sleep_until(worker.schedule.end);
  worker.stopping = true;
  for (const auto& socket : worker.sockets) {
    socket->close();
  }
  auto executor = co_await asio::this_coro::executor;
  for (const auto& room : worker.rooms) {
    if (room->started) {
      asio::co_spawn(executor, end_room(*room), asio::detached);
    }
  }
}

}  // namespace

void run_live_worker(const LiveRunOptions& options, const std::vector<Target>& servers,
                     const std::vector<const PlannedRoom*>& rooms, const LiveSchedule& schedule,
                     int worker_index, LiveWorkerStats& stats) {
  asio::io_context context(1);
  Worker worker{options,
                schedule,
                stats,
                worker_index,
                {},
                {},
                std::mt19937_64(options.seed * 1000 + static_cast<std::uint64_t>(worker_index))};
  const double setup_s = std::chrono::duration<double>(schedule.ramp - schedule.start).count();
  const double ramp_s = std::chrono::duration<double>(schedule.idle - schedule.ramp).count();
  std::uniform_real_distribution<double> setup_time(0, setup_s), ramp_time(0, ramp_s);
  const auto at = [](Clock::time_point from, double seconds) {
    return from +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  std::size_t member = 0;
  for (const PlannedRoom* plan : rooms) {
    auto room = std::make_unique<RoomState>();
    room->plan = plan;
    room->server = &servers[plan->server];
    asio::co_spawn(context,
                   start_room(worker, *room, source_address(worker_index, member),
                              at(schedule.start, setup_time(worker.random))),
                   asio::detached);
    // The teacher joins like the pupils (and is counted among the room's members).
    asio::co_spawn(
        context,
        run_member(worker, *room, *plan->teacher, true, source_address(worker_index, member++),
                   at(schedule.ramp, ramp_time(worker.random))),
        asio::detached);
    for (const Account* pupil : plan->pupils) {
      asio::co_spawn(
          context,
          run_member(worker, *room, *pupil, false, source_address(worker_index, member++),
                     at(schedule.ramp, ramp_time(worker.random))),
          asio::detached);
    }
    worker.rooms.push_back(std::move(room));
  }
  stats.members = member;
  asio::co_spawn(context, finish(worker), asio::detached);
  context.run_until(schedule.end + std::chrono::seconds(20));
  context.stop();
  worker.sockets.clear();
}

}  // namespace cartable::load
