// Live lessons: a teacher starts one for a class, the class's pupils (and its teachers, and the
// school's staff) join it over a WebSocket, the teacher ends it. Routes:
//   POST   /api/live/rooms              {"class_id"}  start (or find) the class's live lesson
//   POST   /api/live/join               {"class_id"}  where to connect, and when (the lesson, or
//                                                     its lobby before it starts)
//   PUT    /api/live/classes/{id}/lobby {"message","starts_at"}  the teacher's word to the lobby
//   GET    /api/live/classes/{id}/lobby (WebSocket)   wait there until the lesson starts
//   DELETE /api/live/rooms/{id}                       end it
//   GET    /api/live/rooms/{id}/socket  (WebSocket)   the lesson itself; ?after=SEQ on reconnect
//   GET    /api/live/attendance?class_id=N            who attended the class's lessons
//   GET    /api/live/lessons/{id}/attendance.csv      one lesson's attendance, for a spreadsheet
// The join answer names the socket URL of the process that owns the room, so rooms can be spread
// over processes (and machines) with no fan-out between them, and a paced delay before connecting.
// Before each start of lessons the timetable prepares the lessons of the classes that have one:
// their lobby opens and their pupils are known in memory, so a join storm reads no database.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
#include "live/join_pacer.hpp"
#include "live/lobby.hpp"
#include "live/room.hpp"
#include "net/http_service.hpp"
#include "store/database.hpp"

namespace cartable::live {

// Lessons listed by GET /api/live/attendance, newest first.
constexpr std::size_t kAttendanceLessons = 50;

struct LiveOptions {
  RoomLimits room;
  std::size_t rooms_per_teacher = 3;  // live lessons one teacher may run at once
  double messages_per_second = 5;     // per connection; beyond: an error frame, message dropped
  double message_burst = 20;
  double joins_per_second = 2000;  // paced joins (0: unpaced)
  double join_burst = 200;         // joins let through at once after a quiet spell
  std::size_t lobby_capacity = 100;
  // How clients reach this process's sockets when a region runs several: prepended to socket URLs
  // ("wss://live2.example" or a path a proxy routes, "/p/2"); empty for a single process.
  std::string advertise;
};

// How often the lobbies of a process look for lessons started on another process.
constexpr std::chrono::seconds kLobbyWatchInterval{2};

class LiveService {
 public:
  LiveService(Database& database, guard::Sessions& sessions, const Clock& clock,
              LiveOptions options);

  void add_routes(http::Router& router);
  // The I/O threads' executors: rooms are spread over them (call before serving).
  void set_executors(std::vector<boost::asio::any_io_executor> executors);
  // The WebSocket upgrade of /api/live/rooms/{id}/socket.
  boost::asio::awaitable<net::HttpService::WebSocketAccept> accept(http::RequestContext& context);
  // The WebSocket upgrade of /api/live/classes/{id}/lobby.
  boost::asio::awaitable<net::HttpService::WebSocketAccept> accept_lobby(
      http::RequestContext& context);
  // The class has a lesson starting at `starts_at` (unix seconds): open its lobby and learn its
  // pupils. Called from the timetable's pre-warming thread, which may read the store directly.
  void prepare(Store& store, const NamedRef& school_class, std::int64_t starts_at);
  // At start-up, before serving: the lessons this process left running when it stopped without
  // ending them (a crash) are ended.
  void end_abandoned();
  // With several processes: lobbies here learn of lessons started on another process (a thread
  // that asks the store every kLobbyWatchInterval while pupils wait).
  void watch_other_processes();
  std::string render_metrics() const;

 private:
  // What is known of a class's next or current lesson, before and while it runs.
  struct ClassLive {
    std::shared_ptr<Lobby> lobby;
    std::int64_t expires_at = 0;  // unix seconds
  };
  // A class's pupils by id, learnt from the timetable (prepare) or at the first join of one of
  // them, so that the others join without a database read; forgotten after kLobbyKeptSeconds.
  using Pupils = std::unordered_map<Id, PersonRef>;
  struct Roster {
    std::shared_ptr<const Pupils> pupils;
    std::int64_t expires_at = 0;  // unix seconds
  };
  using Admission = std::variant<Member, http::Response>;

  boost::json::object local_room_json(const RoomInfo& info) const;
  // The class's lesson when another process runs it.
  boost::asio::awaitable<std::optional<LiveLessonRecord>> running_elsewhere(Id class_id);
  void open_lobbies_of_lessons_elsewhere();
  std::shared_ptr<Room> find(std::int64_t room_id) const;
  std::shared_ptr<Room> live_room_of(Id class_id) const;
  std::shared_ptr<Room> live_room_locked(Id class_id) const;
  // The class's lobby if pupils may wait there now (not once its lesson started and ended).
  std::shared_ptr<Lobby> open_lobby(Id class_id);
  ClassLive& class_live_locked(const NamedRef& school_class, std::int64_t expires_at);
  void remember_roster(Id class_id, std::vector<PersonRef> pupils);
  std::shared_ptr<const Pupils> roster_of(Id class_id) const;
  // Who `actor` is in the class's live lesson (its lobby and its room), or the refusal: from the
  // class's roster when it is known, else from the store (which then teaches the roster).
  boost::asio::awaitable<Admission> admit(const guard::SessionClaims& actor, Id class_id);
  // The upgrade's common checks: signed in, same origin. The session, or the refusal.
  std::variant<guard::SessionClaims, http::Response> socket_actor(
      const http::RequestContext& context) const;
  // Live lessons the teacher runs now.
  std::size_t running_of(Id teacher_id) const;

  Database& database_;
  guard::Sessions& sessions_;
  const Clock& clock_;
  LiveOptions options_;
  std::vector<boost::asio::any_io_executor> executors_;

  JoinPacer pacer_;

  mutable std::mutex mutex_;
  std::map<std::int64_t, std::shared_ptr<Room>> rooms_;  // by id, live ones
  std::map<Id, ClassLive> classes_;                      // by class id
  std::unordered_map<Id, Roster> rosters_;               // by class id
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::uint64_t> prepared_{0};
  std::jthread watcher_;  // last: stopped and joined before the rest goes
};

}  // namespace cartable::live
