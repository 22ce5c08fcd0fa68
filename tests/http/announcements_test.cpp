// Announcements against the real server: who posts where, who sees what (per role, per class,
// across schools), delete rules, and the day view showing a new or deleted announcement at once
// (no stale 304 from its cache or ETag).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "directory.hpp"
#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

class Announcements : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ =
        new TestServer({"--schools", "2", "--classes-per-school", "4", "--pupils-per-class", "3"});
    directory_ = new Directory(*server_);
  }
  static void TearDownTestSuite() {
    delete directory_;
    delete server_;
    directory_ = nullptr;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }
  static const Directory& people() { return *directory_; }

  static Reply announce(const Member& author, const std::string& title,
                        const boost::json::array& class_ids, const std::string& until = {}) {
    boost::json::object body{{"title", title}, {"body", "Texte"}, {"class_ids", class_ids}};
    if (!until.empty()) {
      body["until"] = until;
    }
    return server().request(verb::post, "/api/announcements", boost::json::serialize(body),
                            &author.client);
  }
  static std::int64_t announce_id(const Member& author, const std::string& title,
                                  const boost::json::array& class_ids) {
    const Reply reply = announce(author, title, class_ids);
    EXPECT_EQ(reply.status, 201) << reply.message.body();
    return reply.status == 201 ? reply.json().at("id").as_int64() : 0;
  }
  // Whether `id` is among what `member` sees: in the list, or in their day view.
  static bool sees(const Member& member, std::int64_t id) {
    const Reply reply = server().request(verb::get, "/api/announcements", {}, &member.client);
    EXPECT_EQ(reply.status, 200);
    const boost::json::value json = reply.json();
    return contains(json.at("announcements"), id);
  }
  static bool contains(const boost::json::value& list, std::int64_t id) {
    for (const auto& item : list.as_array()) {
      if (item.at("id").as_int64() == id) {
        return true;
      }
    }
    return false;
  }
  static Reply remove(const Member& member, std::int64_t id) {
    return server().request(verb::delete_, "/api/announcements/" + std::to_string(id), {},
                            &member.client);
  }

  static std::int64_t first_school() { return people().members().front().school_id; }
  static std::int64_t second_school() {
    return people()
        .find([](const Member& m) { return m.school_id != first_school(); }, "second school")
        .school_id;
  }
  static const Member& of_role(const std::string& role, std::int64_t school_id) {
    return people().find(
        [&](const Member& m) { return m.role() == role && m.school_id == school_id; }, role);
  }
  static const Member& pupil_in(std::int64_t class_id) {
    return people().find(
        [&](const Member& m) { return m.role() == "pupil" && m.class_id == class_id; }, "pupil");
  }
  static const Member& pupil_not_in(std::int64_t class_id, std::int64_t school_id) {
    return people().find(
        [&](const Member& m) {
          return m.role() == "pupil" && m.school_id == school_id && m.class_id != class_id;
        },
        "pupil of another class");
  }

  static TestServer* server_;
  static Directory* directory_;
};

TestServer* Announcements::server_ = nullptr;
Directory* Announcements::directory_ = nullptr;

TEST_F(Announcements, WhoPostsWhere) {
  const Member& teacher = of_role("teacher", first_school());
  const std::int64_t taught = *teacher.taught.begin();
  const Member& untaught_teacher = people().find(
      [&](const Member& m) {
        return m.role() == "teacher" && m.school_id == first_school() && !m.taught.contains(taught);
      },
      "teacher of other classes");
  const Reply ok = announce(teacher, "Contrôle reporté", {taught});
  ASSERT_EQ(ok.status, 201) << ok.message.body();
  const boost::json::value json = ok.json();
  EXPECT_FALSE(json.at("school_wide").as_bool());
  EXPECT_EQ(json.at("classes").as_array().front().at("id").as_int64(), taught);
  EXPECT_EQ(json.at("author").at("id").as_int64(), teacher.id);
  EXPECT_EQ(json.at("until").as_string(), "2026-12-07");  // 14 days after the demo's today
  EXPECT_EQ(announce(untaught_teacher, "Pas ma classe", {taught}).status, 403);
  const Reply teacher_wide = announce(teacher, "À tous", {});
  EXPECT_EQ(teacher_wide.status, 400);  // teachers name their classes
  EXPECT_EQ(announce(pupil_in(taught), "Fête", {taught}).status, 403);
  EXPECT_EQ(announce(of_role("parent", first_school()), "Kermesse", {}).status, 403);
  const Reply wide = announce(of_role("staff", first_school()), "Cantine fermée", {});
  ASSERT_EQ(wide.status, 201);
  EXPECT_TRUE(wide.json().at("school_wide").as_bool());
  // Staff announce to classes of their school only.
  const Member& far_pupil = of_role("pupil", second_school());
  EXPECT_EQ(announce(of_role("staff", first_school()), "Ailleurs", {far_pupil.class_id}).status,
            403);
  EXPECT_EQ(announce(of_role("admin", first_school()), "Classe", {taught}).status, 201);
  // Bad inputs.
  const Member& staff = of_role("staff", first_school());
  EXPECT_EQ(announce(staff, "", {}).status, 400);
  EXPECT_EQ(announce(staff, std::string(201, 't'), {}).status, 400);
  EXPECT_EQ(announce(staff, "Hier", {}, "2026-11-22").status, 400);
  EXPECT_EQ(announce(staff, "Trop loin", {}, "2028-01-01").status, 400);
  EXPECT_EQ(announce(staff, "Pas une date", {}, "demain").status, 400);
  EXPECT_EQ(announce(staff, "Aujourd'hui", {}, "2026-11-23").status, 201);
  EXPECT_EQ(announce(staff, "Classe inconnue", {999999}).status, 400);
  EXPECT_EQ(server().request(verb::post, "/api/announcements", "{", &staff.client).status, 400);
}

TEST_F(Announcements, EachRoleSeesItsOwn) {
  const Member& teacher = of_role("teacher", second_school());
  const std::int64_t taught = *teacher.taught.begin();
  const std::int64_t to_class = announce_id(teacher, "Sortie", {taught});
  const std::int64_t wide = announce_id(of_role("staff", second_school()), "Grève", {});
  const Member& in_class = pupil_in(taught);
  const Member& elsewhere = pupil_not_in(taught, second_school());
  const Member& parent = people().find(
      [&](const Member& m) { return m.role() == "parent" && m.child_classes.contains(taught); },
      "parent of the class");
  const Member& other_parent = people().find(
      [&](const Member& m) {
        return m.role() == "parent" && m.school_id == second_school() &&
               !m.child_classes.contains(taught);
      },
      "parent of another class");
  const Member& untaught_teacher = people().find(
      [&](const Member& m) {
        return m.role() == "teacher" && m.school_id == second_school() &&
               !m.taught.contains(taught);
      },
      "teacher of other classes");
  struct Expectation {
    const Member* member;
    bool class_one;
    bool school_wide;
  };
  for (const Expectation& expected :
       {Expectation{&in_class, true, true}, Expectation{&elsewhere, false, true},
        Expectation{&parent, true, true}, Expectation{&other_parent, false, true},
        Expectation{&teacher, true, true}, Expectation{&untaught_teacher, false, true},
        Expectation{&of_role("admin", second_school()), true, true},
        Expectation{&of_role("pupil", first_school()), false, false},
        Expectation{&of_role("staff", first_school()), false, false}}) {
    EXPECT_EQ(sees(*expected.member, to_class), expected.class_one)
        << expected.member->account.login;
    EXPECT_EQ(sees(*expected.member, wide), expected.school_wide) << expected.member->account.login;
  }
}

TEST_F(Announcements, DeleteRules) {
  const Member& teacher = of_role("teacher", first_school());
  const std::int64_t taught = *teacher.taught.begin();
  const std::int64_t id = announce_id(teacher, "À supprimer", {taught});
  const Member& untaught_teacher = people().find(
      [&](const Member& m) {
        return m.role() == "teacher" && m.school_id == first_school() && !m.taught.contains(taught);
      },
      "teacher of other classes");
  EXPECT_EQ(remove(pupil_in(taught), id).status, 403);  // sees it, may not delete it
  EXPECT_EQ(remove(pupil_not_in(taught, first_school()), id).status, 404);
  EXPECT_EQ(remove(untaught_teacher, id).status, 404);
  EXPECT_EQ(remove(of_role("staff", second_school()), id).status, 404);
  EXPECT_EQ(remove(teacher, id).status, 204);
  EXPECT_EQ(remove(teacher, id).status, 404);
  EXPECT_FALSE(sees(pupil_in(taught), id));

  const std::int64_t wide = announce_id(of_role("staff", first_school()), "Du CPE", {});
  EXPECT_EQ(remove(teacher, wide).status, 403);
  EXPECT_EQ(remove(of_role("admin", first_school()), wide).status, 204);
  const std::int64_t other = announce_id(teacher, "Du professeur", {taught});
  EXPECT_EQ(remove(of_role("staff", first_school()), other).status, 204);
}

TEST_F(Announcements, TheDayViewShowsThemAtOnce) {
  const Member& teacher = of_role("teacher", second_school());
  const std::int64_t taught = *teacher.taught.begin();
  const Member& pupil = pupil_in(taught);
  const Member& parent = people().find(
      [&](const Member& m) { return m.role() == "parent" && m.child_classes.contains(taught); },
      "parent of the class");
  const Member& staff = of_role("staff", second_school());
  for (const Member* viewer : {&pupil, &parent, &teacher, &staff}) {
    const auto today = [&](const std::string& etag) {
      std::map<std::string, std::string> headers;
      if (!etag.empty()) {
        headers["If-None-Match"] = etag;
      }
      return server().request(verb::get, "/api/me/today", {}, &viewer->client, headers);
    };
    const Reply first = today({});
    ASSERT_EQ(first.status, 200) << viewer->account.login;
    const std::string etag = first.header("ETag");
    ASSERT_EQ(today(etag).status, 304);  // cached until something changes

    const std::int64_t wide = announce_id(staff, "Nouvelle " + viewer->account.login, {});
    const Reply after_wide = today(etag);
    ASSERT_EQ(after_wide.status, 200) << viewer->account.login << ": stale 304";
    EXPECT_TRUE(contains(after_wide.json().at("announcements"), wide)) << viewer->account.login;

    const std::string etag2 = after_wide.header("ETag");
    const std::int64_t to_class = announce_id(teacher, "Classe " + viewer->account.login, {taught});
    const Reply after_class = today(etag2);
    ASSERT_EQ(after_class.status, 200) << viewer->account.login << ": stale 304";
    EXPECT_TRUE(contains(after_class.json().at("announcements"), to_class));

    const std::string etag3 = after_class.header("ETag");
    ASSERT_EQ(remove(staff, wide).status, 204);
    const Reply after_delete = today(etag3);
    ASSERT_EQ(after_delete.status, 200) << viewer->account.login << ": stale 304";
    EXPECT_FALSE(contains(after_delete.json().at("announcements"), wide));
    EXPECT_TRUE(contains(after_delete.json().at("announcements"), to_class));
  }
  // Someone of another school is not concerned: their view stays as it was.
  const Member& far = of_role("pupil", first_school());
  const Reply far_view = server().request(verb::get, "/api/me/today", {}, &far.client);
  const std::string far_etag = far_view.header("ETag");
  announce_id(staff, "Pas pour eux", {});
  EXPECT_EQ(server()
                .request(verb::get, "/api/me/today", {}, &far.client, {{"If-None-Match", far_etag}})
                .status,
            304);
}

TEST_F(Announcements, TheDemoHasSome) {
  const Member& pupil = of_role("pupil", first_school());
  const Reply list = server().request(verb::get, "/api/announcements", {}, &pupil.client);
  ASSERT_EQ(list.status, 200);
  EXPECT_GE(list.json().at("announcements").as_array().size(), 2u);
}

}  // namespace
}  // namespace cartable::testing
