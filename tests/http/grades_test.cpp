// Grades against the real server: a teacher's evaluations and marks, what pupils, parents, other
// teachers and staff see of them, refused input (and that nothing is written), the CSV export.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;
namespace json = boost::json;

class Grades : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  static json::value me(const Client& client) {
    return server().request(verb::get, "/api/me", {}, &client).json();
  }

  // A teacher of `class_name` and one subject they teach there (or, with `teaching_it` false, a
  // teacher who does not teach that class at all).
  struct Teaching {
    Client client;
    std::int64_t class_id = 0;
    std::int64_t subject_id = 0;
    std::string subject_name;
  };
  static Teaching teacher_of(const std::string& class_name, bool teaching_it = true) {
    for (const Account& account : server().accounts()) {
      if (account.role != "teacher") {
        continue;
      }
      Client client = server().sign_in(account);
      const auto teaching = me(client).at("teaching").as_array();
      for (const auto& item : teaching) {
        const bool here = item.at("class").at("name").as_string() == class_name;
        if (teaching_it && here) {
          return {client, item.at("class").at("id").as_int64(),
                  item.at("subject").at("id").as_int64(),
                  std::string(item.at("subject").at("name").as_string())};
        }
      }
      const bool elsewhere = std::none_of(teaching.begin(), teaching.end(), [&](const auto& item) {
        return item.at("class").at("name").as_string() == class_name;
      });
      if (!teaching_it && elsewhere && !teaching.empty()) {
        return {client, teaching[0].at("class").at("id").as_int64(),
                teaching[0].at("subject").at("id").as_int64(), ""};
      }
    }
    throw std::runtime_error("no such teacher for " + class_name);
  }

  static std::string evaluation_body(std::int64_t class_id, std::int64_t subject_id,
                                     const std::string& title, double out_of = 20,
                                     double coefficient = 2,
                                     const std::string& date = "2026-11-20") {
    return json::serialize(json::object{{"class_id", class_id},
                                        {"subject_id", subject_id},
                                        {"title", title},
                                        {"date", date},
                                        {"out_of", out_of},
                                        {"coefficient", coefficient}});
  }

  static std::int64_t create(const Teaching& teaching, const std::string& title,
                             double out_of = 20) {
    const auto reply = server().request(
        verb::post, "/api/evaluations",
        evaluation_body(teaching.class_id, teaching.subject_id, title, out_of), &teaching.client);
    EXPECT_EQ(reply.status, 201) << reply.message.body();
    return reply.json().at("id").as_int64();
  }

  static std::string path(std::int64_t id) { return "/api/evaluations/" + std::to_string(id); }

  // The class's pupils' ids, as the teacher sees them on the evaluation.
  static std::vector<std::int64_t> pupils_on(std::int64_t id, const Client& teacher) {
    std::vector<std::int64_t> pupils;
    const auto view = server().request(verb::get, path(id), {}, &teacher).json();
    for (const auto& row : view.at("marks").as_array()) {
      pupils.push_back(row.at("pupil").at("id").as_int64());
    }
    return pupils;
  }

  static json::object mark(std::int64_t pupil, json::value value,
                           const std::string& state = "graded", const std::string& comment = "") {
    return {{"pupil_id", pupil}, {"value", value}, {"state", state}, {"comment", comment}};
  }

  static Reply put_marks(std::int64_t id, const json::array& marks, const Client& client) {
    return server().request(verb::put, path(id) + "/marks",
                            json::serialize(json::object{{"marks", marks}}), &client);
  }

  // The row of `pupil` in an evaluation's marks, or null.
  static json::value row_of(const json::value& view, std::int64_t pupil) {
    for (const auto& row : view.at("marks").as_array()) {
      if (row.at("pupil").at("id").as_int64() == pupil) {
        return row;
      }
    }
    return nullptr;
  }

  static TestServer* server_;
};

TestServer* Grades::server_ = nullptr;

TEST_F(Grades, TeacherMarksAClassAndEachPupilSeesOnlyTheirOwnMark) {
  const Account& pupil_account = server().account("pupil", "6e A");
  const Client pupil = server().sign_in(pupil_account);
  const std::int64_t pupil_id = me(pupil).at("user").at("id").as_int64();
  const Teaching teaching = teacher_of("6e A");
  const std::int64_t id = create(teaching, "Contrôle n°3");

  const auto pupils = pupils_on(id, teaching.client);
  ASSERT_GE(pupils.size(), 3u);
  ASSERT_NE(std::find(pupils.begin(), pupils.end(), pupil_id), pupils.end());
  std::int64_t other = pupils[0] == pupil_id ? pupils[1] : pupils[0];
  std::int64_t absent = pupils[2] == pupil_id ? pupils[1] : pupils[2];
  const auto set = put_marks(id,
                             {mark(pupil_id, 15.5, "graded", "Bien, ; \"attention\""),
                              mark(other, 8), mark(absent, nullptr, "absent")},
                             teaching.client);
  ASSERT_EQ(set.status, 200) << set.message.body();
  const auto full = set.json();
  EXPECT_DOUBLE_EQ(full.at("class_average").as_double(), 11.75);  // absent left out
  EXPECT_EQ(row_of(full, absent).at("state").as_string(), "absent");
  EXPECT_TRUE(row_of(full, absent).at("value").is_null());

  const auto seen = server().request(verb::get, path(id), {}, &pupil);
  ASSERT_EQ(seen.status, 200) << seen.message.body();
  const auto view = seen.json();
  ASSERT_EQ(view.at("marks").as_array().size(), 1u);
  EXPECT_DOUBLE_EQ(row_of(view, pupil_id).at("value").to_number<double>(), 15.5);
  EXPECT_EQ(row_of(view, pupil_id).at("comment").as_string(), "Bien, ; \"attention\"");
  EXPECT_FALSE(view.as_object().contains("class_average"));
  EXPECT_TRUE(row_of(view, other).is_null());

  // The report: this evaluation under its subject, and averages that add up.
  const auto report = server().request(verb::get, "/api/grades", {}, &pupil);
  ASSERT_EQ(report.status, 200) << report.message.body();
  const auto body = report.json();
  EXPECT_EQ(body.at("pupil").at("id").as_int64(), pupil_id);
  bool found = false;
  std::vector<double> subject_averages;
  for (const auto& subject : body.at("subjects").as_array()) {
    double weighted = 0;
    double weights = 0;
    for (const auto& item : subject.at("evaluations").as_array()) {
      found |= item.at("id").as_int64() == id;
      const auto& given = item.at("mark");
      if (!given.is_null() && !given.at("value").is_null()) {
        weighted += given.at("value").to_number<double>() / item.at("out_of").to_number<double>() *
                    20 * item.at("coefficient").to_number<double>();
        weights += item.at("coefficient").to_number<double>();
      }
    }
    if (weights > 0) {
      EXPECT_NEAR(subject.at("average").to_number<double>(), weighted / weights, 0.006);
      subject_averages.push_back(subject.at("average").to_number<double>());
    }
  }
  EXPECT_TRUE(found);
  ASSERT_FALSE(subject_averages.empty());
  double sum = 0;
  for (const double average : subject_averages) {
    sum += average;
  }
  EXPECT_NEAR(body.at("average").to_number<double>(),
              sum / static_cast<double>(subject_averages.size()), 0.01);

  // Another pupil of the class sees their own row only.
  for (const Account& account : server().accounts()) {
    if (account.role == "pupil" && account.class_name == "6e A" &&
        account.login != pupil_account.login) {
      const Client classmate = server().sign_in(account);
      const auto theirs = server().request(verb::get, path(id), {}, &classmate).json();
      ASSERT_EQ(theirs.at("marks").as_array().size(), 1u);
      EXPECT_TRUE(row_of(theirs, pupil_id).is_null());
      break;
    }
  }
  EXPECT_EQ(server().request(verb::get, path(id)).status, 401);
}

TEST_F(Grades, ParentSeesTheirChildsMarksAndNoOneElses) {
  const Client parent = server().sign_in(server().account("parent"));
  const auto children = me(parent).at("children").as_array();
  ASSERT_FALSE(children.empty());
  const std::int64_t child = children[0].at("id").as_int64();
  const std::string class_name(children[0].at("class").at("name").as_string());
  const Teaching teaching = teacher_of(class_name);
  const std::int64_t id = create(teaching, "Interrogation");
  ASSERT_EQ(put_marks(id, {mark(child, 17)}, teaching.client).status, 200);

  const std::string query = children.size() == 1 ? "" : "?pupil_id=" + std::to_string(child);
  const auto report = server().request(verb::get, "/api/grades" + query, {}, &parent);
  ASSERT_EQ(report.status, 200) << report.message.body();
  EXPECT_EQ(report.json().at("pupil").at("id").as_int64(), child);
  EXPECT_NE(report.message.body().find("\"Interrogation\""), std::string::npos);

  const auto view = server().request(verb::get, path(id), {}, &parent).json();
  ASSERT_EQ(view.at("marks").as_array().size(), 1u);
  EXPECT_DOUBLE_EQ(row_of(view, child).at("value").to_number<double>(), 17);

  // Another pupil of the class is not theirs to see.
  for (const std::int64_t pupil : pupils_on(id, teaching.client)) {
    if (pupil != child && std::none_of(children.begin(), children.end(), [&](const auto& c) {
          return c.at("id").as_int64() == pupil;
        })) {
      const auto refused =
          server().request(verb::get, "/api/grades?pupil_id=" + std::to_string(pupil), {}, &parent);
      EXPECT_EQ(refused.status, 404);
      break;
    }
  }
}

TEST_F(Grades, OutsidersGetNotFoundOnReadsAndForbiddenOnCreate) {
  const Teaching teaching = teacher_of("6e A");
  const std::int64_t id = create(teaching, "Évaluation privée");
  const Teaching stranger = teacher_of("6e A", false);

  const auto created = server().request(
      verb::post, "/api/evaluations",
      evaluation_body(teaching.class_id, teaching.subject_id, "Intrus"), &stranger.client);
  EXPECT_EQ(created.status, 403);
  EXPECT_EQ(server().request(verb::get, path(id), {}, &stranger.client).status, 404);
  EXPECT_EQ(server()
                .request(verb::put, path(id),
                         evaluation_body(teaching.class_id, teaching.subject_id, "Pris"),
                         &stranger.client)
                .status,
            404);
  EXPECT_EQ(put_marks(id, {}, stranger.client).status, 404);
  EXPECT_EQ(server().request(verb::delete_, path(id), {}, &stranger.client).status, 404);
  EXPECT_EQ(
      server()
          .request(verb::get, "/api/evaluations?class_id=" + std::to_string(teaching.class_id), {},
                   &stranger.client)
          .status,
      404);

  // A pupil of another class neither.
  const Client other_pupil = server().sign_in(server().account("pupil", "5e A"));
  EXPECT_EQ(server().request(verb::get, path(id), {}, &other_pupil).status, 404);
  const std::int64_t someone = pupils_on(id, teaching.client).at(0);
  EXPECT_EQ(
      server()
          .request(verb::get, "/api/grades?pupil_id=" + std::to_string(someone), {}, &other_pupil)
          .status,
      404);
  // An id that does not exist looks the same.
  EXPECT_EQ(server().request(verb::get, path(99999999), {}, &other_pupil).status, 404);
}

TEST_F(Grades, ATeacherOfTheClassInAnotherSubjectSeesNothingOfIt) {
  const Teaching teaching = teacher_of("6e A");
  const std::int64_t id = create(teaching, "Hors matière");
  for (const Account& account : server().accounts()) {
    if (account.role != "teacher") {
      continue;
    }
    Client client = server().sign_in(account);
    bool same_class = false;
    bool same_subject = false;
    const auto profile = me(client);
    for (const auto& item : profile.at("teaching").as_array()) {
      if (item.at("class").at("id").as_int64() == teaching.class_id) {
        same_class = true;
        same_subject |= item.at("subject").at("id").as_int64() == teaching.subject_id;
      }
    }
    if (same_class && !same_subject) {
      EXPECT_EQ(server().request(verb::get, path(id), {}, &client).status, 404);
      EXPECT_EQ(put_marks(id, {}, client).status, 404);
      return;
    }
  }
  FAIL() << "no teacher of 6e A in another subject";
}

TEST_F(Grades, BadMarksAreRefusedRowByRowAndNothingIsWritten) {
  const Teaching teaching = teacher_of("6e A");
  const std::int64_t id = create(teaching, "Sur 10", 10);
  const auto pupils = pupils_on(id, teaching.client);
  ASSERT_GE(pupils.size(), 2u);
  ASSERT_EQ(put_marks(id, {mark(pupils[0], 5)}, teaching.client).status, 200);

  const Teaching elsewhere = teacher_of("5e A");
  const auto other_id = create(elsewhere, "Ailleurs");
  const std::int64_t foreign_pupil = pupils_on(other_id, elsewhere.client).at(0);

  const auto refused =
      put_marks(id,
                {mark(pupils[0], 9), mark(pupils[1], 10.5), mark(pupils[1], -1),
                 mark(pupils[1], 3, "sick"), mark(foreign_pupil, 4), mark(pupils[1], 4, "absent"),
                 mark(pupils[1], 1.125), mark(pupils[1], nullptr)},
                teaching.client);
  ASSERT_EQ(refused.status, 400) << refused.message.body();
  const auto fields = refused.json().at("error").at("fields").as_object();
  EXPECT_FALSE(fields.contains("marks[0].value"));
  EXPECT_TRUE(fields.contains("marks[1].value"));     // over out_of
  EXPECT_TRUE(fields.contains("marks[2].value"));     // negative
  EXPECT_TRUE(fields.contains("marks[3].state"));     // unknown state
  EXPECT_TRUE(fields.contains("marks[4].pupil_id"));  // not of this class
  EXPECT_TRUE(fields.contains("marks[5].value"));     // a value while absent
  EXPECT_TRUE(fields.contains("marks[6].value"));     // three decimals
  EXPECT_TRUE(fields.contains("marks[7].value"));     // graded without a value

  // All or nothing: the valid first row was not applied either.
  const auto view = server().request(verb::get, path(id), {}, &teaching.client).json();
  EXPECT_DOUBLE_EQ(row_of(view, pupils[0]).at("value").to_number<double>(), 5);
  EXPECT_TRUE(row_of(view, pupils[1]).at("state").is_null());

  EXPECT_EQ(server()
                .request(verb::put, path(id) + "/marks", "{\"marks\": [", &teaching.client)
                .json()
                .at("error")
                .at("code")
                .as_string(),
            "bad_json");
  EXPECT_EQ(put_marks(id, {mark(pupils[0], 1), mark(pupils[0], 2)}, teaching.client).status, 400);
}

TEST_F(Grades, BadEvaluationsAreRefused) {
  const Teaching teaching = teacher_of("6e A");
  const auto post = [&](const std::string& body) {
    return server().request(verb::post, "/api/evaluations", body, &teaching.client);
  };
  const auto field_of = [](const Reply& reply) {
    return reply.json().at("error").at("fields").as_object();
  };
  const std::int64_t c = teaching.class_id;
  const std::int64_t s = teaching.subject_id;
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, std::string(201, 'x')))).contains("title"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, ""))).contains("title"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 20, 1, "2026-02-30"))).contains("date"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 20, 1, "20/11/2026"))).contains("date"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 20, 1, "2031-01-01"))).contains("date"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 0))).contains("out_of"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 1001))).contains("out_of"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 20.001))).contains("out_of"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 20, 0))).contains("coefficient"));
  EXPECT_TRUE(field_of(post(evaluation_body(c, s, "t", 20, 101))).contains("coefficient"));
  EXPECT_EQ(post("not json").status, 400);
  EXPECT_EQ(server()
                .request(verb::post, "/api/evaluations", "title=x", &teaching.client,
                         {{"Content-Type", "text/plain"}})
                .status,
            415);
  // Decimals are fine.
  EXPECT_EQ(post(evaluation_body(c, s, "Sur 12,5", 12.5, 0.5)).status, 201);

  // An edit may not lower out_of below a mark given.
  const std::int64_t id = create(teaching, "Sur 20");
  const std::int64_t pupil = pupils_on(id, teaching.client).at(0);
  ASSERT_EQ(put_marks(id, {mark(pupil, 18)}, teaching.client).status, 200);
  const auto lowered =
      server().request(verb::put, path(id), evaluation_body(c, s, "Sur 10", 10), &teaching.client);
  EXPECT_EQ(lowered.status, 400);
  EXPECT_TRUE(field_of(lowered).contains("out_of"));
  const auto renamed =
      server().request(verb::put, path(id), evaluation_body(c, s, "Sur 20 !"), &teaching.client);
  ASSERT_EQ(renamed.status, 200) << renamed.message.body();
  EXPECT_EQ(renamed.json().at("title").as_string(), "Sur 20 !");
}

TEST_F(Grades, DeletingAnEvaluationTakesItsMarks) {
  const Teaching teaching = teacher_of("6e A");
  const std::int64_t id = create(teaching, "À supprimer");
  const std::int64_t pupil = pupils_on(id, teaching.client).at(0);
  ASSERT_EQ(put_marks(id, {mark(pupil, 12)}, teaching.client).status, 200);
  EXPECT_EQ(server().request(verb::delete_, path(id), {}, &teaching.client).status, 204);
  EXPECT_EQ(server().request(verb::get, path(id), {}, &teaching.client).status, 404);
  EXPECT_EQ(put_marks(id, {mark(pupil, 12)}, teaching.client).status, 404);
}

TEST_F(Grades, StaffReadEveryClassOfTheirSchoolButWriteNothing) {
  const Client staff = server().sign_in(server().account("staff"));
  const Teaching teaching = teacher_of("4e A");
  const std::int64_t id = create(teaching, "Vu par la direction");
  const auto list = server().request(
      verb::get, "/api/evaluations?class_id=" + std::to_string(teaching.class_id), {}, &staff);
  ASSERT_EQ(list.status, 200) << list.message.body();
  bool listed = false;
  const auto listing = list.json();
  for (const auto& item : listing.at("evaluations").as_array()) {
    listed |= item.at("id").as_int64() == id;
    EXPECT_TRUE(item.as_object().contains("class_average"));
  }
  EXPECT_TRUE(listed);
  const auto view = server().request(verb::get, path(id), {}, &staff);
  ASSERT_EQ(view.status, 200);
  EXPECT_GE(view.json().at("marks").as_array().size(), 20u);  // every pupil of the class
  EXPECT_EQ(put_marks(id, {}, staff).status, 403);
  EXPECT_EQ(server().request(verb::delete_, path(id), {}, &staff).status, 403);
}

TEST_F(Grades, CsvExportQuotesCellsAndDefusesFormulas) {
  const Teaching teaching = teacher_of("3e A");
  const std::int64_t first = create(teaching, "=HYPERLINK(\"http://evil\",\"clic\")");
  const std::int64_t second = create(teaching, "Dictée, partie 2");
  const auto pupils = pupils_on(first, teaching.client);
  ASSERT_EQ(put_marks(first, {mark(pupils[0], 12.5), mark(pupils[1], nullptr, "excused")},
                      teaching.client)
                .status,
            200);
  ASSERT_EQ(put_marks(second, {mark(pupils[0], 16)}, teaching.client).status, 200);

  const std::string target =
      "/api/evaluations/export.csv?class_id=" + std::to_string(teaching.class_id) +
      "&subject_id=" + std::to_string(teaching.subject_id);
  const auto reply = server().request(verb::get, target, {}, &teaching.client);
  ASSERT_EQ(reply.status, 200) << reply.message.body();
  EXPECT_EQ(reply.header("Content-Type"), "text/csv; charset=utf-8");
  const std::string disposition = reply.header("Content-Disposition");
  EXPECT_EQ(disposition.rfind("attachment; filename=\"notes 3e A ", 0), 0u) << disposition;
  if (std::any_of(teaching.subject_name.begin(), teaching.subject_name.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) >= 0x80; })) {
    EXPECT_NE(disposition.find("filename*=UTF-8''notes%203e%20A%20"), std::string::npos);
  }
  const std::string& csv = reply.message.body();
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBFNom,Prénom,", 0), 0u);
  EXPECT_NE(
      csv.find("\"'=HYPERLINK(\"\"http://evil\"\",\"\"clic\"\") (2026-11-20, /20, coef. 2)\""),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\"Dictée, partie 2 (2026-11-20, /20, coef. 2)\""), std::string::npos);
  EXPECT_NE(csv.find(",EXC,"), std::string::npos);
  // One row per pupil, the header and the class's averages.
  std::size_t rows = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) {
    ++rows;
  }
  EXPECT_EQ(rows, pupils.size() + 2);

  const Client pupil = server().sign_in(server().account("pupil", "3e A"));
  EXPECT_EQ(server().request(verb::get, target, {}, &pupil).status, 404);
}

}  // namespace
}  // namespace cartable::testing
