// A live lesson: the members of one class in real time. A room is owned by one strand: every change
// of its state runs there, in order, so there is no lock; members' connections live on any I/O
// thread. A message is serialised once and the same buffer is queued to every recipient.
//
// Protocol (version 1, JSON text frames) in docs/live.md.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "live/board.hpp"
#include "live/coalescer.hpp"
#include "live/polls.hpp"
#include "live/slides.hpp"
#include "net/websocket.hpp"
#include "store/store.hpp"

namespace cartable::live {

struct Member {
  PersonRef person;
  Role role = Role::pupil;
  bool leads = false;  // the room's teacher (and other teachers of the class)
};

struct RoomInfo {
  std::int64_t id = 0;
  NamedRef school_class;
  Id school_id = 0;
  PersonRef teacher;
  std::int64_t started_at = 0;  // unix seconds
};

struct RoomLimits {
  std::size_t max_members = 60;      // connections per room
  std::size_t chat_history = 1'000;  // lines kept for late joiners and reconnections
  std::size_t max_chat_chars = 500;  // per line (UTF-8 code points)
  SlideLimits slides{};
  // The laser pointer: at most one position a frame interval goes out to the room (the newest),
  // and each connection has its own allowance for it, apart from the other messages'.
  std::chrono::milliseconds laser_interval{50};
  double laser_per_second = 30;
  double laser_burst = 30;
  // Whiteboard strokes: a drawer sends the piece drawn since the last one every frame (20 a second
  // from the web app), on an allowance of its own.
  double strokes_per_second = 30;
  double stroke_burst = 60;
};

// Called once, on the room's strand, when the lesson ends: who attended and for how long.
using AttendanceSink = std::function<void(const RoomInfo&, std::int64_t ended_at,
                                          std::vector<AttendanceRecord> attendance)>;

class Room : public std::enable_shared_from_this<Room> {
 public:
  // Without `decks`, slides cannot be shown (an `unavailable` error).
  Room(RoomInfo info, boost::asio::any_io_executor executor, RoomLimits limits, const Clock& clock,
       AttendanceSink attendance_sink, DeckResolver decks = {});

  const RoomInfo& info() const { return info_; }

  // All of these post to the room's strand and return at once.
  // A connection joins; it gets the room's state, with the chat lines after `after_seq`.
  void join(std::shared_ptr<net::WebSocketPeer> peer, Member member, std::uint64_t after_seq);
  void leave(const std::shared_ptr<net::WebSocketPeer>& peer);
  // A member's message (already parsed as a JSON object).
  void receive(const std::shared_ptr<net::WebSocketPeer>& peer, boost::json::object message);
  // The teacher ended the lesson: everyone is told and disconnected.
  void end();

  bool ended() const { return ended_flag_.load(std::memory_order_acquire); }

 private:
  struct Connection {
    std::shared_ptr<net::WebSocketPeer> peer;
    Member member;
  };
  struct ChatLine {
    std::uint64_t seq;
    boost::json::object json;
  };

  void broadcast(const boost::json::object& message);
  // To the teachers only (live poll counts).
  void send_to_leads(const boost::json::object& message);
  void send_to(const std::shared_ptr<net::WebSocketPeer>& peer, const boost::json::object& message);
  void error_to(const std::shared_ptr<net::WebSocketPeer>& peer, std::string_view code,
                std::string_view message);
  boost::json::object snapshot(std::uint64_t after_seq) const;
  boost::json::array members_json() const;
  boost::json::array hands_json() const;
  Connection* find(const std::shared_ptr<net::WebSocketPeer>& peer);
  std::size_t connections_of(std::int64_t user_id) const;

  void on_chat(Connection& from, const boost::json::object& message);
  void on_hand(Connection& from, const boost::json::object& message);
  void on_floor(Connection& from, const boost::json::object& message);
  void on_moderate(Connection& from, const boost::json::object& message);
  void on_board(Connection& from, std::string_view kind, const boost::json::object& message);
  // Attendance: a member's first connection opens a stretch of presence, their last one closes it.
  void arrived(const Member& member);
  void departed(std::int64_t user_id);
  void on_poll(Connection& from, std::string_view kind, const boost::json::object& message);
  // Slides, pages and the laser pointer (teachers only).
  void on_slides(Connection& from, std::string_view kind, const boost::json::object& message);
  void show_deck(Connection& from, const boost::json::object& message);
  // The Store's answer about a deck asked for by `request` (see deck_requests_).
  void on_deck(const std::shared_ptr<net::WebSocketPeer>& peer, std::uint64_t request,
               const DeckResult& result);

  RoomInfo info_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  RoomLimits limits_;
  // Strand-only state.
  std::vector<Connection> connections_;
  std::deque<ChatLine> chat_;
  std::uint64_t next_seq_ = 1;
  std::vector<std::int64_t> hands_;  // user ids, in the order hands went up
  std::int64_t floor_ = 0;           // who has the floor (0: nobody)
  std::set<std::int64_t> muted_;
  Board board_;
  Polls polls_;
  Slides slides_;
  DeckResolver decks_;
  // Numbers the slides messages: a deck checked in the Store is shown only if no later slides
  // message came meanwhile (the last one the teacher sent wins).
  std::uint64_t deck_requests_ = 0;
  Coalescer laser_;
  const Clock& clock_;
  AttendanceSink attendance_sink_;
  struct Presence {
    AttendanceRecord record;
    std::int64_t connected_since = 0;  // 0: not connected now
  };
  std::map<std::int64_t, Presence> presence_;
  bool ended_ = false;
  std::atomic<bool> ended_flag_{false};
};

}  // namespace cartable::live
