#include "live/service.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <charconv>
#include <condition_variable>
#include <sstream>

#include "common/civil_time.hpp"
#include "common/csv.hpp"
#include "guard/policy.hpp"
#include "guard/signed_in.hpp"
#include "http/content_disposition.hpp"
#include "http/json_body.hpp"
#include "live/decks.hpp"
#include "live/message_budget.hpp"
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

// `owner`: the prefix that reaches the process running the room (--advertise-url), empty for one
// process.
std::string socket_url(std::string_view owner, std::int64_t room_id) {
  return std::string(owner) + "/api/live/rooms/" + std::to_string(room_id) + "/socket";
}

boost::json::object room_json(std::int64_t id, const NamedRef& school_class,
                              const PersonRef& teacher, std::int64_t started_at,
                              std::string_view owner) {
  return {{"id", id},
          {"class", to_json(school_class)},
          {"teacher", to_json(teacher)},
          {"started_at", started_at},
          {"url", socket_url(owner, id)}};
}

// A lesson another process runs, as the store knows it.
boost::json::object room_json(const LiveLessonRecord& lesson) {
  return room_json(lesson.id, lesson.school_class, lesson.teacher, lesson.started_at, lesson.owner);
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

void send_error(net::WebSocketPeer& peer, std::string_view code, std::string_view message) {
  peer.send(std::make_shared<const std::string>(boost::json::serialize(
      boost::json::object{{"type", "error"}, {"code", code}, {"message", message}})));
}

std::string lobby_url(std::string_view owner, Id class_id) {
  return std::string(owner) + "/api/live/classes/" + std::to_string(class_id) + "/lobby";
}

// A lobby opened by the timetable or by the teacher stays open this long after the lesson was due.
constexpr std::int64_t kLobbyKeptSeconds = 2 * 3600;
constexpr std::size_t kMaxLobbyMessageChars = 500;

// The lobby's optional "starts_at": when the lesson is due, in unix seconds (0 when not said).
std::int64_t read_starts_at(const boost::json::object& body, http::FieldErrors& errors) {
  const auto* value = body.if_contains("starts_at");
  if (!value || value->is_null()) {
    return 0;
  }
  constexpr std::int64_t kYear3000 = 32'503'680'000;
  if (!value->is_int64() || value->get_int64() < 0 || value->get_int64() >= kYear3000) {
    errors.add("starts_at", "must be a time in unix seconds, or null");
    return 0;
  }
  return value->get_int64();
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
        connections_(connections),
        budget_(options.messages_per_second, options.message_burst),
        laser_budget_(options.room.laser_per_second, options.room.laser_burst),
        stroke_budget_(options.room.strokes_per_second, options.room.stroke_burst) {}

  void on_open(std::shared_ptr<net::WebSocketPeer> peer) override {
    peer_ = std::move(peer);
    connections_.fetch_add(1, std::memory_order_relaxed);
    room_->join(peer_, member_, after_seq_);
  }

  void on_message(std::string_view text) override {
    // Parsed first (frames are size-bounded): the laser and the whiteboard are high-rate and have
    // their own allowances (docs/live.md).
    boost::system::error_code ec;
    boost::json::value parsed = boost::json::parse(text, ec);
    auto* message = ec ? nullptr : parsed.if_object();
    if (!budget_for(message).take()) {
      error("rate_limited", "Too many messages; slow down.");
      return;
    }
    if (message == nullptr) {
      error("bad_json", "Each message is one JSON object with a \"type\".");
      return;
    }
    room_->receive(peer_, std::move(*message));
  }

  void on_close() override {
    connections_.fetch_sub(1, std::memory_order_relaxed);
    if (peer_) {
      room_->leave(peer_);
    }
  }

 private:
  void error(std::string_view code, std::string_view message) { send_error(*peer_, code, message); }

  MessageBudget& budget_for(const boost::json::object* message) {
    const auto* type = message ? message->if_contains("type") : nullptr;
    if (type != nullptr && type->is_string()) {
      if (type->get_string() == "laser") {
        return laser_budget_;
      }
      if (type->get_string() == "stroke") {
        return stroke_budget_;
      }
    }
    return budget_;
  }

  std::shared_ptr<Room> room_;
  Member member_;
  std::uint64_t after_seq_;
  std::atomic<std::int64_t>& connections_;
  std::shared_ptr<net::WebSocketPeer> peer_;
  MessageBudget budget_;
  MessageBudget laser_budget_;
  MessageBudget stroke_budget_;
};

// A pupil waiting in a lobby: it only listens (and may ping) until the lesson starts.
class LobbyConnection final : public net::WebSocketSession {
 public:
  LobbyConnection(std::shared_ptr<Lobby> lobby, const LiveOptions& options)
      : lobby_(std::move(lobby)), budget_(options.messages_per_second, options.message_burst) {}

  void on_open(std::shared_ptr<net::WebSocketPeer> peer) override {
    peer_ = std::move(peer);
    if (!lobby_->enter(peer_)) {
      send_error(*peer_, "room_full", "The lobby is full.");
      peer_->close("lobby full");
    }
  }

  void on_message(std::string_view text) override {
    if (!budget_.take()) {
      send_error(*peer_, "rate_limited", "Too many messages; slow down.");
      return;
    }
    boost::system::error_code ec;
    const boost::json::value parsed = boost::json::parse(text, ec);
    const auto* message = ec ? nullptr : parsed.if_object();
    const auto* type = message ? message->if_contains("type") : nullptr;
    if (type && type->is_string() && type->get_string() == "ping") {
      peer_->send(std::make_shared<const std::string>(R"({"type":"pong"})"));
      return;
    }
    send_error(*peer_, message ? "unknown_type" : "bad_json",
               "The lobby only answers ping; the lesson has not started.");
  }

  void on_close() override {
    if (peer_) {
      lobby_->leave(peer_);
    }
  }

 private:
  std::shared_ptr<Lobby> lobby_;
  std::shared_ptr<net::WebSocketPeer> peer_;
  MessageBudget budget_;
};

}  // namespace

LiveService::LiveService(Database& database, guard::Sessions& sessions, const Clock& clock,
                         LiveOptions options)
    : database_(database),
      sessions_(sessions),
      clock_(clock),
      options_(options),
      pacer_(options.joins_per_second, options.join_burst) {}

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
  return live_room_locked(class_id);
}

std::shared_ptr<Room> LiveService::live_room_locked(Id class_id) const {
  for (const auto& [id, room] : rooms_) {
    if (room->info().school_class.id == class_id && !room->ended()) {
      return room;
    }
  }
  return nullptr;
}

std::shared_ptr<Lobby> LiveService::open_lobby(Id class_id) {
  const std::lock_guard lock(mutex_);
  const auto found = classes_.find(class_id);
  if (found == classes_.end() || found->second.expires_at <= clock_.unix_seconds()) {
    return nullptr;
  }
  // A lobby that let its class into a lesson since ended has nothing more to wait for.
  if (found->second.lobby->opened() && !live_room_locked(class_id)) {
    return nullptr;
  }
  return found->second.lobby;
}

LiveService::ClassLive& LiveService::class_live_locked(const NamedRef& school_class,
                                                       std::int64_t expires_at) {
  const std::int64_t now = clock_.unix_seconds();
  std::erase_if(classes_, [now](const auto& entry) { return entry.second.expires_at <= now; });
  ClassLive& entry = classes_[school_class.id];
  if (!entry.lobby || (entry.lobby->opened() && !live_room_locked(school_class.id))) {
    entry.lobby = std::make_shared<Lobby>(school_class, options_.lobby_capacity, pacer_);
  }
  entry.expires_at = std::max(entry.expires_at, expires_at);
  return entry;
}

void LiveService::prepare(Store& store, const NamedRef& school_class, std::int64_t starts_at) {
  remember_roster(school_class.id, store.class_pupils(school_class.id));
  std::shared_ptr<Lobby> lobby;
  {
    const std::lock_guard lock(mutex_);
    lobby = class_live_locked(school_class, starts_at + kLobbyKeptSeconds).lobby;
  }
  lobby->expect(starts_at);
  prepared_.fetch_add(1, std::memory_order_relaxed);
}

void LiveService::remember_roster(Id class_id, std::vector<PersonRef> pupils) {
  auto by_id = std::make_shared<Pupils>();
  for (PersonRef& pupil : pupils) {
    by_id->emplace(pupil.id, std::move(pupil));
  }
  const std::int64_t now = clock_.unix_seconds();
  const std::lock_guard lock(mutex_);
  std::erase_if(rosters_, [now](const auto& entry) { return entry.second.expires_at <= now; });
  rosters_[class_id] = Roster{std::move(by_id), now + kLobbyKeptSeconds};
}

std::shared_ptr<const LiveService::Pupils> LiveService::roster_of(Id class_id) const {
  const std::lock_guard lock(mutex_);
  const auto found = rosters_.find(class_id);
  if (found == rosters_.end() || found->second.expires_at <= clock_.unix_seconds()) {
    return nullptr;
  }
  return found->second.pupils;
}

awaitable<LiveService::Admission> LiveService::admit(const SessionClaims& actor, Id class_id) {
  if (actor.role == Role::pupil) {
    if (const auto pupils = roster_of(class_id)) {
      if (const auto pupil = pupils->find(actor.user_id); pupil != pupils->end()) {
        co_return Member{pupil->second, Role::pupil, false};
      }
    }
  }
  // A pupil of the class not known yet: the class's roster comes with the answer, and the next of
  // its pupils joins from memory.
  std::vector<PersonRef> roster;
  auto gather = [&](Store& store) {
    ClassFacts facts{relation_to_class(store, actor, class_id, 0), std::nullopt,
                     store.user(actor.user_id)};
    if (facts.relation && facts.relation->enrolled) {
      roster = store.class_pupils(class_id);
    }
    return facts;
  };
  const ClassFacts facts = co_await database_.read(gather);
  if (!facts.relation || !facts.user) {
    co_return not_found();
  }
  if (!roster.empty()) {
    remember_roster(class_id, std::move(roster));
  }
  if (!guard::can(actor, Action::join_live_class, *facts.relation)) {
    co_return guard::can(actor, Action::read_class_work, *facts.relation)
        ? forbidden("Live lessons are for the class's pupils and teachers.")
        : not_found();
  }
  co_return Member{{facts.user->id, facts.user->first_name, facts.user->last_name},
                   actor.role,
                   guard::can(actor, Action::run_live_class, *facts.relation)};
}

boost::json::object LiveService::local_room_json(const RoomInfo& info) const {
  return room_json(info.id, info.school_class, info.teacher, info.started_at, options_.advertise);
}

awaitable<std::optional<LiveLessonRecord>> LiveService::running_elsewhere(Id class_id) {
  if (options_.advertise.empty()) {
    co_return std::nullopt;  // one process: every lesson is here
  }
  auto find_running = [class_id](Store& store) { return store.running_live_lesson(class_id); };
  auto running = co_await database_.read(find_running);
  if (running && running->owner == options_.advertise) {
    running.reset();  // ours, just ended
  }
  co_return running;
}

void LiveService::end_abandoned() {
  const std::size_t ended =
      database_.store().end_abandoned_live_lessons(options_.advertise, clock_.unix_seconds());
  if (ended > 0) {
    spdlog::warn("{} live lessons left running by an earlier run were ended (no attendance)",
                 ended);
  }
}

void LiveService::watch_other_processes() {
  if (options_.advertise.empty()) {
    return;
  }
  watcher_ = std::jthread([this](std::stop_token stop) {
    std::mutex mutex;
    std::condition_variable_any wake;
    while (!stop.stop_requested()) {
      open_lobbies_of_lessons_elsewhere();
      std::unique_lock lock(mutex);
      wake.wait_for(lock, stop, kLobbyWatchInterval, [] { return false; });
    }
  });
}

void LiveService::open_lobbies_of_lessons_elsewhere() {
  std::vector<std::pair<Id, std::shared_ptr<Lobby>>> waiting;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [class_id, entry] : classes_) {
      if (!entry.lobby->opened() && entry.lobby->waiting() > 0) {
        waiting.emplace_back(class_id, entry.lobby);
      }
    }
  }
  for (const auto& [class_id, lobby] : waiting) {
    try {
      const auto running = database_.store().running_live_lesson(class_id);
      if (running && running->owner != options_.advertise) {
        lobby->open(room_json(*running));
      }
    } catch (const std::exception& error) {
      spdlog::warn("live lobbies: {}", error.what());
      return;
    }
  }
}

std::variant<SessionClaims, Response> LiveService::socket_actor(
    const RequestContext& context) const {
  const auto actor = sessions_.authenticate(context.request);
  if (!actor) {
    return http::error_response(Status::unauthorized, "unauthenticated", "Sign in first.");
  }
  if (!guard::Sessions::same_origin(context.request)) {
    return http::error_response(Status::forbidden, "csrf",
                                "This page may not open a live lesson here.");
  }
  return *actor;
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
      co_return http::json_response(
          Status::ok, boost::json::object{{"room", local_room_json(existing->info())}});
    }
    if (running_of(actor.user_id) >= options_.rooms_per_teacher) {
      co_return too_many_rooms();
    }
    // The lesson's row numbers the room: ids stay unique across restarts and processes. The store
    // keeps one running lesson per class: if another process has just started it, that one is
    // the class's lesson.
    const std::int64_t started_at = clock_.unix_seconds();
    struct Started {
      Id id = 0;
      std::optional<LiveLessonRecord> elsewhere;
    };
    auto record = [&](Store& store) {
      Started started{
          store.create_live_lesson(wanted, actor.user_id, started_at, options_.advertise),
          std::nullopt};
      if (started.id == 0) {
        started.elsewhere = store.running_live_lesson(wanted);
      }
      return started;
    };
    const Started started = co_await database_.write(record);
    if (started.id == 0) {
      if (!started.elsewhere) {
        co_return http::error_response(Status::conflict, "retry",
                                       "The lesson changed hands just now; try again.");
      }
      co_return http::json_response(Status::ok,
                                    boost::json::object{{"room", room_json(*started.elsewhere)}});
    }
    const Id lesson_id = started.id;
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
          },
          make_deck_resolver(database_, clock_, executor));
      rooms_.emplace(room->info().id, room);
      if (const auto waiting = classes_.find(wanted); waiting != classes_.end()) {
        waiting->second.lobby->open(local_room_json(room->info()));
      }
    }
    co_return http::json_response(Status::created,
                                  boost::json::object{{"room", local_room_json(room->info())}});
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
    const Admission admission = co_await admit(actor, wanted);
    if (const auto* refused = std::get_if<Response>(&admission)) {
      co_return *refused;
    }
    const auto delay = pacer_.next_delay(JoinPacer::Clock::now()).count();
    if (const auto room = live_room_of(wanted)) {
      co_return http::json_response(
          Status::ok, boost::json::object{{"room", local_room_json(room->info())},
                                          {"url", socket_url(options_.advertise, room->info().id)},
                                          {"delay_ms", delay}});
    }
    if (const auto elsewhere = co_await running_elsewhere(wanted)) {
      co_return http::json_response(
          Status::ok, boost::json::object{{"room", room_json(*elsewhere)},
                                          {"url", socket_url(elsewhere->owner, elsewhere->id)},
                                          {"delay_ms", delay}});
    }
    if (const auto lobby = open_lobby(wanted)) {
      co_return http::json_response(
          Status::ok, boost::json::object{{"lobby", lobby->state()},
                                          {"url", lobby_url(options_.advertise, wanted)},
                                          {"delay_ms", delay}});
    }
    co_return no_lesson();
  };
  router.add({http::Verb::post, "/api/live/join", "live.join", 1024,
              guard::signed_in(sessions_, std::move(join))});

  auto announce = [this](RequestContext& context,
                         const SessionClaims& actor) -> awaitable<Response> {
    Response error;
    const auto body = http::parse_json_object(context.request, error);
    if (!body) {
      co_return error;
    }
    http::FieldErrors errors;
    const auto message = errors.text(*body, "message", 0, kMaxLobbyMessageChars, true);
    const std::int64_t starts_at = read_starts_at(*body, errors);
    if (!errors.empty()) {
      co_return errors.response();
    }
    const Id class_id = context.ids[0];
    auto gather = [&](Store& store) {
      return ClassFacts{relation_to_class(store, actor, class_id, 0), store.school_class(class_id),
                        std::nullopt};
    };
    const ClassFacts facts = co_await database_.read(gather);
    if (!facts.relation || !facts.school_class ||
        !guard::can(actor, Action::read_class_work, *facts.relation)) {
      co_return not_found();
    }
    if (!guard::can(actor, Action::run_live_class, *facts.relation)) {
      co_return forbidden("Only a teacher of this class speaks to its lobby.");
    }
    std::shared_ptr<Lobby> lobby;
    {
      const std::lock_guard lock(mutex_);
      const std::int64_t due = std::max(starts_at, clock_.unix_seconds());
      lobby = class_live_locked({facts.school_class->id, facts.school_class->name},
                                due + kLobbyKeptSeconds)
                  .lobby;
    }
    lobby->announce(*message, starts_at);
    co_return http::json_response(
        Status::ok, boost::json::object{{"lobby", lobby->state()},
                                        {"url", lobby_url(options_.advertise, class_id)}});
  };
  router.add({http::Verb::put, "/api/live/classes/{id}/lobby", "live.lobby", 4096,
              guard::signed_in(sessions_, std::move(announce))});

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
  auto actor = socket_actor(context);
  if (auto* refused = std::get_if<Response>(&actor)) {
    co_return refuse(std::move(*refused));
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
  const SessionClaims claims = std::get<SessionClaims>(actor);
  Admission admission = co_await admit(claims, room->info().school_class.id);
  if (auto* refused = std::get_if<Response>(&admission)) {
    co_return refuse(std::move(*refused));
  }
  co_return Accept{std::make_shared<LiveConnection>(room, std::move(std::get<Member>(admission)),
                                                    after, options_, connections_),
                   std::nullopt};
}

awaitable<net::HttpService::WebSocketAccept> LiveService::accept_lobby(RequestContext& context) {
  using Accept = net::HttpService::WebSocketAccept;
  const auto refuse = [](Response response) { return Accept{nullptr, std::move(response)}; };
  auto actor = socket_actor(context);
  if (auto* refused = std::get_if<Response>(&actor)) {
    co_return refuse(std::move(*refused));
  }
  const Id class_id = context.ids[0];
  const SessionClaims claims = std::get<SessionClaims>(actor);
  Admission admission = co_await admit(claims, class_id);
  if (auto* refused = std::get_if<Response>(&admission)) {
    co_return refuse(std::move(*refused));
  }
  const auto lobby = open_lobby(class_id);
  if (!lobby) {
    co_return refuse(no_lesson());
  }
  co_return Accept{std::make_shared<LobbyConnection>(lobby, options_), std::nullopt};
}

std::string LiveService::render_metrics() const {
  std::size_t live = 0;
  std::size_t lobbies = 0;
  std::size_t waiting = 0;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [id, room] : rooms_) {
      live += room->ended() ? 0 : 1;
    }
    lobbies = classes_.size();
    for (const auto& [id, entry] : classes_) {
      waiting += entry.lobby->waiting();
    }
  }
  std::ostringstream out;
  out << "# HELP cartable_live_rooms Live lessons running.\n"
         "# TYPE cartable_live_rooms gauge\n"
      << "cartable_live_rooms " << live << "\n"
      << "# HELP cartable_live_connections WebSocket connections to live lessons.\n"
         "# TYPE cartable_live_connections gauge\n"
      << "cartable_live_connections " << connections_.load(std::memory_order_relaxed) << "\n"
      << "# HELP cartable_live_lobbies Classes whose lobby is open or whose lesson is prepared.\n"
         "# TYPE cartable_live_lobbies gauge\n"
      << "cartable_live_lobbies " << lobbies << "\n"
      << "# HELP cartable_live_lobby_waiting Pupils waiting in a lobby.\n"
         "# TYPE cartable_live_lobby_waiting gauge\n"
      << "cartable_live_lobby_waiting " << waiting << "\n"
      << "# HELP cartable_live_prepared_total Lessons prepared ahead from the timetable.\n"
         "# TYPE cartable_live_prepared_total counter\n"
      << "cartable_live_prepared_total " << prepared_.load(std::memory_order_relaxed) << "\n";
  return out.str();
}

}  // namespace cartable::live
