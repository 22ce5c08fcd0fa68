// Live lessons: a teacher starts one for a class, the class's pupils (and its teachers, and the
// school's staff) join it over a WebSocket, the teacher ends it. Routes:
//   POST   /api/live/rooms              {"class_id"}  start (or find) the class's live lesson
//   POST   /api/live/join               {"class_id"}  where to connect, and when
//   DELETE /api/live/rooms/{id}                       end it
//   GET    /api/live/rooms/{id}/socket  (WebSocket)   the lesson itself; ?after=SEQ on reconnect
//   GET    /api/live/attendance?class_id=N            who attended the class's lessons
//   GET    /api/live/lessons/{id}/attendance.csv      one lesson's attendance, for a spreadsheet
// The join answer names the socket URL of the process that owns the room, so rooms can be spread
// over processes (and machines) with no fan-out between them.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "common/clock.hpp"
#include "guard/sessions.hpp"
#include "http/router.hpp"
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
};

class LiveService {
 public:
  LiveService(Database& database, guard::Sessions& sessions, const Clock& clock,
              LiveOptions options);

  void add_routes(http::Router& router);
  // The I/O threads' executors: rooms are spread over them (call before serving).
  void set_executors(std::vector<boost::asio::any_io_executor> executors);
  // The WebSocket upgrade of /api/live/rooms/{id}/socket.
  boost::asio::awaitable<net::HttpService::WebSocketAccept> accept(http::RequestContext& context);
  std::string render_metrics() const;

 private:
  struct Decision;
  std::shared_ptr<Room> find(std::int64_t room_id) const;
  std::shared_ptr<Room> live_room_of(Id class_id) const;
  // Live lessons the teacher runs now.
  std::size_t running_of(Id teacher_id) const;

  Database& database_;
  guard::Sessions& sessions_;
  const Clock& clock_;
  LiveOptions options_;
  std::vector<boost::asio::any_io_executor> executors_;

  mutable std::mutex mutex_;
  std::map<std::int64_t, std::shared_ptr<Room>> rooms_;  // by id, live ones
  std::atomic<std::int64_t> connections_{0};
};

}  // namespace cartable::live
