#include "live/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <sstream>

#include "common/civil_time.hpp"
#include "common/csv.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/content_disposition.hpp"
#include "http/json_body.hpp"
#include "school/json_views.hpp"
#include "school/relations.hpp"

namespace cartable::live {

namespace {

using boost::asio::awaitable;
using guard::Action;
using guard::SessionClaims;
using http::RequestContext;
using http::Response;
using http::Status;

Response no_lesson() {
  return http::error_response(Status::not_found, "not_live", "This class has no live lesson now.");
}

Response not_found() {
  return http::error_response(Status::not_found, "not_found", "No such class or live lesson.");
}

Response too_many_rooms() {
  return http::error_response(Status::conflict, "too_many_rooms",
                              "You already run as many live lessons as allowed; end one first.");
}

Response forbidden(std::string_view message) {
  return http::error_response(Status::forbidden, "forbidden", message);
}

std::string socket_url(std::int64_t room_id) {
  return "/api/live/rooms/" + std::to_string(room_id) + "/socket";
}

boost::json::object room_json(const Room& room) {
  const RoomInfo& info = room.info();
  return {{"id", info.id},
          {"class", to_json(info.school_class)},
          {"teacher", to_json(info.teacher)},
          {"started_at", info.started_at},
          {"url", socket_url(info.id)}};
}

// The body {"class_id": N} of the start and join routes; `error` holds the answer when invalid.
std::optional<Id> read_class_id(const RequestContext& context, Response& error) {
  const auto body = http::parse_json_object(context.request, error);
  if (!body) {
    return std::nullopt;
  }
  http::FieldErrors errors;
  const auto class_id = errors.id(*body, "class_id");
  if (!errors.empty()) {
    error = errors.response();
    return std::nullopt;
  }
  return class_id;
}

// Records a lesson's end and attendance. A free function: a spawned coroutine must not live in a
// lambda's frame that goes before it finishes.
awaitable<void> record_attendance(Database& database, Id lesson_id, std::int64_t ended_at,
                                  std::vector<AttendanceRecord> attendance) {
  auto write = [&](Store& store) { store.finish_live_lesson(lesson_id, ended_at, attendance); };
  try {
    co_await database.write(write);
  } catch (const std::exception& error) {
    spdlog::error("live lesson {}: attendance not recorded: {}", lesson_id, error.what());
  }
}

boost::json::object attendance_json(const LiveLessonRecord& lesson) {
  boost::json::array attendees;
  for (const AttendanceRecord& record : lesson.attendance) {
    attendees.push_back({{"person", to_json(record.person)},
                         {"role", role_name(record.role)},
                         {"first_joined_at", record.first_joined_at},
                         {"last_left_at", record.last_left_at},
                         {"seconds", record.seconds}});
  }
  return {{"id", lesson.id},
          {"class", to_json(lesson.school_class)},
          {"teacher", to_json(lesson.teacher)},
          {"started_at", lesson.started_at},
          {"ended_at", lesson.ended_at},
          {"attendees", std::move(attendees)}};
}

// What the store says about the actor and a class, read on the database pool.
struct ClassFacts {
  std::optional<guard::ClassRelation> relation;
  std::optional<ClassRecord> school_class;
  std::optional<UserRecord> user;
};

// One member's connection: parses and rate-limits its messages on its own I/O thread, and hands
// them to the room's strand.
class LiveConnection final : public net::WebSocketSession {
 public:
  LiveConnection(std::shared_ptr<Room> room, Member member, std::uint64_t after_seq,
                 const LiveOptions& options, std::atomic<std::int64_t>& connections)
      : room_(std::move(room)),
        member_(std::move(member)),
        after_seq_(after_seq),
        options_(options),
        connections_(connections),
        tokens_(options.message_burst),
        refilled_(std::chrono::steady_clock::now()) {}

  void on_open(std::shared_ptr<net::WebSocketPeer> peer) override {
    peer_ = std::move(peer);
    connections_.fetch_add(1, std::memory_order_relaxed);
    room_->join(peer_, member_, after_seq_);
  }

  void on_message(std::string_view text) override {
    if (!take_token()) {
      error("rate_limited", "Too many messages; slow down.");
      return;
    }
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(text, ec);
    if (ec || !parsed.is_object()) {
      error("bad_json", "Each message is one JSON object with a \"type\".");
      return;
    }
    room_->receive(peer_, std::move(parsed.as_object()));
  }

  void on_close() override {
    connections_.fetch_sub(1, std::memory_order_relaxed);
    if (peer_) {
      room_->leave(peer_);
    }
  }

 private:
  bool take_token() {
    const auto now = std::chrono::steady_clock::now();
    tokens_ = std::min(options_.message_burst,
                       tokens_ + std::chrono::duration<double>(now - refilled_).count() *
                                     options_.messages_per_second);
    refilled_ = now;
    if (tokens_ < 1) {
      return false;
    }
    tokens_ -= 1;
    return true;
  }

  void error(std::string_view code, std::string_view message) {
    peer_->send(std::make_shared<const std::string>(boost::json::serialize(
        boost::json::object{{"type", "error"}, {"code", code}, {"message", message}})));
  }

  std::shared_ptr<Room> room_;
  Member member_;
  std::uint64_t after_seq_;
  const LiveOptions& options_;
  std::atomic<std::int64_t>& connections_;
  std::shared_ptr<net::WebSocketPeer> peer_;
  double tokens_;
  std::chrono::steady_clock::time_point refilled_;
};

}  // namespace

LiveService::LiveService(Database& database, guard::Sessions& sessions, const Clock& clock,
                         LiveOptions options)
    : database_(database), sessions_(sessions), clock_(clock), options_(options) {}

void LiveService::set_executors(std::vector<boost::asio::any_io_executor> executors) {
  executors_ = std::move(executors);
}

std::shared_ptr<Room> LiveService::find(std::int64_t room_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = rooms_.find(room_id);
  return found == rooms_.end() || found->second->ended() ? nullptr : found->second;
}

std::size_t LiveService::running_of(Id teacher_id) const {
  const std::lock_guard lock(mutex_);
  return static_cast<std::size_t>(std::count_if(rooms_.begin(), rooms_.end(), [&](const auto& e) {
    return !e.second->ended() && e.second->info().teacher.id == teacher_id;
  }));
}

std::shared_ptr<Room> LiveService::live_room_of(Id class_id) const {
  const std::lock_guard lock(mutex_);
  for (const auto& [id, room] : rooms_) {
    if (room->info().school_class.id == class_id && !room->ended()) {
      return room;
    }
  }
  return nullptr;
}

void LiveService::add_routes(http::Router& router) {
  auto start = [this](RequestContext& context, const SessionClaims& actor) -> awaitable<Response> {
    Response error;
    const auto class_id = read_class_id(context, error);
    if (!class_id) {
      co_return error;
    }
    const Id wanted = *class_id;
    auto gather = [&](Store& store) {
      return ClassFacts{relation_to_class(store, actor, wanted, 0), store.school_class(wanted),
                        store.user(actor.user_id)};
    };
    const ClassFacts facts = co_await database_.read(gather);
    if (!facts.relation || !facts.user ||
        !guard::can(actor, Action::read_class_work, *facts.relation)) {
      co_return not_found();
    }
    if (!guard::can(actor, Action::run_live_class, *facts.relation)) {
      co_return forbidden("Only a teacher of this class starts its live lesson.");
    }
    if (auto existing = live_room_of(wanted)) {
      co_return http::json_response(Status::ok,
                                    boost::json::object{{"room", room_json(*existing)}});
    }
    if (running_of(actor.user_id) >= options_.rooms_per_teacher) {
      co_return too_many_rooms();
    }
    // The lesson's row numbers the room: ids stay unique across restarts and processes.
    const std::int64_t started_at = clock_.unix_seconds();
    auto record = [&](Store& store) {
      return store.create_live_lesson(wanted, actor.user_id, started_at);
    };
    const Id lesson_id = co_await database_.write(record);
    std::shared_ptr<Room> room;
    {
      const std::lock_guard lock(mutex_);
      std::erase_if(rooms_, [](const auto& entry) { return entry.second->ended(); });
      RoomInfo info{lesson_id,
                    {facts.school_class->id, facts.school_class->name},
                    facts.school_class->school_id,
                    {facts.user->id, facts.user->first_name, facts.user->last_name},
                    started_at};
      const auto executor = executors_.at(static_cast<std::size_t>(info.id) % executors_.size());
      room = std::make_shared<Room>(
          std::move(info), executor, options_.room, clock_,
          [this, executor](const RoomInfo& ended, std::int64_t ended_at,
                           std::vector<AttendanceRecord> attendance) {
            boost::asio::co_spawn(
                executor, record_attendance(database_, ended.id, ended_at, std::move(attendance)),
                boost::asio::detached);
          });
      rooms_.emplace(room->info().id, room);
    }
    co_return http::json_response(Status::created, boost::json::object{{"room", room_json(*room)}});
  };
  router.add({http::Verb::post, "/api/live/rooms", "live.start", 1024,
              guard::signed_in(sessions_, std::move(start))});

  auto join = [this](RequestContext& context, const SessionClaims& actor) -> awaitable<Response> {
    Response error;
    const auto class_id = read_class_id(context, error);
    if (!class_id) {
      co_return error;
    }
    const Id wanted = *class_id;
    auto relate = [&](Store& store) { return relation_to_class(store, actor, wanted, 0); };
    const auto relation = co_await database_.read(relate);
    if (!relation || !(guard::can(actor, Action::read_class_work, *relation) ||
                       guard::can(actor, Action::join_live_class, *relation))) {
      co_return not_found();
    }
    if (!guard::can(actor, Action::join_live_class, *relation)) {
      co_return forbidden("Live lessons are for the class's pupils and teachers.");
    }
    const auto room = live_room_of(wanted);
    if (!room) {
      co_return no_lesson();
    }
    co_return http::json_response(
        Status::ok,
        boost::json::object{
            {"room", room_json(*room)}, {"url", socket_url(room->info().id)}, {"delay_ms", 0}});
  };
  router.add({http::Verb::post, "/api/live/join", "live.join", 1024,
              guard::signed_in(sessions_, std::move(join))});

  auto end = [this](RequestContext& context, const SessionClaims& actor) -> awaitable<Response> {
    const auto room = find(context.ids[0]);
    if (!room) {
      co_return not_found();
    }
    const Id class_id = room->info().school_class.id;
    auto relate = [&](Store& store) { return relation_to_class(store, actor, class_id, 0); };
    const auto relation = co_await database_.read(relate);
    if (!relation || !guard::can(actor, Action::read_class_work, *relation)) {
      co_return not_found();
    }
    if (!guard::can(actor, Action::run_live_class, *relation)) {
      co_return forbidden("Only a teacher of this class ends its live lesson.");
    }
    room->end();
    co_return http::empty_response(Status::no_content);
  };
  router.add({http::Verb::delete_, "/api/live/rooms/{id}", "live.end", 0,
              guard::signed_in(sessions_, std::move(end))});

  auto attendance = [this](RequestContext& context,
                           const SessionClaims& actor) -> awaitable<Response> {
    bool malformed = false;
    const Id class_id = http::query_id(context.query, "class_id", malformed).value_or(0);
    if (class_id == 0) {
      http::FieldErrors errors;
      errors.add("class_id", "must be a positive integer");
      co_return errors.response();
    }
    auto answer = [&](Store& store) -> Response {
      const auto relation = relation_to_class(store, actor, class_id, 0);
      if (!relation || !guard::can(actor, Action::read_class_work, *relation)) {
        return not_found();
      }
      if (!guard::can(actor, Action::read_attendance, *relation)) {
        return forbidden("Attendance is for the class's teachers and the school's staff.");
      }
      boost::json::array lessons;
      for (const LiveLessonRecord& lesson : store.live_lessons(class_id, kAttendanceLessons)) {
        lessons.push_back(attendance_json(lesson));
      }
      return http::json_response(Status::ok, {{"lessons", std::move(lessons)}});
    };
    co_return co_await database_.read(answer);
  };
  router.add({http::Verb::get, "/api/live/attendance", "live.attendance", 0,
              guard::signed_in(sessions_, std::move(attendance))});

  auto export_csv = [this](RequestContext& context,
                           const SessionClaims& actor) -> awaitable<Response> {
    const Id lesson_id = context.ids[0];
    auto answer = [&](Store& store) -> Response {
      const auto lesson = store.live_lesson(lesson_id);
      const auto relation =
          lesson ? relation_to_class(store, actor, lesson->school_class.id, 0) : std::nullopt;
      if (!relation || !guard::can(actor, Action::read_class_work, *relation)) {
        return not_found();
      }
      if (!guard::can(actor, Action::read_attendance, *relation)) {
        return forbidden("Attendance is for the class's teachers and the school's staff.");
      }
      std::string csv = "\xEF\xBB\xBF" + csv_row({"Nom", "Prénom", "Rôle", "Arrivée (UTC)",
                                                  "Départ (UTC)", "Minutes"});
      for (const AttendanceRecord& record : lesson->attendance) {
        csv += csv_row({record.person.last_name, record.person.first_name,
                        std::string(role_name(record.role)),
                        format_utc_timestamp(record.first_joined_at),
                        format_utc_timestamp(record.last_left_at),
                        std::to_string((record.seconds + 30) / 60)});
      }
      Response response =
          http::text_response(Status::ok, std::move(csv), "text/csv; charset=utf-8");
      response.set(
          boost::beast::http::field::content_disposition,
          http::content_disposition(
              "attachment", "présence " + lesson->school_class.name + " " +
                                format_utc_timestamp(lesson->started_at).substr(0, 10) + ".csv"));
      return response;
    };
    co_return co_await database_.read(answer);
  };
  router.add({http::Verb::get, "/api/live/lessons/{id}/attendance.csv", "live.attendance_csv", 0,
              guard::signed_in(sessions_, std::move(export_csv))});
}

awaitable<net::HttpService::WebSocketAccept> LiveService::accept(RequestContext& context) {
  using Accept = net::HttpService::WebSocketAccept;
  const auto refuse = [](Response response) { return Accept{nullptr, std::move(response)}; };
  const auto actor = sessions_.authenticate(context.request);
  if (!actor) {
    co_return refuse(
        http::error_response(Status::unauthorized, "unauthenticated", "Sign in first."));
  }
  if (!guard::Sessions::same_origin(context.request)) {
    co_return refuse(http::error_response(Status::forbidden, "csrf",
                                          "This page may not open a live lesson here."));
  }
  const auto room = find(context.ids[0]);
  if (!room) {
    co_return refuse(no_lesson());
  }
  std::uint64_t after = 0;
  if (const auto param = context.query.find("after"); param != context.query.end()) {
    const std::string text = (*param).value;
    const auto [end, parse_error] = std::from_chars(text.data(), text.data() + text.size(), after);
    if (parse_error != std::errc{} || end != text.data() + text.size()) {
      co_return refuse(http::error_response(Status::bad_request, "invalid",
                                            "\"after\" is the last chat seq seen."));
    }
  }
  const Id class_id = room->info().school_class.id;
  const SessionClaims claims = *actor;
  auto gather = [&](Store& store) {
    return ClassFacts{relation_to_class(store, claims, class_id, 0), std::nullopt,
                      store.user(claims.user_id)};
  };
  const ClassFacts facts = co_await database_.read(gather);
  if (!facts.relation || !facts.user) {
    co_return refuse(not_found());
  }
  if (!guard::can(claims, Action::join_live_class, *facts.relation)) {
    co_return refuse(guard::can(claims, Action::read_class_work, *facts.relation)
                         ? forbidden("Live lessons are for the class's pupils and teachers.")
                         : not_found());
  }
  Member member{{facts.user->id, facts.user->first_name, facts.user->last_name},
                claims.role,
                guard::can(claims, Action::run_live_class, *facts.relation)};
  co_return Accept{
      std::make_shared<LiveConnection>(room, std::move(member), after, options_, connections_),
      std::nullopt};
}

std::string LiveService::render_metrics() const {
  std::size_t live = 0;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, room] : rooms_) {
      live += room->ended() ? 0 : 1;
    }
  }
  std::ostringstream out;
  out << "# HELP cartable_live_rooms Live lessons running.\n"
         "# TYPE cartable_live_rooms gauge\n"
      << "cartable_live_rooms " << live << "\n"
      << "# HELP cartable_live_connections WebSocket connections to live lessons.\n"
         "# TYPE cartable_live_connections gauge\n"
      << "cartable_live_connections " << connections_.load(std::memory_order_relaxed) << "\n";
  return out.str();
}

}  // namespace cartable::live
