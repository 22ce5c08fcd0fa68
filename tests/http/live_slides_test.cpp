// Slides in live lessons against the real server (docs/live.md): the teacher shows a PDF, turns
// its pages and points at it with the laser; everyone sees the same page, late joiners included;
// only the teacher may do it, only with a PDF they may read; a deck shown can be downloaded by
// whoever may join the class's lessons and nobody else; the laser is coalesced.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "live_socket.hpp"
#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;
using namespace std::chrono_literals;

const std::string kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";

class LiveSlides : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ =
        new TestServer({"--schools", "1", "--classes-per-school", "2", "--pupils-per-class", "3"});
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  // The people of one lesson: a teacher of the class, two of its pupils, a pupil of another class.
  struct Cast {
    Client teacher;
    std::int64_t class_id = 0;
    Client pupil, second_pupil, outsider;
  };
  static Cast cast() {
    Cast cast;
    std::string class_name;
    for (const Account& account : server().accounts()) {
      if (account.role != "teacher") {
        continue;
      }
      Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      const auto& teaching = me.at("teaching").as_array();
      if (!teaching.empty()) {
        cast.teacher = client;
        cast.class_id = teaching[0].at("class").at("id").as_int64();
        class_name = teaching[0].at("class").at("name").as_string();
        break;
      }
    }
    std::vector<const Account*> pupils;
    const Account* outsider = nullptr;
    for (const Account& account : server().accounts()) {
      if (account.role == "pupil" && account.class_name == class_name) {
        pupils.push_back(&account);
      } else if (account.role == "pupil" && outsider == nullptr) {
        outsider = &account;
      }
    }
    if (cast.class_id == 0 || pupils.size() < 2 || outsider == nullptr) {
      throw std::runtime_error("no teacher with two pupils, or no other class");
    }
    cast.pupil = server().sign_in(*pupils[0]);
    cast.second_pupil = server().sign_in(*pupils[1]);
    cast.outsider = server().sign_in(*outsider);
    return cast;
  }

  static std::int64_t upload(const Client& client, const std::string& name,
                             const std::string& bytes) {
    const Reply reply = server().request(verb::post, "/api/files?name=" + name, bytes, &client,
                                         {{"Content-Type", "application/octet-stream"}});
    EXPECT_EQ(reply.status, 201) << reply.message.body();
    return reply.json().at("id").as_int64();
  }
  static int download(const Client& client, std::int64_t file_id) {
    return server().request(verb::get, "/api/files/" + std::to_string(file_id), {}, &client).status;
  }
  static std::int64_t start(const Cast& cast) {
    const Reply started = server().request(
        verb::post, "/api/live/rooms",
        boost::json::serialize(boost::json::object{{"class_id", cast.class_id}}), &cast.teacher);
    EXPECT_TRUE(started.status == 201 || started.status == 200) << started.message.body();
    return started.json().at("room").at("id").as_int64();
  }
  static void end(const Cast& cast, std::int64_t room) {
    server().request(verb::delete_, "/api/live/rooms/" + std::to_string(room), {}, &cast.teacher);
  }
  static std::string socket_of(std::int64_t room) {
    return "/api/live/rooms/" + std::to_string(room) + "/socket";
  }
  // A connected member, past its welcome.
  static std::unique_ptr<Socket> connect(std::int64_t room, const Client& client,
                                         boost::json::object* welcome = nullptr) {
    int status = 0;
    auto socket = std::make_unique<Socket>(server(), socket_of(room), client.cookie, status);
    EXPECT_EQ(status, 0);
    const auto hello = socket->next("welcome");
    EXPECT_FALSE(hello.empty());
    if (welcome != nullptr) {
      *welcome = hello;
    }
    return socket;
  }
  static std::string error_of(Socket& socket) {
    const auto error = socket.next("error");
    return error.empty() ? "(none)" : std::string(error.at("code").as_string());
  }

  static TestServer* server_;
};

TestServer* LiveSlides::server_ = nullptr;

TEST_F(LiveSlides, TheTeachersDeckAndPageReachEveryoneAndLateJoiners) {
  const Cast c = cast();
  const std::int64_t deck = upload(c.teacher, "cours.pdf", kPdf);
  const std::int64_t room = start(c);
  boost::json::object welcome;
  auto teacher = connect(room, c.teacher, &welcome);
  EXPECT_TRUE(welcome.at("slides").is_null()) << "no deck yet";
  auto pupil = connect(room, c.pupil);
  auto second = connect(room, c.second_pupil);

  teacher->send({{"type", "slides"}, {"file_id", deck}});
  for (Socket* member : {pupil.get(), second.get(), teacher.get()}) {
    const auto shown = member->next("slides");
    ASSERT_FALSE(shown.empty());
    EXPECT_EQ(shown.at("file").at("id").as_int64(), deck);
    EXPECT_EQ(shown.at("file").at("name").as_string(), "cours.pdf");
    EXPECT_EQ(shown.at("page").as_int64(), 1);
  }
  teacher->send({{"type", "page"}, {"page", 3}});
  EXPECT_EQ(pupil->next("page").at("page").as_int64(), 3);
  EXPECT_EQ(second->next("page").at("page").as_int64(), 3);

  // A late joiner (or a reconnection) gets the deck at the teacher's page.
  pupil->close();
  auto back = connect(room, c.pupil, &welcome);
  ASSERT_TRUE(welcome.at("slides").is_object());
  EXPECT_EQ(welcome.at("slides").at("file").at("id").as_int64(), deck);
  EXPECT_EQ(welcome.at("slides").at("page").as_int64(), 3);

  teacher->send({{"type", "slides"}, {"file_id", nullptr}});
  EXPECT_TRUE(back->next("slides").at("file").is_null());
  EXPECT_TRUE(second->next("slides").at("file").is_null());
  auto late = connect(room, c.second_pupil, &welcome);
  EXPECT_TRUE(welcome.at("slides").is_null());
  end(c, room);
}

TEST_F(LiveSlides, OnlyTheTeacherShowsOnlyAPdfTheyMayRead) {
  const Cast c = cast();
  const std::int64_t deck = upload(c.teacher, "cours.pdf", kPdf);
  const std::int64_t notes = upload(c.teacher, "notes.txt", "Pas un PDF\n");
  const std::int64_t pupils_pdf = upload(c.pupil, "copie.pdf", kPdf);
  const std::int64_t room = start(c);
  auto teacher = connect(room, c.teacher);
  auto pupil = connect(room, c.pupil);

  pupil->send({{"type", "slides"}, {"file_id", pupils_pdf}});
  EXPECT_EQ(error_of(*pupil), "forbidden") << "a pupil does not show slides, even their own";
  pupil->send({{"type", "page"}, {"page", 2}});
  EXPECT_EQ(error_of(*pupil), "forbidden");
  pupil->send({{"type", "laser"}, {"x", 1}, {"y", 1}});
  EXPECT_EQ(error_of(*pupil), "forbidden");

  teacher->send({{"type", "slides"}, {"file_id", notes}});
  EXPECT_EQ(error_of(*teacher), "invalid") << "not a PDF";
  teacher->send({{"type", "slides"}, {"file_id", pupils_pdf}});
  EXPECT_EQ(error_of(*teacher), "forbidden") << "a pupil's upload the teacher may not read";
  teacher->send({{"type", "slides"}, {"file_id", 999'999'999}});
  EXPECT_EQ(error_of(*teacher), "forbidden");
  for (const boost::json::value& bad :
       {boost::json::value("1"), boost::json::value(0), boost::json::value(-4),
        boost::json::value(1.5), boost::json::value(boost::json::array{})}) {
    teacher->send({{"type", "slides"}, {"file_id", bad}});
    EXPECT_EQ(error_of(*teacher), "invalid") << boost::json::serialize(bad);
  }
  teacher->send({{"type", "slides"}});
  EXPECT_EQ(error_of(*teacher), "invalid");
  // No deck: no page to turn, nothing to point at.
  teacher->send({{"type", "page"}, {"page", 2}});
  EXPECT_EQ(error_of(*teacher), "invalid");
  teacher->send({{"type", "laser"}, {"x", 5}, {"y", 5}});
  EXPECT_EQ(error_of(*teacher), "invalid");
  boost::json::object welcome;
  auto look = connect(room, c.second_pupil, &welcome);
  EXPECT_TRUE(welcome.at("slides").is_null()) << "the refusals changed nothing";

  teacher->send({{"type", "slides"}, {"file_id", deck}});
  ASSERT_FALSE(pupil->next("slides").empty());
  for (const boost::json::object& bad :
       {boost::json::object{{"type", "page"}, {"page", 0}},
        boost::json::object{{"type", "page"}, {"page", 10'001}},
        boost::json::object{{"type", "page"}, {"page", "2"}}, boost::json::object{{"type", "page"}},
        boost::json::object{{"type", "laser"}, {"x", -1}, {"y", 5}},
        boost::json::object{{"type", "laser"}, {"x", 5}, {"y", 10'001}},
        boost::json::object{{"type", "laser"}, {"x", 5}},
        boost::json::object{{"type", "laser"}, {"x", 2.5}, {"y", 5}},
        boost::json::object{{"type", "laser"}, {"off", false}},
        boost::json::object{{"type", "laser"}, {"off", true}, {"x", 1}, {"y", 1}}}) {
    teacher->send(bad);
    EXPECT_EQ(error_of(*teacher), "invalid") << boost::json::serialize(bad);
  }
  auto again = connect(room, c.second_pupil, &welcome);
  EXPECT_EQ(welcome.at("slides").at("page").as_int64(), 1) << "bad pages changed nothing";
  EXPECT_TRUE(pupil->next("laser", 200ms).empty()) << "bad lasers went nowhere";
  end(c, room);
}

TEST_F(LiveSlides, AShownDeckIsReadByTheClassAndNobodyElse) {
  const Cast c = cast();
  const std::int64_t deck = upload(c.teacher, "chapitre.pdf", kPdf);
  EXPECT_EQ(download(c.pupil, deck), 404) << "not shown yet: the teacher's own upload";
  const std::int64_t room = start(c);
  auto teacher = connect(room, c.teacher);
  auto pupil = connect(room, c.pupil);
  teacher->send({{"type", "slides"}, {"file_id", deck}});
  ASSERT_FALSE(pupil->next("slides").empty());

  const Reply got = server().request(verb::get, "/api/files/" + std::to_string(deck), {}, &c.pupil);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.message.body(), kPdf);
  EXPECT_EQ(got.header("Content-Type"), "application/pdf");
  EXPECT_EQ(download(c.second_pupil, deck), 200);
  EXPECT_EQ(download(c.teacher, deck), 200);
  EXPECT_EQ(download(c.outsider, deck), 404) << "a pupil of another class";
  EXPECT_EQ(server().request(verb::get, "/api/files/" + std::to_string(deck)).status, 401);
  // The school's staff may join, so they read it; parents and the school's other teachers may not.
  const auto pupil_id =
      server().request(verb::get, "/api/me", {}, &c.pupil).json().at("user").at("id").as_int64();
  bool staff = false, parent = false, other_teacher = false;
  for (const Account& account : server().accounts()) {
    if (account.role == "staff" && !staff) {
      staff = true;
      EXPECT_EQ(download(server().sign_in(account), deck), 200) << "staff";
    } else if (account.role == "parent" && !parent) {
      const Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      for (const auto& child : me.at("children").as_array()) {
        if (child.at("id").as_int64() == pupil_id) {
          parent = true;
          EXPECT_EQ(download(client, deck), 404) << "a parent of a pupil of the class";
        }
      }
    } else if (account.role == "teacher" && !other_teacher) {
      const Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      bool teaches = false;
      for (const auto& teaching : me.at("teaching").as_array()) {
        teaches |= teaching.at("class").at("id").as_int64() == c.class_id;
      }
      if (!teaches) {
        other_teacher = true;
        EXPECT_EQ(download(client, deck), 404) << "a teacher of other classes";
      }
    }
  }
  EXPECT_TRUE(staff && parent) << "found staff and a parent (another teacher when there is one)";
  // Hidden, or once the lesson is over, the deck stays the class's to read.
  teacher->send({{"type", "slides"}, {"file_id", nullptr}});
  ASSERT_FALSE(pupil->next("slides").empty());
  end(c, room);
  EXPECT_EQ(download(c.pupil, deck), 200);
  EXPECT_EQ(download(c.outsider, deck), 404);
}

TEST_F(LiveSlides, TheLaserIsCoalescedAndHasItsOwnAllowance) {
  const Cast c = cast();
  const std::int64_t deck = upload(c.teacher, "laser.pdf", kPdf);
  const std::int64_t room = start(c);
  auto teacher = connect(room, c.teacher);
  auto pupil = connect(room, c.pupil);
  teacher->send({{"type", "slides"}, {"file_id", deck}});
  ASSERT_FALSE(pupil->next("slides").empty());

  // 25 positions at once: more than the 20 of the general burst, within the laser's own.
  constexpr int kSent = 25;
  for (int i = 1; i <= kSent; ++i) {
    teacher->send({{"type", "laser"}, {"x", i * 100}, {"y", 5'000}});
  }
  // The general allowance is untouched: a chat line still goes through.
  teacher->send({{"type", "chat"}, {"text", "Regardez ici"}});
  // Fewer frames than positions, and the newest one last: none was refused.
  int frames = 0;
  boost::json::object last;
  do {
    last = pupil->next("laser");
    ++frames;
  } while (!last.empty() && last.at("x").as_int64() != kSent * 100);
  ASSERT_FALSE(last.empty()) << "the newest position arrived";
  EXPECT_LT(frames, kSent) << "positions coalesced";
  EXPECT_EQ(last.at("y").as_int64(), 5'000);
  EXPECT_EQ(teacher->next("chat").at("text").as_string(), "Regardez ici");

  teacher->send({{"type", "laser"}, {"off", true}});
  const auto off = pupil->next("laser");
  ASSERT_FALSE(off.empty());
  EXPECT_TRUE(off.at("off").as_bool());
  end(c, room);
}

}  // namespace
}  // namespace cartable::testing
