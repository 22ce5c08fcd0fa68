// Live lessons against the real server: who may start, join and end one; the WebSocket protocol
// (welcome snapshot, chat, hands, floor, moderation), bad frames, reconnection without loss or
// duplicates, and the origin check.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "live_socket.hpp"
#include "test_server.hpp"

namespace cartable::testing {
namespace {

namespace asio = boost::asio;
namespace beast_http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

class Live : public LiveSuite {
 protected:
  static void SetUpTestSuite() { launch({}); }
};

TEST_F(Live, OnlyTheClassJoinsAndOnlyItsTeacherRunsIt) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const Client stranger = server().sign_in(pupil_of(lead.class_name, false));

  // Not started yet: nobody can join.
  Reply join =
      server().request(beast_http::verb::post, "/api/live/join", body(lead.class_id), &pupil);
  EXPECT_EQ(join.status, 404);
  EXPECT_EQ(join.json().at("error").at("code"), "not_live");
  // A pupil cannot start one.
  EXPECT_EQ(server()
                .request(beast_http::verb::post, "/api/live/rooms", body(lead.class_id), &pupil)
                .status,
            403);
  const std::int64_t room = start(lead);
  // Starting again finds the same lesson.
  EXPECT_EQ(start(lead), room);

  join = server().request(beast_http::verb::post, "/api/live/join", body(lead.class_id), &pupil);
  ASSERT_EQ(join.status, 200);
  EXPECT_EQ(join.json().at("url").as_string(), socket_of(room));
  EXPECT_EQ(server()
                .request(beast_http::verb::post, "/api/live/join", body(lead.class_id), &stranger)
                .status,
            404);
  EXPECT_EQ(server().request(beast_http::verb::post, "/api/live/join", body(lead.class_id)).status,
            401);
  EXPECT_EQ(server()
                .request(beast_http::verb::post, "/api/live/join", R"({"class_id":"x"})", &pupil)
                .status,
            400);

  int status = 0;
  Socket outsider(server(), socket_of(room), stranger.cookie, status);
  EXPECT_EQ(status, 404) << "a pupil of another class cannot even see it";
  Socket anonymous(server(), socket_of(room), "", status);
  EXPECT_EQ(status, 401);
  Socket hijack(server(), socket_of(room), pupil.cookie, status, "https://evil.example");
  EXPECT_EQ(status, 403) << "another site's page cannot open the lesson with the pupil's cookie";

  EXPECT_EQ(
      server()
          .request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {}, &pupil)
          .status,
      403);
  EXPECT_EQ(server()
                .request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {},
                         &lead.client)
                .status,
            204);
  EXPECT_EQ(server()
                .request(beast_http::verb::post, "/api/live/join", body(lead.class_id), &pupil)
                .status,
            404);
}

TEST_F(Live, ChatHandsAndFloorReachEveryoneInOrder) {
  const Teacher lead = teacher();
  const Account& pupil_account = pupil_of(lead.class_name, true);
  const Client pupil = server().sign_in(pupil_account);
  const std::int64_t room = start(lead);
  int status = 0;
  Socket teacher_socket(server(), socket_of(room), lead.client.cookie, status);
  ASSERT_EQ(status, 0);
  Socket pupil_socket(server(), socket_of(room), pupil.cookie, status);
  ASSERT_EQ(status, 0);
  const auto welcome = pupil_socket.next("welcome");
  ASSERT_FALSE(welcome.empty());
  EXPECT_EQ(welcome.at("protocol").as_int64(), 1);
  EXPECT_EQ(welcome.at("room").at("id").as_int64(), room);
  EXPECT_FALSE(welcome.at("you").at("leads").as_bool());
  const std::int64_t pupil_id = welcome.at("you").at("person").at("id").as_int64();
  ASSERT_TRUE(teacher_socket.next("welcome").at("you").at("leads").as_bool());
  // The teacher hears of the pupil's arrival (after their own).
  boost::json::object joined;
  do {
    joined = teacher_socket.next("joined");
  } while (!joined.empty() && joined.at("member").at("person").at("id").as_int64() != pupil_id);
  ASSERT_FALSE(joined.empty());

  pupil_socket.send({{"type", "chat"}, {"text", "Bonjour madame"}});
  const auto seen_by_teacher = teacher_socket.next("chat");
  const auto seen_by_pupil = pupil_socket.next("chat");
  ASSERT_FALSE(seen_by_teacher.empty());
  EXPECT_EQ(seen_by_teacher.at("text").as_string(), "Bonjour madame");
  EXPECT_EQ(seen_by_teacher.at("seq"), seen_by_pupil.at("seq"));

  pupil_socket.send({{"type", "hand"}, {"up", true}});
  const auto hands = teacher_socket.next("hands");
  ASSERT_EQ(hands.at("queue").as_array().size(), 1u);
  EXPECT_EQ(hands.at("queue").at(0).as_int64(), pupil_id);
  teacher_socket.send({{"type", "floor"}, {"user_id", pupil_id}});
  EXPECT_EQ(pupil_socket.next("floor").at("user_id").as_int64(), pupil_id);
  EXPECT_TRUE(pupil_socket.next("hands").at("queue").as_array().empty());

  // Moderation: the teacher mutes the pupil, whose next line is refused.
  teacher_socket.send({{"type", "mute"}, {"user_id", pupil_id}});
  EXPECT_FALSE(pupil_socket.next("muted").empty());
  pupil_socket.send({{"type", "chat"}, {"text", "encore"}});
  EXPECT_EQ(pupil_socket.next("error").at("code").as_string(), "muted");

  server().request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {},
                   &lead.client);
  EXPECT_FALSE(pupil_socket.next("ended").empty());
}

TEST_F(Live, TheBoardIsTheTeachersUntilGrantedAndLateJoinersGetIt) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const std::int64_t room = start(lead);
  int status = 0;
  Socket teacher_socket(server(), socket_of(room), lead.client.cookie, status);
  Socket pupil_socket(server(), socket_of(room), pupil.cookie, status);
  ASSERT_EQ(status, 0);
  teacher_socket.next("welcome");
  const std::int64_t pupil_id =
      pupil_socket.next("welcome").at("you").at("person").at("id").as_int64();

  const boost::json::object stroke{
      {"type", "stroke"},
      {"tool", "pen"},
      {"color", "#1a73e8"},
      {"width", 8},
      {"points", boost::json::array{boost::json::array{10, 20}, boost::json::array{300, 400}}}};
  pupil_socket.send(stroke);
  EXPECT_EQ(pupil_socket.next("error").at("code").as_string(), "forbidden");
  teacher_socket.send(stroke);
  const auto drawn = pupil_socket.next("stroke");
  ASSERT_FALSE(drawn.empty());
  EXPECT_EQ(drawn.at("color").as_string(), "#1a73e8");
  EXPECT_EQ(drawn.at("points").as_array().size(), 2u);

  // Bad strokes change nothing.
  for (const boost::json::object& bad :
       {boost::json::object{{"type", "stroke"},
                            {"tool", "brush"},
                            {"width", 2},
                            {"points", boost::json::array{boost::json::array{1, 1}}}},
        boost::json::object{{"type", "stroke"},
                            {"tool", "pen"},
                            {"color", "red"},
                            {"width", 2},
                            {"points", boost::json::array{boost::json::array{1, 1}}}},
        boost::json::object{{"type", "stroke"},
                            {"tool", "eraser"},
                            {"width", 2},
                            {"points", boost::json::array{boost::json::array{1, 20000}}}},
        boost::json::object{{"type", "stroke"},
                            {"tool", "eraser"},
                            {"width", 0},
                            {"points", boost::json::array{boost::json::array{1, 1}}}}}) {
    teacher_socket.send(bad);
    EXPECT_EQ(teacher_socket.next("error").at("code").as_string(), "invalid");
  }

  teacher_socket.send({{"type", "board_grant"}, {"user_id", pupil_id}});
  EXPECT_EQ(pupil_socket.next("drawers").at("user_ids").at(0).as_int64(), pupil_id);
  pupil_socket.send(stroke);
  EXPECT_EQ(teacher_socket.next("stroke").at("by").as_int64(), pupil_id);

  // A late joiner gets the board as it stands: two strokes.
  const Client late = server().sign_in(pupil_of(lead.class_name, true));
  Socket late_socket(server(), socket_of(room), late.cookie, status);
  const auto welcome = late_socket.next("welcome");
  EXPECT_EQ(welcome.at("board").at("strokes").as_array().size(), 2u);
  teacher_socket.send({{"type", "clear"}});
  EXPECT_FALSE(late_socket.next("clear").empty());
}

TEST_F(Live, APollsCountsGoToTheTeacherThenEveryoneOnClosing) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const std::int64_t room = start(lead);
  int status = 0;
  Socket teacher_socket(server(), socket_of(room), lead.client.cookie, status);
  Socket pupil_socket(server(), socket_of(room), pupil.cookie, status);
  ASSERT_EQ(status, 0);
  teacher_socket.next("welcome");
  pupil_socket.next("welcome");

  pupil_socket.send({{"type", "poll"}, {"question", "?"}, {"choices", {"a", "b"}}});
  EXPECT_EQ(pupil_socket.next("error").at("code").as_string(), "forbidden");
  teacher_socket.send(
      {{"type", "poll"}, {"question", "Combien font 7 × 8 ?"}, {"choices", {"54", "56", "58"}}});
  const auto poll = pupil_socket.next("poll");
  ASSERT_FALSE(poll.empty());
  const std::int64_t id = poll.at("id").as_int64();
  teacher_socket.send({{"type", "poll"}, {"question", "Une seule ?"}, {"choices", {"oui"}}});
  EXPECT_EQ(teacher_socket.next("error").at("code").as_string(), "invalid");

  pupil_socket.send({{"type", "answer"}, {"poll", id}, {"choice", 7}});
  EXPECT_EQ(pupil_socket.next("error").at("code").as_string(), "invalid");
  pupil_socket.send({{"type", "answer"}, {"poll", id}, {"choice", 1}});
  const auto live_counts = teacher_socket.next("poll_results");
  EXPECT_EQ(live_counts.at("counts").at(1).as_int64(), 1);
  EXPECT_FALSE(live_counts.at("closed").as_bool());

  teacher_socket.send({{"type", "close_poll"}, {"poll", id}});
  const auto final_results = pupil_socket.next("poll_results");
  ASSERT_FALSE(final_results.empty());
  EXPECT_TRUE(final_results.at("closed").as_bool());
  EXPECT_EQ(final_results.at("answers").as_int64(), 1);
  pupil_socket.send({{"type", "answer"}, {"poll", id}, {"choice", 0}});
  EXPECT_EQ(pupil_socket.next("error").at("code").as_string(), "invalid");

  // Kept for whoever comes back: the poll, its results and one's own answer.
  Socket again(server(), socket_of(room), pupil.cookie, status);
  const auto polls = again.next("welcome").at("polls").as_array();
  ASSERT_EQ(polls.size(), 1u);
  EXPECT_EQ(polls[0].at("you").as_int64(), 1);
  EXPECT_EQ(polls[0].at("results").at("counts").at(1).as_int64(), 1);
}

TEST_F(Live, AttendanceIsKeptForTheTeacherAndExportable) {
  const Teacher lead = teacher();
  const Account& pupil_account = pupil_of(lead.class_name, true);
  const Client pupil = server().sign_in(pupil_account);
  const std::int64_t room = start(lead);
  int status = 0;
  {
    Socket pupil_socket(server(), socket_of(room), pupil.cookie, status);
    ASSERT_EQ(status, 0);
    pupil_socket.next("welcome");
  }
  ASSERT_EQ(server()
                .request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {},
                         &lead.client)
                .status,
            204);
  const std::string path = "/api/live/attendance?class_id=" + std::to_string(lead.class_id);
  // The end is recorded off the request path: wait for it.
  boost::json::value lessons;
  for (int attempt = 0; attempt < 50; ++attempt) {
    lessons = server().request(beast_http::verb::get, path, {}, &lead.client).json().at("lessons");
    if (!lessons.as_array().empty() && lessons.at(0).at("id").as_int64() == room &&
        lessons.at(0).at("ended_at").as_int64() != 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto& lesson = lessons.at(0);
  ASSERT_EQ(lesson.at("id").as_int64(), room);
  bool pupil_attended = false;
  for (const auto& attendee : lesson.at("attendees").as_array()) {
    pupil_attended |= attendee.at("role").as_string() == "pupil";
  }
  EXPECT_TRUE(pupil_attended);
  EXPECT_EQ(server().request(beast_http::verb::get, path, {}, &pupil).status, 403);
  const Client outsider = server().sign_in(pupil_of(lead.class_name, false));
  EXPECT_EQ(server().request(beast_http::verb::get, path, {}, &outsider).status, 404);
  const Reply csv = server().request(
      beast_http::verb::get, "/api/live/lessons/" + std::to_string(room) + "/attendance.csv", {},
      &lead.client);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.message.body().find(",pupil,"), std::string::npos);
  EXPECT_EQ(server()
                .request(beast_http::verb::get, "/api/live/attendance?class_id=x", {}, &lead.client)
                .status,
            400);
}

TEST_F(Live, EndedLessonsLeaveNoConnectionBehind) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const std::int64_t room = start(lead);
  int status = 0;
  {
    Socket teacher_socket(server(), socket_of(room), lead.client.cookie, status);
    Socket pupil_socket(server(), socket_of(room), pupil.cookie, status);
    ASSERT_EQ(status, 0);
    pupil_socket.next("welcome");
    server().request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {},
                     &lead.client);
    EXPECT_FALSE(pupil_socket.next("ended").empty());
  }
  // Once the clients are gone, only the request asking is open (a leaked connection would also
  // hold a drain for its whole timeout).
  double open = 0;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::string metrics = server().request(beast_http::verb::get, "/metrics").message.body();
    const std::size_t at = metrics.find("\ncartable_connections_open ");
    open = std::stod(metrics.substr(at + 27));
    if (open == 1) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(open, 1);
}

TEST_F(Live, BadFramesGetAnErrorAndChangeNothing) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const std::int64_t room = start(lead);
  int status = 0;
  Socket socket(server(), socket_of(room), pupil.cookie, status);
  ASSERT_EQ(status, 0);
  const auto before = socket.next("welcome").at("next_seq").to_number<std::uint64_t>();
  socket.send_text("not json");
  EXPECT_EQ(socket.next("error").at("code").as_string(), "bad_json");
  socket.send_text("[1,2]");
  EXPECT_EQ(socket.next("error").at("code").as_string(), "bad_json");
  socket.send({{"type", "chat"}, {"text", ""}});
  EXPECT_EQ(socket.next("error").at("code").as_string(), "invalid");
  socket.send({{"type", "chat"}, {"text", std::string(501, 'a')}});
  EXPECT_EQ(socket.next("error").at("code").as_string(), "invalid");
  socket.send({{"type", "chat"}, {"text", "a\nb"}});
  EXPECT_EQ(socket.next("error").at("code").as_string(), "invalid");
  socket.send({{"type", "floor"}, {"user_id", 1}});
  EXPECT_EQ(socket.next("error").at("code").as_string(), "forbidden");
  socket.send({{"type", "teleport"}});
  EXPECT_EQ(socket.next("error").at("code").as_string(), "unknown_type");
  socket.close();

  Socket again(server(), socket_of(room), pupil.cookie, status);
  EXPECT_EQ(again.next("welcome").at("next_seq").to_number<std::uint64_t>(), before)
      << "no line was added";
  server().request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {},
                   &lead.client);
}

TEST_F(Live, AReconnectionGetsWhatItMissedOnce) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const std::int64_t room = start(lead);
  int status = 0;
  Socket teacher_socket(server(), socket_of(room), lead.client.cookie, status);
  std::uint64_t last_seen = 0;
  {
    Socket pupil_socket(server(), socket_of(room), pupil.cookie, status);
    pupil_socket.next("welcome");
    teacher_socket.send({{"type", "chat"}, {"text", "un"}});
    last_seen = pupil_socket.next("chat").at("seq").to_number<std::uint64_t>();
    pupil_socket.close();
  }
  teacher_socket.send({{"type", "chat"}, {"text", "deux"}});
  teacher_socket.send({{"type", "chat"}, {"text", "trois"}});
  teacher_socket.next("chat");
  teacher_socket.next("chat");
  teacher_socket.next("chat");
  Socket back(server(), socket_of(room) + "?after=" + std::to_string(last_seen), pupil.cookie,
              status);
  ASSERT_EQ(status, 0);
  const auto chat = back.next("welcome").at("chat").as_array();
  ASSERT_EQ(chat.size(), 2u);
  EXPECT_EQ(chat[0].at("text").as_string(), "deux");
  EXPECT_EQ(chat[1].at("text").as_string(), "trois");
  EXPECT_EQ(chat[0].at("seq").to_number<std::uint64_t>(), last_seen + 1);
  Socket bad(server(), socket_of(room) + "?after=x", pupil.cookie, status);
  EXPECT_EQ(status, 400);
  server().request(beast_http::verb::delete_, "/api/live/rooms/" + std::to_string(room), {},
                   &lead.client);
}

}  // namespace
}  // namespace cartable::testing
