// A class's documents per subject: the teacher builds the tree, the class reads it (files
// included), nobody else sees it; renames, moves, deletions and every bad input.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

class Resources : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new TestServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer& server() { return *server_; }

  void SetUp() override {
    pupil_account_ = &server().account("pupil");
    for (const Account& account : server().accounts()) {
      if (account.role == "pupil" && account.class_name != pupil_account_->class_name &&
          outsider_.cookie.empty()) {
        outsider_ = server().sign_in(account);
      }
      if (account.role != "teacher" || class_id_ != 0) {
        continue;
      }
      Client client = server().sign_in(account);
      const auto me = server().request(verb::get, "/api/me", {}, &client).json();
      for (const auto& item : me.at("teaching").as_array()) {
        if (item.at("class").at("name").as_string() == pupil_account_->class_name) {
          class_id_ = item.at("class").at("id").as_int64();
          subject_id_ = item.at("subject").at("id").as_int64();
          teacher_ = client;
        }
      }
    }
    pupil_ = server().sign_in(*pupil_account_);
  }

  Reply create(const boost::json::object& fields, const Client* client = nullptr) {
    boost::json::object body = fields;
    body["class_id"] = class_id_;
    body["subject_id"] = subject_id_;
    return server().request(verb::post, "/api/resources", boost::json::serialize(body),
                            client ? client : &teacher_);
  }
  std::int64_t folder(const std::string& name, std::int64_t parent = 0) {
    const Reply reply = create({{"kind", "folder"}, {"name", name}, {"parent_id", parent}});
    EXPECT_EQ(reply.status, 201) << reply.message.body();
    return reply.json().at("id").as_int64();
  }
  Reply patch(std::int64_t id, const std::string& body) {
    return server().request(verb::patch, "/api/resources/" + std::to_string(id), body, &teacher_);
  }
  boost::json::value tree(const Client& client) {
    return server()
        .request(verb::get,
                 "/api/resources?class_id=" + std::to_string(class_id_) +
                     "&subject_id=" + std::to_string(subject_id_),
                 {}, &client)
        .json();
  }
  int tree_status(const Client& client) {
    return server()
        .request(verb::get,
                 "/api/resources?class_id=" + std::to_string(class_id_) +
                     "&subject_id=" + std::to_string(subject_id_),
                 {}, &client)
        .status;
  }

  static TestServer* server_;
  const Account* pupil_account_ = nullptr;
  Client teacher_;
  Client pupil_;
  Client outsider_;
  std::int64_t class_id_ = 0;
  std::int64_t subject_id_ = 0;
};

TestServer* Resources::server_ = nullptr;

TEST_F(Resources, TheTeacherBuildsATreeTheClassReads) {
  const std::int64_t chapter = folder("Chapitre 1");
  const std::int64_t exercises = folder("Exercices", chapter);
  const Reply uploaded =
      server().request(verb::post, "/api/files?name=cours.pdf", "%PDF-1.4\ncours\n", &teacher_,
                       {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(uploaded.status, 201);
  const std::int64_t file_id = uploaded.json().at("id").as_int64();
  const Reply document =
      create({{"kind", "document"}, {"file_id", file_id}, {"parent_id", exercises}});
  ASSERT_EQ(document.status, 201) << document.message.body();
  EXPECT_EQ(document.json().at("name").as_string(), "cours.pdf");  // the file's own name

  const auto seen = tree(pupil_);
  EXPECT_FALSE(seen.at("may_write").as_bool());
  EXPECT_EQ(seen.at("items").as_array().size(), 3u);
  EXPECT_EQ(
      server().request(verb::get, "/api/files/" + std::to_string(file_id), {}, &pupil_).status,
      200);
  EXPECT_EQ(tree_status(outsider_), 404);
  EXPECT_EQ(
      server().request(verb::get, "/api/files/" + std::to_string(file_id), {}, &outsider_).status,
      404);

  // Rename, move to the top, and delete the chapter with what it holds.
  EXPECT_EQ(patch(exercises, R"({"name":"Exercices corrigés"})").status, 200);
  EXPECT_EQ(patch(exercises, R"({"parent_id":0})").json().at("parent_id").as_int64(), 0);
  EXPECT_EQ(patch(chapter, R"({"parent_id":)" + std::to_string(chapter) + "}").status, 400);
  EXPECT_EQ(patch(exercises, R"({"name":"Chapitre 1"})").status, 409);
  EXPECT_EQ(server()
                .request(verb::delete_, "/api/resources/" + std::to_string(exercises), {}, &pupil_)
                .status,
            403);
  EXPECT_EQ(
      server()
          .request(verb::delete_, "/api/resources/" + std::to_string(exercises), {}, &teacher_)
          .status,
      204);
  EXPECT_EQ(server()
                .request(verb::delete_, "/api/resources/" + std::to_string(chapter), {}, &teacher_)
                .status,
            204);
  EXPECT_TRUE(tree(pupil_).at("items").as_array().empty());
  // The document went with its folder; its file is the teacher's again, and only theirs.
  EXPECT_EQ(
      server().request(verb::get, "/api/files/" + std::to_string(file_id), {}, &pupil_).status,
      404);
}

TEST_F(Resources, AFolderCannotGoInsideItsOwnSubfolder) {
  const std::int64_t outer = folder("Dehors");
  const std::int64_t inner = folder("Dedans", outer);
  EXPECT_EQ(patch(outer, R"({"parent_id":)" + std::to_string(inner) + "}").status, 400);
  EXPECT_EQ(server()
                .request(verb::delete_, "/api/resources/" + std::to_string(outer), {}, &teacher_)
                .status,
            204);
}

TEST_F(Resources, BadInputChangesNothing) {
  const auto before = tree(teacher_).at("items").as_array().size();
  EXPECT_EQ(create({{"kind", "folder"}, {"name", "../secret"}}).status, 400);
  EXPECT_EQ(create({{"kind", "folder"}, {"name", ""}}).status, 400);
  EXPECT_EQ(create({{"kind", "folder"}, {"name", "bidi\u202Efdp.exe"}}).status, 400);
  EXPECT_EQ(create({{"kind", "link"}, {"name", "x"}}).status, 400);
  EXPECT_EQ(create({{"kind", "document"}, {"name", "x"}}).status, 400);  // no file_id
  EXPECT_EQ(create({{"kind", "folder"}, {"name", "x"}, {"parent_id", 999999}}).status, 400);
  const Reply pupils_file = server().request(verb::post, "/api/files?name=a.txt", "à moi\n",
                                             &pupil_, {{"Content-Type", "text/plain"}});
  EXPECT_EQ(
      create({{"kind", "document"}, {"file_id", pupils_file.json().at("id").as_int64()}}).status,
      400);
  EXPECT_EQ(create({{"kind", "folder"}, {"name", "Élève"}}, &pupil_).status, 403);
  EXPECT_EQ(create({{"kind", "folder"}, {"name", "Intrus"}}, &outsider_).status, 404);
  EXPECT_EQ(server().request(verb::post, "/api/resources", "not json", &teacher_).status, 400);
  EXPECT_EQ(tree(teacher_).at("items").as_array().size(), before);
  // Nesting stops at eight levels.
  std::int64_t parent = 0;
  std::vector<std::int64_t> chain;
  for (int depth = 1; depth <= 8; ++depth) {
    parent = folder("Niveau " + std::to_string(depth), parent);
    chain.push_back(parent);
  }
  EXPECT_EQ(create({{"kind", "folder"}, {"name", "Trop"}, {"parent_id", parent}}).status, 400);
  EXPECT_EQ(
      server()
          .request(verb::delete_, "/api/resources/" + std::to_string(chain.front()), {}, &teacher_)
          .status,
      204);
  EXPECT_EQ(tree(teacher_).at("items").as_array().size(), before);
}


// The subjects a class is taught (to pick one in the documents and grades pages), for the class.
TEST_F(Resources, TheClassKnowsEverySubjectItIsTaughtAndByWhom) {
  const std::string target = "/api/classes/" + std::to_string(class_id_) + "/subjects";
  const auto listing = server().request(verb::get, target, {}, &pupil_).json();
  EXPECT_EQ(listing.at("class").at("id").as_int64(), class_id_);
  const auto& subjects = listing.at("subjects").as_array();
  // A collège class is taught about ten subjects, more than any one day holds.
  EXPECT_GE(subjects.size(), 8u);
  bool found = false;
  for (const auto& subject : subjects) {
    EXPECT_FALSE(subject.at("teachers").as_array().empty());
    found = found || subject.at("id").as_int64() == subject_id_;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(server().request(verb::get, target, {}, &outsider_).status, 404);
  EXPECT_EQ(server().request(verb::get, target).status, 401);
  EXPECT_EQ(server().request(verb::get, "/api/classes/999999/subjects", {}, &pupil_).status, 404);
}

}  // namespace
}  // namespace cartable::testing
