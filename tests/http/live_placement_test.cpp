// Rooms placed over several processes: two servers on one data directory, each advertising how it
// is reached (--advertise-url, here a path prefix a proxy would route). A class has one running
// lesson, owned by the process that started it; the other process sends joiners there, its lobby
// learns of the start, and a crashed owner's lesson is ended when it comes back.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "live_socket.hpp"
#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;
using namespace std::chrono_literals;

// What a proxy routing "/a/..." to process A would forward: the path without the prefix.
std::string routed(std::string_view url, std::string_view prefix) {
  EXPECT_TRUE(url.starts_with(prefix)) << url << " does not start with " << prefix;
  return std::string(url.substr(prefix.size()));
}

class LivePlacement : public LiveSuite {
 protected:
  static void SetUpTestSuite() {
    launch({"--advertise-url", "/a"});
    other_ =
        new TestServer({"--data", server().data_directory().string(), "--advertise-url", "/b"});
  }
  static void TearDownTestSuite() {
    delete other_;
    other_ = nullptr;
    LiveSuite::TearDownTestSuite();
  }
  static TestServer& other() { return *other_; }

  // The account of the teacher of `class_id` (signed in on A by teacher()).
  static const Account& account_teaching(const Teacher& lead) {
    for (const Account& account : server().accounts()) {
      if (account.role != "teacher") {
        continue;
      }
      Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      for (const auto& teaching : me.at("teaching").as_array()) {
        if (teaching.at("class").at("id").as_int64() == lead.class_id) {
          return account;
        }
      }
    }
    throw std::runtime_error("no teacher of the class");
  }

  inline static TestServer* other_ = nullptr;
};

TEST_F(LivePlacement, EveryUrlNamesTheProcessThatOwnsTheRoom) {
  const Teacher lead = teacher();
  const Account& pupil_account = pupil_of(lead.class_name, true);
  const Client pupil_on_b = other().sign_in(pupil_account);
  const Client lead_on_b = other().sign_in(account_teaching(lead));

  // Before the lesson: B's lobby, reached through B's prefix.
  ASSERT_EQ(other()
                .request(verb::put, "/api/live/classes/" + std::to_string(lead.class_id) + "/lobby",
                         R"({"message":"Bientôt","starts_at":0})", &lead_on_b)
                .status,
            200);
  const Reply waiting =
      other().request(verb::post, "/api/live/join", body(lead.class_id), &pupil_on_b);
  ASSERT_EQ(waiting.status, 200) << waiting.message.body();
  const std::string lobby_url(waiting.json().at("url").as_string());
  EXPECT_EQ(lobby_url, "/b/api/live/classes/" + std::to_string(lead.class_id) + "/lobby");
  int status = 0;
  Socket lobby(other(), routed(lobby_url, "/b"), pupil_on_b.cookie, status);
  ASSERT_EQ(status, 0);
  ASSERT_FALSE(lobby.next("lobby").empty());

  // The teacher starts on A: A owns the room.
  const Reply started =
      server().request(verb::post, "/api/live/rooms", body(lead.class_id), &lead.client);
  ASSERT_EQ(started.status, 201) << started.message.body();
  const std::int64_t room = started.json().at("room").at("id").as_int64();
  const std::string room_url = "/a" + socket_of(room);
  EXPECT_EQ(started.json().at("room").at("url").as_string(), room_url);

  // B's lobby learns of it (B looks every 2 s) and sends its pupils to A.
  const auto told = lobby.next("started", 6s);
  ASSERT_FALSE(told.empty()) << "B's lobby was not told the lesson started on A";
  EXPECT_EQ(told.at("url").as_string(), room_url);
  EXPECT_EQ(told.at("room").at("id").as_int64(), room);

  // Joining through B names A's socket; starting again through B gives A's room, not a second.
  const Reply joined =
      other().request(verb::post, "/api/live/join", body(lead.class_id), &pupil_on_b);
  ASSERT_EQ(joined.status, 200) << joined.message.body();
  EXPECT_EQ(joined.json().at("url").as_string(), room_url);
  const Reply again =
      other().request(verb::post, "/api/live/rooms", body(lead.class_id), &lead_on_b);
  ASSERT_EQ(again.status, 200) << again.message.body();
  EXPECT_EQ(again.json().at("room").at("id").as_int64(), room);
  EXPECT_EQ(again.json().at("room").at("url").as_string(), room_url);

  // The pupil's session (signed in on A too) enters A's room.
  const Client pupil_on_a = server().sign_in(pupil_account);
  Socket in_lesson(server(), routed(room_url, "/a"), pupil_on_a.cookie, status);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(in_lesson.next("welcome").at("room").at("id").as_int64(), room);
  // B holds no such room: its socket refuses it.
  Socket wrong_process(other(), socket_of(room), pupil_on_b.cookie, status);
  EXPECT_EQ(status, 404);

  // A crashes with the lesson running; back up, it ends what it had left running, and B stops
  // sending pupils to a room that no longer exists.
  server().crash_and_restart();
  const Reply after =
      other().request(verb::post, "/api/live/join", body(lead.class_id), &pupil_on_b);
  EXPECT_EQ(after.message.body().find(room_url), std::string::npos) << after.message.body();
  // And the class may start again, on either process.
  const Reply restarted =
      other().request(verb::post, "/api/live/rooms", body(lead.class_id), &lead_on_b);
  ASSERT_EQ(restarted.status, 201) << restarted.message.body();
  EXPECT_EQ(restarted.json().at("room").at("url").as_string(),
            "/b" + socket_of(restarted.json().at("room").at("id").as_int64()));
}

TEST_F(LivePlacement, AWrongAdvertisedUrlIsRefusedAtStartUp) {
  for (const char* bad : {"http://x", "/trailing/", "//host", "/a b", "/q?x=1", "relative"}) {
    EXPECT_THROW(TestServer({"--advertise-url", bad}), std::runtime_error) << bad;
  }
}

}  // namespace
}  // namespace cartable::testing
