#include "live/room.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "common/text.hpp"
#include "school/json_views.hpp"

namespace cartable::live {

namespace {

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

net::SharedText serialise(const boost::json::object& message) {
  return std::make_shared<const std::string>(boost::json::serialize(message));
}

}  // namespace

Room::Room(RoomInfo info, boost::asio::any_io_executor executor, RoomLimits limits,
           const Clock& clock, AttendanceSink attendance_sink, DeckResolver decks)
    : info_(std::move(info)),
      strand_(boost::asio::make_strand(executor)),
      limits_(limits),
      slides_(limits.slides),
      decks_(std::move(decks)),
      laser_(strand_, limits.laser_interval,
             [this](const boost::json::object& message) { broadcast(message); }),
      clock_(clock),
      attendance_sink_(std::move(attendance_sink)) {}

void Room::arrived(const Member& member) {
  const std::int64_t now = clock_.unix_seconds();
  Presence& presence = presence_[member.person.id];
  if (presence.record.first_joined_at == 0) {
    presence.record.person = member.person;
    presence.record.role = member.role;
    presence.record.first_joined_at = now;
  }
  presence.connected_since = now;
}

void Room::departed(std::int64_t user_id) {
  const auto found = presence_.find(user_id);
  if (found == presence_.end() || found->second.connected_since == 0) {
    return;
  }
  const std::int64_t now = clock_.unix_seconds();
  found->second.record.seconds += now - found->second.connected_since;
  found->second.record.last_left_at = now;
  found->second.connected_since = 0;
}

void Room::join(std::shared_ptr<net::WebSocketPeer> peer, Member member, std::uint64_t after_seq) {
  boost::asio::post(strand_, [self = shared_from_this(), peer = std::move(peer),
                              member = std::move(member), after_seq]() mutable {
    if (self->ended_) {
      self->send_to(peer, {{"type", "ended"}});
      peer->close("lesson ended");
      return;
    }
    if (self->connections_.size() >= self->limits_.max_members) {
      self->error_to(peer, "room_full", "This live lesson is full.");
      peer->close("room full");
      return;
    }
    const bool first = self->connections_of(member.person.id) == 0;
    if (first) {
      self->arrived(member);
    }
    self->connections_.push_back({peer, member});
    boost::json::object welcome = self->snapshot(after_seq);
    welcome["you"] = {{"person", to_json(member.person)},
                      {"role", role_name(member.role)},
                      {"leads", member.leads}};
    welcome["board"] = self->board_.snapshot();
    welcome["polls"] = self->polls_.snapshot(member.leads, member.person.id);
    welcome["slides"] = self->slides_.snapshot();
    self->send_to(peer, welcome);
    if (first) {
      self->broadcast({{"type", "joined"},
                       {"member",
                        {{"person", to_json(member.person)},
                         {"role", role_name(member.role)},
                         {"leads", member.leads}}}});
    }
  });
}

void Room::leave(const std::shared_ptr<net::WebSocketPeer>& peer) {
  boost::asio::post(strand_, [self = shared_from_this(), peer] {
    auto& connections = self->connections_;
    const auto found = std::find_if(connections.begin(), connections.end(),
                                    [&](const Connection& c) { return c.peer == peer; });
    if (found == connections.end()) {
      return;
    }
    const std::int64_t user_id = found->member.person.id;
    connections.erase(found);
    if (self->connections_of(user_id) == 0 && !self->ended_) {
      self->departed(user_id);
      // Gone entirely: their raised hand goes down with them.
      std::erase(self->hands_, user_id);
      self->broadcast({{"type", "left"}, {"user_id", user_id}});
      self->broadcast({{"type", "hands"}, {"queue", self->hands_json()}});
    }
  });
}

void Room::end() {
  // Seen at once by the registry: the class can start a new lesson right away.
  ended_flag_.store(true, std::memory_order_release);
  boost::asio::post(strand_, [self = shared_from_this()] {
    if (self->ended_) {
      return;
    }
    self->ended_ = true;
    self->laser_.drop();
    std::vector<AttendanceRecord> attendance;
    for (auto& [user_id, presence] : self->presence_) {
      self->departed(user_id);
      attendance.push_back(presence.record);
    }
    if (self->attendance_sink_) {
      self->attendance_sink_(self->info_, self->clock_.unix_seconds(), std::move(attendance));
    }
    self->broadcast({{"type", "ended"}});
    for (Connection& connection : self->connections_) {
      connection.peer->close("lesson ended");
    }
    self->connections_.clear();
  });
}

void Room::receive(const std::shared_ptr<net::WebSocketPeer>& peer, boost::json::object message) {
  boost::asio::post(strand_, [self = shared_from_this(), peer, message = std::move(message)] {
    Connection* from = self->find(peer);
    if (from == nullptr || self->ended_) {
      return;
    }
    const auto* type = message.if_contains("type");
    const std::string_view kind =
        type != nullptr && type->is_string() ? std::string_view(type->as_string()) : "";
    if (kind == "chat") {
      self->on_chat(*from, message);
    } else if (kind == "hand") {
      self->on_hand(*from, message);
    } else if (kind == "floor") {
      self->on_floor(*from, message);
    } else if (kind == "mute" || kind == "unmute" || kind == "delete") {
      self->on_moderate(*from, message);
    } else if (kind == "stroke" || kind == "clear" || kind == "board_grant" ||
               kind == "board_revoke") {
      self->on_board(*from, kind, message);
    } else if (kind == "poll" || kind == "answer" || kind == "close_poll") {
      self->on_poll(*from, kind, message);
    } else if (kind == "slides" || kind == "page" || kind == "laser") {
      self->on_slides(*from, kind, message);
    } else if (kind == "ping") {
      self->send_to(peer, {{"type", "pong"}});
    } else {
      self->error_to(peer, "unknown_type",
                     "Unknown message type; expected chat, hand, floor, mute, unmute, delete, "
                     "stroke, clear, board_grant, board_revoke, poll, answer, close_poll, slides, "
                     "page, laser or ping.");
    }
  });
}

void Room::on_chat(Connection& from, const boost::json::object& message) {
  const auto* text = message.if_contains("text");
  if (text == nullptr || !text->is_string()) {
    error_to(from.peer, "invalid", "A chat message needs a \"text\" string.");
    return;
  }
  const std::string_view line = text->as_string();
  const std::size_t length = utf8_length(line);
  if (length == 0 || length > limits_.max_chat_chars || !is_clean_text(line, false) ||
      trim_whitespace(line).empty()) {
    error_to(from.peer, "invalid", "A chat line has 1 to 500 characters, on one line.");
    return;
  }
  if (muted_.contains(from.member.person.id)) {
    error_to(from.peer, "muted", "The teacher has muted you.");
    return;
  }
  boost::json::object entry{{"type", "chat"},
                            {"seq", next_seq_++},
                            {"from", to_json(from.member.person)},
                            {"text", line},
                            {"at_ms", unix_ms()}};
  broadcast(entry);
  chat_.push_back({entry.at("seq").as_uint64(), std::move(entry)});
  if (chat_.size() > limits_.chat_history) {
    chat_.pop_front();
  }
}

void Room::on_hand(Connection& from, const boost::json::object& message) {
  const auto* up = message.if_contains("up");
  if (up == nullptr || !up->is_bool()) {
    error_to(from.peer, "invalid", "A hand message needs \"up\": true or false.");
    return;
  }
  const std::int64_t user_id = from.member.person.id;
  const bool raised = std::find(hands_.begin(), hands_.end(), user_id) != hands_.end();
  if (up->as_bool() && !raised) {
    hands_.push_back(user_id);
  } else if (!up->as_bool() && raised) {
    std::erase(hands_, user_id);
  } else {
    return;  // nothing changes: nothing to tell
  }
  broadcast({{"type", "hands"}, {"queue", hands_json()}});
}

void Room::on_floor(Connection& from, const boost::json::object& message) {
  if (!from.member.leads) {
    error_to(from.peer, "forbidden", "Only the teacher gives the floor.");
    return;
  }
  const auto* user = message.if_contains("user_id");
  if (user == nullptr || !user->is_int64()) {
    error_to(from.peer, "invalid", "A floor message needs \"user_id\" (0 takes it back).");
    return;
  }
  floor_ = user->as_int64();
  // Given the floor, a raised hand comes down.
  std::erase(hands_, floor_);
  broadcast({{"type", "floor"}, {"user_id", floor_}});
  broadcast({{"type", "hands"}, {"queue", hands_json()}});
}

void Room::on_moderate(Connection& from, const boost::json::object& message) {
  if (!from.member.leads) {
    error_to(from.peer, "forbidden", "Only the teacher moderates the chat.");
    return;
  }
  const std::string_view kind = message.at("type").as_string();
  if (kind == "delete") {
    const auto* seq = message.if_contains("seq");
    if (seq == nullptr || !seq->is_int64() || seq->as_int64() <= 0) {
      error_to(from.peer, "invalid", "A delete message needs the line's \"seq\".");
      return;
    }
    const auto target = static_cast<std::uint64_t>(seq->as_int64());
    const auto erased =
        std::erase_if(chat_, [target](const ChatLine& l) { return l.seq == target; });
    if (erased > 0) {
      broadcast({{"type", "deleted"}, {"seq", target}});
    }
    return;
  }
  const auto* user = message.if_contains("user_id");
  if (user == nullptr || !user->is_int64()) {
    error_to(from.peer, "invalid", "A mute message needs \"user_id\".");
    return;
  }
  const bool mute = kind == "mute";
  if (mute) {
    muted_.insert(user->as_int64());
  } else {
    muted_.erase(user->as_int64());
  }
  broadcast({{"type", mute ? "muted" : "unmuted"}, {"user_id", user->as_int64()}});
}

void Room::on_board(Connection& from, std::string_view kind, const boost::json::object& message) {
  const std::int64_t user_id = from.member.person.id;
  if (kind == "board_grant" || kind == "board_revoke") {
    if (!from.member.leads) {
      error_to(from.peer, "forbidden", "Only the teacher hands out the board.");
      return;
    }
    const auto* user = message.if_contains("user_id");
    if (user == nullptr || !user->is_int64() || user->as_int64() <= 0) {
      error_to(from.peer, "invalid", "Granting the board needs \"user_id\".");
      return;
    }
    if (kind == "board_grant") {
      board_.grant(user->as_int64());
    } else {
      board_.revoke(user->as_int64());
    }
    broadcast({{"type", "drawers"}, {"user_ids", board_.drawers_json()}});
    return;
  }
  if (!board_.may_draw(user_id, from.member.leads)) {
    error_to(from.peer, "forbidden", "The teacher has not given you the board.");
    return;
  }
  if (kind == "clear") {
    board_.clear();
    broadcast({{"type", "clear"}, {"by", user_id}});
    return;
  }
  auto stroke = board_.add(message, user_id);
  if (const auto* refused = std::get_if<std::string>(&stroke)) {
    error_to(from.peer, "invalid", *refused);
    return;
  }
  broadcast(std::get<boost::json::object>(stroke));
}

void Room::on_poll(Connection& from, std::string_view kind, const boost::json::object& message) {
  if (kind == "answer") {
    auto answered = polls_.answer(message, from.member.person.id);
    if (const auto* refused = std::get_if<std::string>(&answered)) {
      error_to(from.peer, "invalid", *refused);
      return;
    }
    // The teacher watches the counts come in; the class sees them once the poll is closed.
    send_to_leads(polls_.results(std::get<std::uint64_t>(answered)));
    return;
  }
  if (!from.member.leads) {
    error_to(from.peer, "forbidden", "Only the teacher opens and closes polls.");
    return;
  }
  if (kind == "poll") {
    auto opened = polls_.open(message);
    if (const auto* refused = std::get_if<std::string>(&opened)) {
      error_to(from.peer, "invalid", *refused);
      return;
    }
    broadcast(std::get<boost::json::object>(opened));
    return;
  }
  auto closed = polls_.close(message);
  if (const auto* refused = std::get_if<std::string>(&closed)) {
    error_to(from.peer, "invalid", *refused);
    return;
  }
  broadcast(polls_.results(std::get<std::uint64_t>(closed)));
}

void Room::on_slides(Connection& from, std::string_view kind, const boost::json::object& message) {
  if (!from.member.leads) {
    error_to(from.peer, "forbidden", "Only the teacher shows slides and points at them.");
    return;
  }
  if (kind == "slides") {
    show_deck(from, message);
    return;
  }
  if (kind == "page") {
    auto turned = slides_.turn(message);
    if (const auto* refused = std::get_if<std::string>(&turned)) {
      error_to(from.peer, "invalid", *refused);
      return;
    }
    broadcast(std::get<boost::json::object>(turned));
    return;
  }
  if (!slides_.shown()) {
    error_to(from.peer, "invalid", "No slides are shown: the laser points at a deck.");
    return;
  }
  auto laser = parse_laser(message, slides_.limits());
  if (const auto* refused = std::get_if<std::string>(&laser)) {
    error_to(from.peer, "invalid", *refused);
    return;
  }
  laser_.push(std::move(std::get<boost::json::object>(laser)), shared_from_this());
}

void Room::show_deck(Connection& from, const boost::json::object& message) {
  auto parsed = parse_slides(message);
  if (const auto* refused = std::get_if<std::string>(&parsed)) {
    error_to(from.peer, "invalid", *refused);
    return;
  }
  const auto file_id = std::get<std::optional<std::int64_t>>(parsed);
  if (file_id && !decks_) {
    error_to(from.peer, "unavailable", "Slides cannot be shown on this server.");
    return;
  }
  const std::uint64_t request = ++deck_requests_;
  if (!file_id) {
    slides_.hide();
    laser_.drop();
    broadcast(slides_.message());
    return;
  }
  // Checked and recorded in the Store, off the strand; the answer comes back to it.
  decks_(info_.id, from.member.person.id, *file_id,
         [self = shared_from_this(), peer = from.peer, request](DeckResult result) {
           boost::asio::post(self->strand_, [self, peer, request, result = std::move(result)] {
             self->on_deck(peer, request, result);
           });
         });
}

void Room::on_deck(const std::shared_ptr<net::WebSocketPeer>& peer, std::uint64_t request,
                   const DeckResult& result) {
  if (ended_) {
    return;
  }
  if (const auto* refused = std::get_if<DeckRefusal>(&result)) {
    error_to(peer, refused->code, refused->message);
    return;
  }
  if (request != deck_requests_) {
    return;  // the teacher has since shown another deck or hidden it
  }
  slides_.show(std::get<Deck>(result));
  laser_.drop();
  broadcast(slides_.message());
}

boost::json::object Room::snapshot(std::uint64_t after_seq) const {
  boost::json::array chat;
  for (const ChatLine& line : chat_) {
    if (line.seq > after_seq) {
      chat.push_back(line.json);
    }
  }
  boost::json::array muted;
  for (const std::int64_t user : muted_) {
    muted.push_back(user);
  }
  return {{"type", "welcome"},
          {"protocol", 1},
          {"room",
           {{"id", info_.id},
            {"class", to_json(info_.school_class)},
            {"teacher", to_json(info_.teacher)},
            {"started_at", info_.started_at}}},
          {"members", members_json()},
          {"hands", hands_json()},
          {"floor", floor_},
          {"muted", std::move(muted)},
          {"chat", std::move(chat)},
          // The next line will carry this seq: a client that reconnects asks for what follows the
          // last one it saw, and gets neither duplicates nor gaps (within the kept history).
          {"next_seq", next_seq_}};
}

boost::json::array Room::members_json() const {
  boost::json::array members;
  std::set<std::int64_t> seen;
  for (const Connection& connection : connections_) {
    if (seen.insert(connection.member.person.id).second) {
      members.push_back({{"person", to_json(connection.member.person)},
                         {"role", role_name(connection.member.role)},
                         {"leads", connection.member.leads}});
    }
  }
  return members;
}

boost::json::array Room::hands_json() const {
  boost::json::array queue;
  for (const std::int64_t user : hands_) {
    queue.push_back(user);
  }
  return queue;
}

void Room::broadcast(const boost::json::object& message) {
  const net::SharedText text = serialise(message);
  for (const Connection& connection : connections_) {
    connection.peer->send(text);
  }
}

void Room::send_to_leads(const boost::json::object& message) {
  const net::SharedText text = serialise(message);
  for (const Connection& connection : connections_) {
    if (connection.member.leads) {
      connection.peer->send(text);
    }
  }
}

void Room::send_to(const std::shared_ptr<net::WebSocketPeer>& peer,
                   const boost::json::object& message) {
  peer->send(serialise(message));
}

void Room::error_to(const std::shared_ptr<net::WebSocketPeer>& peer, std::string_view code,
                    std::string_view message) {
  send_to(peer, {{"type", "error"}, {"code", code}, {"message", message}});
}

Room::Connection* Room::find(const std::shared_ptr<net::WebSocketPeer>& peer) {
  for (Connection& connection : connections_) {
    if (connection.peer == peer) {
      return &connection;
    }
  }
  return nullptr;
}

std::size_t Room::connections_of(std::int64_t user_id) const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [user_id](const Connection& c) { return c.member.person.id == user_id; }));
}

}  // namespace cartable::live
