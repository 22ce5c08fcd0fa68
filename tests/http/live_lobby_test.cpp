// Before and at the start of a live lesson: the lobby where pupils wait for their teacher (opened
// by the teacher's word or ahead from the timetable), the move from the lobby into the lesson, and
// paced joins (each joiner told how long to wait before connecting).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "live_socket.hpp"
#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;
using namespace std::chrono_literals;

std::string lobby_of(std::int64_t class_id) {
  return "/api/live/classes/" + std::to_string(class_id) + "/lobby";
}

std::string words(std::string_view message, std::int64_t starts_at) {
  return boost::json::serialize(
      boost::json::object{{"message", message}, {"starts_at", starts_at}});
}

class Lobby : public LiveSuite {
 protected:
  static void SetUpTestSuite() { launch({}); }
};

TEST_F(Lobby, PupilsWaitForTheTeacherAndAreSentIntoTheLesson) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  // No lesson and no lobby: nothing to join yet.
  EXPECT_EQ(server().request(verb::post, "/api/live/join", body(lead.class_id), &pupil).status,
            404);
  int status = 0;
  Socket too_early(server(), lobby_of(lead.class_id), pupil.cookie, status);
  EXPECT_EQ(status, 404);

  const Reply opened = server().request(verb::put, lobby_of(lead.class_id),
                                        words("On commence à 10 h.", 1795417200), &lead.client);
  ASSERT_EQ(opened.status, 200) << opened.message.body();
  const Reply joined = server().request(verb::post, "/api/live/join", body(lead.class_id), &pupil);
  ASSERT_EQ(joined.status, 200) << joined.message.body();
  const auto answer = joined.json();
  EXPECT_EQ(answer.at("lobby").at("message").as_string(), "On commence à 10 h.");
  EXPECT_EQ(answer.at("lobby").at("starts_at").as_int64(), 1795417200);
  EXPECT_EQ(answer.at("url").as_string(), lobby_of(lead.class_id));
  EXPECT_FALSE(answer.as_object().contains("room"));

  Socket waiting(server(), lobby_of(lead.class_id), pupil.cookie, status);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(waiting.next("lobby").at("message").as_string(), "On commence à 10 h.");
  waiting.send({{"type", "ping"}});
  EXPECT_FALSE(waiting.next("pong").empty());
  waiting.send({{"type", "chat"}, {"text", "allô ?"}});
  EXPECT_EQ(waiting.next("error").at("code").as_string(), "unknown_type");

  // The teacher's new word reaches the waiting class.
  ASSERT_EQ(server()
                .request(verb::put, lobby_of(lead.class_id), words("Cinq minutes de retard.", 0),
                         &lead.client)
                .status,
            200);
  const auto update = waiting.next("lobby");
  EXPECT_EQ(update.at("message").as_string(), "Cinq minutes de retard.");
  EXPECT_TRUE(update.at("starts_at").is_null());

  // The lesson starts: the pupil is told where to go, and goes.
  const std::int64_t room = start(lead);
  const auto started = waiting.next("started");
  ASSERT_FALSE(started.empty());
  EXPECT_EQ(started.at("url").as_string(), socket_of(room));
  EXPECT_EQ(started.at("room").at("id").as_int64(), room);
  EXPECT_GE(started.at("delay_ms").as_int64(), 0);
  Socket in_lesson(server(), socket_of(room), pupil.cookie, status);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(in_lesson.next("welcome").at("room").at("id").as_int64(), room);

  // Once the lesson is over, its lobby is gone with it.
  ASSERT_EQ(server()
                .request(verb::delete_, "/api/live/rooms/" + std::to_string(room), {}, &lead.client)
                .status,
            204);
  EXPECT_EQ(server().request(verb::post, "/api/live/join", body(lead.class_id), &pupil).status,
            404);
}

TEST_F(Lobby, OnlyTheClassWaitsAndOnlyItsTeacherSpeaks) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  const Client stranger = server().sign_in(pupil_of(lead.class_name, false));
  ASSERT_EQ(server().request(verb::put, lobby_of(lead.class_id), words("", 0), &lead.client).status,
            200);
  int status = 0;
  Socket outsider(server(), lobby_of(lead.class_id), stranger.cookie, status);
  EXPECT_EQ(status, 404);
  Socket anonymous(server(), lobby_of(lead.class_id), "", status);
  EXPECT_EQ(status, 401);
  Socket hijack(server(), lobby_of(lead.class_id), pupil.cookie, status, "https://evil.example");
  EXPECT_EQ(status, 403);
  EXPECT_EQ(server().request(verb::post, "/api/live/join", body(lead.class_id), &stranger).status,
            404);
  EXPECT_EQ(server().request(verb::put, lobby_of(lead.class_id), words("Pirate", 0), &pupil).status,
            403);
  EXPECT_EQ(
      server().request(verb::put, lobby_of(lead.class_id), words("Pirate", 0), &stranger).status,
      404);
  // Bad words change nothing.
  const std::string too_long(501, 'a');
  for (const std::string& bad :
       {words(too_long, 0), std::string(R"({"message":"a","starts_at":"demain"})"),
        std::string(R"({"message":"a","starts_at":-5})"), std::string("pas du json")}) {
    const Reply refused = server().request(verb::put, lobby_of(lead.class_id), bad, &lead.client);
    EXPECT_EQ(refused.status, 400) << bad;
  }
  const Reply joined = server().request(verb::post, "/api/live/join", body(lead.class_id), &pupil);
  ASSERT_EQ(joined.status, 200);
  EXPECT_EQ(joined.json().at("lobby").at("message").as_string(), "");
}

// 7:57 in Paris on a Monday, three minutes before the first lessons: the timetable prepares them.
class PreparedLobby : public LiveSuite {
 protected:
  static void SetUpTestSuite() {
    launch({"--now", "2026-11-23T06:57:00Z", "--prewarm-lead-minutes", "5"});
  }
};

TEST_F(PreparedLobby, TheTimetableOpensTheLobbiesOfTheNextLessons) {
  // The pre-warming thread runs at start-up; give it a moment.
  std::string metrics;
  for (int attempt = 0; attempt < 50; ++attempt) {
    metrics = server().request(verb::get, "/metrics").message.body();
    if (metrics.find("cartable_live_prepared_total 0\n") == std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(metrics.find("cartable_live_prepared_total 0\n"), std::string::npos);
  // Some pupil's class has a lesson at 8:00: their join waits in its lobby, due then.
  int lobbies = 0;
  for (const Account& account : server().accounts()) {
    if (account.role != "pupil" || lobbies > 0) {
      continue;
    }
    const Client pupil = server().sign_in(account);
    const auto me = server().request(verb::get, "/api/me", {}, &pupil).json();
    const std::int64_t class_id = me.at("user").at("class").at("id").as_int64();
    const Reply joined = server().request(verb::post, "/api/live/join", body(class_id), &pupil);
    if (joined.status == 200) {
      EXPECT_EQ(joined.json().at("lobby").at("starts_at").as_int64(), 1795417200);
      int status = 0;
      Socket waiting(server(), lobby_of(class_id), pupil.cookie, status);
      ASSERT_EQ(status, 0);
      EXPECT_EQ(waiting.next("lobby").at("starts_at").as_int64(), 1795417200);
      ++lobbies;
    }
  }
  EXPECT_EQ(lobbies, 1);
}

// Two joins a second, one let through at once: a crowd is spread out, and told so.
class PacedJoins : public LiveSuite {
 protected:
  static void SetUpTestSuite() {
    launch({"--live-joins-per-second", "2", "--live-join-burst", "1"});
  }
};

TEST_F(PacedJoins, EachJoinerIsGivenALaterSlot) {
  const Teacher lead = teacher();
  const Client pupil = server().sign_in(pupil_of(lead.class_name, true));
  start(lead);
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 6; ++i) {
    const Reply joined =
        server().request(verb::post, "/api/live/join", body(lead.class_id), &pupil);
    ASSERT_EQ(joined.status, 200);
    delays.push_back(joined.json().at("delay_ms").as_int64());
  }
  EXPECT_EQ(delays[0], 0);
  for (std::size_t i = 1; i < delays.size(); ++i) {
    EXPECT_GE(delays[i], delays[i - 1]) << i;
  }
  // Six joins at two a second: the last is told to wait about two seconds.
  EXPECT_GE(delays.back(), 1000);
  EXPECT_LE(delays.back(), 2500);
}

}  // namespace
}  // namespace cartable::testing
