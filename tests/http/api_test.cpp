// The API against the real server: sign-in, the day view, homework with every role, bad input,
// CSRF, tampered and revoked sessions.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  // A teacher of the pupil's class, and one class + subject they teach there.
  struct Teaching {
    Account teacher;
    Client client;
    std::int64_t class_id = 0;
    std::int64_t subject_id = 0;
  };
  static Teaching teacher_of(const std::string& class_name) {
    for (const Account& account : server().accounts()) {
      if (account.role != "teacher") {
        continue;
      }
      Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      for (const auto& item : me.at("teaching").as_array()) {
        if (item.at("class").at("name").as_string() == class_name) {
          return {account, client, item.at("class").at("id").as_int64(),
                  item.at("subject").at("id").as_int64()};
        }
      }
    }
    throw std::runtime_error("no teacher for " + class_name);
  }
  static std::string homework_body(std::int64_t class_id, std::int64_t subject_id,
                                   const std::string& title,
                                   const std::string& due = "2026-11-25") {
    return boost::json::serialize(boost::json::object{{"class_id", class_id},
                                                      {"subject_id", subject_id},
                                                      {"title", title},
                                                      {"body", "Exercices 1 à 4\npage 12"},
                                                      {"due_date", due}});
  }

  static TestServer* server_;
};

TestServer* Api::server_ = nullptr;

TEST_F(Api, SignInSetsAHardenedCookieAndReturnsTheUser) {
  const Account& pupil = server().account("pupil");
  const auto reply = server().request(verb::post, "/api/session",
                                      R"({"login":")" + pupil.login + R"(","password":")" +
                                          pupil.password + R"(","remember":true})");
  ASSERT_EQ(reply.status, 200) << reply.message.body();
  const std::string cookie = reply.header("Set-Cookie");
  EXPECT_NE(cookie.find("cartable_session=v1."), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("Max-Age="), std::string::npos);  // remembered
  const auto body = reply.json();
  EXPECT_EQ(body.at("user").at("login").as_string(), pupil.login);
  EXPECT_EQ(body.at("user").at("role").as_string(), "pupil");
  EXPECT_FALSE(body.at("csrf_token").as_string().empty());
}

TEST_F(Api, WrongPasswordAndUnknownLoginAnswerAlike) {
  const Account& pupil = server().account("pupil", "5e A");
  const auto wrong = server().request(
      verb::post, "/api/session", R"({"login":")" + pupil.login + R"(","password":"nope-nope-1"})");
  const auto unknown = server().request(verb::post, "/api/session",
                                        R"({"login":"nobody.here","password":"nope-nope-1"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.message.body(), unknown.message.body());
  EXPECT_TRUE(wrong.header("Set-Cookie").empty());
}

TEST_F(Api, RepeatedFailuresAreDelayedNotLockedOut) {
  const Account& pupil = server().account("pupil", "4e A");
  int last = 0;
  std::string retry_after;
  for (int attempt = 0; attempt < 8; ++attempt) {
    const auto reply =
        server().request(verb::post, "/api/session",
                         R"({"login":")" + pupil.login + R"(","password":"wrong-pass"})");
    last = reply.status;
    retry_after = reply.header("Retry-After");
  }
  EXPECT_EQ(last, 429);
  ASSERT_FALSE(retry_after.empty());
  EXPECT_LE(std::stoi(retry_after), 30);  // a delay, never a lock-out
}

TEST_F(Api, BadSignInBodiesAreRefusedClearly) {
  EXPECT_EQ(server().request(verb::post, "/api/session", "{not json").status, 400);
  EXPECT_EQ(server().request(verb::post, "/api/session", "[1,2]").status, 400);
  const auto missing = server().request(verb::post, "/api/session", R"({"login":"x"})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json().at("error").at("code").as_string(), "invalid");
  EXPECT_TRUE(missing.json().at("error").at("fields").as_object().contains("password"));
  const auto wrong_type = server().request(verb::post, "/api/session", "login=x", nullptr,
                                           {{"Content-Type", "text/plain"}});
  EXPECT_EQ(wrong_type.status, 415);
  const auto control =
      server().request(verb::post, "/api/session", R"({"login":"a\u0000b","password":"12345678"})");
  EXPECT_EQ(control.status, 400);
}

TEST_F(Api, PupilSeesTodaysTimetableAndHomework) {
  const Account& pupil = server().account("pupil");
  const Client client = server().sign_in(pupil);
  const auto reply = server().request(verb::get, "/api/me/today", {}, &client);
  ASSERT_EQ(reply.status, 200) << reply.message.body();
  const auto view = reply.json();
  EXPECT_EQ(view.at("date").as_string(), "2026-11-23");  // a Monday, in Paris
  EXPECT_FALSE(view.at("shifted").as_bool());
  const auto& section = view.at("sections").at(0);
  EXPECT_EQ(section.at("kind").as_string(), "pupil");
  EXPECT_EQ(section.at("class").at("name").as_string(), pupil.class_name);
  EXPECT_FALSE(section.at("lessons").as_array().empty());
  EXPECT_FALSE(section.at("homework").as_array().empty());
  EXPECT_EQ(section.at("lessons").at(0).at("start").as_string().size(), 5u);

  const std::string etag = reply.header("ETag");
  ASSERT_FALSE(etag.empty());
  const auto again =
      server().request(verb::get, "/api/me/today", {}, &client, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.message.body().empty());
}

TEST_F(Api, ParentSeesOneSectionPerChildAndTeacherTheirLessons) {
  const Client parent = server().sign_in(server().account("parent"));
  const auto parent_view = server().request(verb::get, "/api/me/today", {}, &parent).json();
  ASSERT_FALSE(parent_view.at("sections").as_array().empty());
  for (const auto& section : parent_view.at("sections").as_array()) {
    EXPECT_EQ(section.at("kind").as_string(), "child");
  }
  const Client teacher = server().sign_in(server().account("teacher"));
  const auto teacher_view = server().request(verb::get, "/api/me/today", {}, &teacher).json();
  EXPECT_EQ(teacher_view.at("sections").at(0).at("kind").as_string(), "teacher");
}

TEST_F(Api, AnonymousRequestsAreRefused) {
  EXPECT_EQ(server().request(verb::get, "/api/me").status, 401);
  EXPECT_EQ(server().request(verb::get, "/api/me/today").status, 401);
  EXPECT_EQ(server().request(verb::get, "/api/homework").status, 401);
  EXPECT_EQ(server().request(verb::post, "/api/homework", "{}").status, 401);
}

TEST_F(Api, TamperedAndForeignTokensAreRefused) {
  Client client = server().sign_in(server().account("pupil"));
  Client tampered = client;
  tampered.cookie[tampered.cookie.size() - 3] ^= 1;
  EXPECT_EQ(server().request(verb::get, "/api/me", {}, &tampered).status, 401);
  Client garbage{"cartable_session=v1.AAAA.BBBB", ""};
  EXPECT_EQ(server().request(verb::get, "/api/me", {}, &garbage).status, 401);
}

TEST_F(Api, SignOutRevokesTheSession) {
  const Client client = server().sign_in(server().account("pupil"), true);
  EXPECT_EQ(server().request(verb::get, "/api/me", {}, &client).status, 200);
  Client without_csrf = client;
  without_csrf.csrf.clear();
  EXPECT_EQ(server().request(verb::delete_, "/api/session", {}, &without_csrf).status, 403);
  const auto out = server().request(verb::delete_, "/api/session", {}, &client);
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  // The old cookie, replayed, no longer works.
  EXPECT_EQ(server().request(verb::get, "/api/me", {}, &client).status, 401);
}

TEST_F(Api, TeacherCreatesEditsAndDeletesHomeworkThePupilSees) {
  const Account& pupil = server().account("pupil");
  const Client pupil_client = server().sign_in(pupil);
  Teaching teaching = teacher_of(pupil.class_name);

  const auto created =
      server().request(verb::post, "/api/homework",
                       homework_body(teaching.class_id, teaching.subject_id, "Lire le chapitre 3"),
                       &teaching.client);
  ASSERT_EQ(created.status, 201) << created.message.body();
  const std::int64_t id = created.json().at("id").as_int64();
  const std::string path = "/api/homework/" + std::to_string(id);

  const auto seen = server().request(verb::get, path, {}, &pupil_client);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.json().at("title").as_string(), "Lire le chapitre 3");
  const auto today = server().request(verb::get, "/api/me/today", {}, &pupil_client).json();
  bool listed = false;
  for (const auto& item : today.at("sections").at(0).at("homework").as_array()) {
    listed |= item.at("id").as_int64() == id;
  }
  EXPECT_TRUE(listed);

  const auto updated = server().request(
      verb::put, path, homework_body(teaching.class_id, teaching.subject_id, "Lire le chapitre 4"),
      &teaching.client);
  ASSERT_EQ(updated.status, 200) << updated.message.body();
  EXPECT_EQ(updated.json().at("title").as_string(), "Lire le chapitre 4");

  // Everyone else: the pupil, a parent, another teacher.
  EXPECT_EQ(server()
                .request(verb::put, path,
                         homework_body(teaching.class_id, teaching.subject_id, "x"), &pupil_client)
                .status,
            403);
  EXPECT_EQ(server().request(verb::delete_, path, {}, &pupil_client).status, 403);
  const Client parent = server().sign_in(server().account("parent"));
  EXPECT_EQ(server()
                .request(verb::post, "/api/homework",
                         homework_body(teaching.class_id, teaching.subject_id, "x"), &parent)
                .status,
            403);

  EXPECT_EQ(server().request(verb::delete_, path, {}, &teaching.client).status, 204);
  EXPECT_EQ(server().request(verb::get, path, {}, &pupil_client).status, 404);
  EXPECT_EQ(server().request(verb::delete_, path, {}, &teaching.client).status, 404);
}

TEST_F(Api, TheCachedDayViewFollowsHomeworkChanges) {
  const Account& pupil = server().account("pupil", "5e B");
  const Client pupil_client = server().sign_in(pupil);
  Teaching teaching = teacher_of(pupil.class_name);
  const auto listed = [&](std::int64_t id) {
    const auto view = server().request(verb::get, "/api/me/today", {}, &pupil_client).json();
    for (const auto& item : view.at("sections").at(0).at("homework").as_array()) {
      if (item.at("id").as_int64() == id) {
        return true;
      }
    }
    return false;
  };
  const auto before = server().request(verb::get, "/api/me/today", {}, &pupil_client);
  ASSERT_EQ(before.status, 200);
  // Served again from the cache: same tag.
  EXPECT_EQ(server().request(verb::get, "/api/me/today", {}, &pupil_client).header("ETag"),
            before.header("ETag"));

  const auto created = server().request(
      verb::post, "/api/homework",
      homework_body(teaching.class_id, teaching.subject_id, "Nouveau devoir"), &teaching.client);
  ASSERT_EQ(created.status, 201);
  const std::int64_t id = created.json().at("id").as_int64();
  EXPECT_TRUE(listed(id));
  const auto stale = server().request(verb::get, "/api/me/today", {}, &pupil_client,
                                      {{"If-None-Match", before.header("ETag")}});
  EXPECT_EQ(stale.status, 200);  // the old tag no longer matches

  ASSERT_EQ(server()
                .request(verb::delete_, "/api/homework/" + std::to_string(id), {}, &teaching.client)
                .status,
            204);
  EXPECT_FALSE(listed(id));
}

TEST(Durability, AnAcknowledgedHomeworkSurvivesSigkill) {
  TestServer server;
  const Account& pupil = server.account("pupil");
  std::int64_t class_id = 0;
  std::int64_t subject_id = 0;
  Client teacher;
  for (const Account& account : server.accounts()) {
    if (account.role != "teacher" || class_id != 0) {
      continue;
    }
    Client client = server.sign_in(account);
    const auto me = server.request(verb::get, "/api/me", {}, &client).json();
    for (const auto& item : me.at("teaching").as_array()) {
      if (item.at("class").at("name").as_string() == pupil.class_name) {
        class_id = item.at("class").at("id").as_int64();
        subject_id = item.at("subject").at("id").as_int64();
        teacher = client;
      }
    }
  }
  ASSERT_NE(class_id, 0);
  const std::string body =
      boost::json::serialize(boost::json::object{{"class_id", class_id},
                                                 {"subject_id", subject_id},
                                                 {"title", "Survivra au crash"},
                                                 {"body", ""},
                                                 {"due_date", "2026-11-24"}});
  const auto created = server.request(verb::post, "/api/homework", body, &teacher);
  ASSERT_EQ(created.status, 201);
  const std::int64_t id = created.json().at("id").as_int64();

  server.crash_and_restart();  // right after the 201

  const Client pupil_client = server.sign_in(pupil);
  const auto seen =
      server.request(verb::get, "/api/homework/" + std::to_string(id), {}, &pupil_client);
  ASSERT_EQ(seen.status, 200);
  EXPECT_EQ(seen.json().at("title").as_string(), "Survivra au crash");
}

TEST_F(Api, OtherClassesHomeworkIsNotFound) {
  const Account& pupil = server().account("pupil");
  Teaching teaching = teacher_of(pupil.class_name);
  const auto created = server().request(
      verb::post, "/api/homework",
      homework_body(teaching.class_id, teaching.subject_id, "Pour la classe seulement"),
      &teaching.client);
  ASSERT_EQ(created.status, 201);
  const std::string path = "/api/homework/" + std::to_string(created.json().at("id").as_int64());
  // A pupil of another class guesses the id.
  for (const Account& other : server().accounts()) {
    if (other.role == "pupil" && other.class_name != pupil.class_name) {
      const Client client = server().sign_in(other);
      EXPECT_EQ(server().request(verb::get, path, {}, &client).status, 404);
      const auto list = server().request(
          verb::get, "/api/homework?class_id=" + std::to_string(teaching.class_id), {}, &client);
      EXPECT_EQ(list.status, 404);
      break;
    }
  }
}

TEST_F(Api, HomeworkNeedsCsrfAndValidFields) {
  const Account& pupil = server().account("pupil");
  Teaching teaching = teacher_of(pupil.class_name);
  Client no_csrf = teaching.client;
  no_csrf.csrf = "forged";
  EXPECT_EQ(server()
                .request(verb::post, "/api/homework",
                         homework_body(teaching.class_id, teaching.subject_id, "t"), &no_csrf)
                .status,
            403);
  const auto cross_site = server().request(
      verb::post, "/api/homework", homework_body(teaching.class_id, teaching.subject_id, "t"),
      &teaching.client, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(cross_site.status, 403);

  const auto bad = server().request(
      verb::post, "/api/homework",
      R"({"class_id":-1,"subject_id":"x","title":"","due_date":"2026-02-30"})", &teaching.client);
  ASSERT_EQ(bad.status, 400);
  const auto bad_json = bad.json();
  const auto& fields = bad_json.at("error").at("fields").as_object();
  for (const char* field : {"class_id", "subject_id", "title", "due_date"}) {
    EXPECT_TRUE(fields.contains(field)) << field;
  }
  const auto far = server().request(
      verb::post, "/api/homework",
      homework_body(teaching.class_id, teaching.subject_id, "t", "2031-01-01"), &teaching.client);
  EXPECT_EQ(far.status, 400);
  const auto huge_title =
      server().request(verb::post, "/api/homework",
                       homework_body(teaching.class_id, teaching.subject_id, std::string(201, 'a')),
                       &teaching.client);
  EXPECT_EQ(huge_title.status, 400);
}

TEST_F(Api, BadHomeworkListQueriesAreRefused) {
  const Client client = server().sign_in(server().account("pupil"));
  for (const char* query : {"class_id=abc", "class_id=-3", "from=2026-13-01", "to=yesterday",
                            "from=2026-11-30&to=2026-11-01", "from=2031-01-01"}) {
    const auto reply =
        server().request(verb::get, std::string("/api/homework?") + query, {}, &client);
    EXPECT_EQ(reply.status, 400) << query;
    EXPECT_EQ(reply.json().at("error").at("code").as_string(), "invalid") << query;
  }
  EXPECT_EQ(server().request(verb::get, "/api/homework?mine=1&from=2026-11-01", {}, &client).status,
            200);
}

TEST_F(Api, EveryResponseCarriesSecurityHeaders) {
  for (const auto& target : {"/", "/api/me", "/api/nothing", "/healthz"}) {
    const auto reply = server().request(verb::get, target);
    EXPECT_FALSE(reply.header("Content-Security-Policy").empty()) << target;
    EXPECT_NE(reply.header("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(reply.header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_FALSE(reply.header("Referrer-Policy").empty()) << target;
  }
  EXPECT_EQ(server().request(verb::get, "/api/nothing").json().at("error").at("code").as_string(),
            "not_found");
  const auto wrong_method = server().request(verb::patch, "/api/me");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.header("Allow"), "GET");
}

TEST_F(Api, MetricsCountRequestsByRouteAndStatus) {
  const Client client = server().sign_in(server().account("pupil"));
  ASSERT_EQ(server().request(verb::get, "/api/me/today", {}, &client).status, 200);
  ASSERT_EQ(server().request(verb::get, "/api/nothing").status, 404);
  const auto metrics = server().request(verb::get, "/metrics");
  ASSERT_EQ(metrics.status, 200);
  const std::string& text = metrics.message.body();
  EXPECT_NE(text.find(R"(cartable_http_requests_total{route="me.today",code="2xx"})"),
            std::string::npos);
  EXPECT_NE(text.find(R"(cartable_http_requests_total{route="unmatched",code="4xx"})"),
            std::string::npos);
  EXPECT_NE(
      text.find(R"(cartable_http_request_duration_seconds_bucket{route="me.today",le="+Inf"})"),
      std::string::npos);
  EXPECT_NE(text.find(R"(cartable_refused_total{reason="head_timeout"})"), std::string::npos);
}

TEST_F(Api, TheWebAppIsServedWithCaching) {
  const auto index = server().request(verb::get, "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_NE(index.header("Content-Type").find("text/html"), std::string::npos);
  const auto deep = server().request(verb::get, "/aujourdhui");
  EXPECT_EQ(deep.status, 200);  // an app route gets the app
  EXPECT_EQ(server().request(verb::get, "/assets/missing-123.js").status, 404);
}

}  // namespace
}  // namespace cartable::testing
