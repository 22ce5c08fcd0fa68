// Messages against the real server: who may write to whom (per role, per relation, across
// schools, pupils among themselves once their school allows it), unread counts and read marks,
// pages of messages, attachments readable by participants only, refused inputs, the rate limit.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>

#include "directory.hpp"
#include "test_server.hpp"

namespace cartable::testing {
namespace {

using boost::beast::http::verb;

const std::string kPdf = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";

class Messages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ =
        new TestServer({"--schools", "2", "--classes-per-school", "4", "--pupils-per-class", "4"});
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

  static Reply start(const Member& from, const std::vector<std::int64_t>& to,
                     const std::string& body = "Bonjour",
                     const boost::json::array& attachments = {}) {
    boost::json::array ids;
    for (const std::int64_t id : to) {
      ids.push_back(id);
    }
    return server().request(
        verb::post, "/api/conversations",
        boost::json::serialize(boost::json::object{{"subject", "Une question"},
                                                   {"participant_ids", ids},
                                                   {"body", body},
                                                   {"attachment_ids", attachments}}),
        &from.client);
  }
  static Reply post(const Member& from, std::int64_t conversation, const std::string& body) {
    return server().request(
        verb::post, "/api/conversations/" + std::to_string(conversation) + "/messages",
        boost::json::serialize(boost::json::object{{"body", body}}), &from.client);
  }
  static std::int64_t unread(const Member& member) {
    const Reply reply = server().request(verb::get, "/api/messages/unread", {}, &member.client);
    EXPECT_EQ(reply.status, 200);
    return reply.json().at("unread").as_int64();
  }
  static bool in_contacts(const Member& member, std::int64_t id) {
    const Reply reply = server().request(verb::get, "/api/contacts", {}, &member.client);
    EXPECT_EQ(reply.status, 200);
    const boost::json::value json = reply.json();
    for (const auto& contact : json.at("contacts").as_array()) {
      if (contact.at("id").as_int64() == id) {
        return true;
      }
    }
    return false;
  }

  static const Member& pupil(std::int64_t school_id, std::int64_t not_id = 0) {
    return people().find(
        [&](const Member& m) {
          return m.role() == "pupil" && m.school_id == school_id && m.id != not_id;
        },
        "pupil");
  }
  static const Member& teacher_of(std::int64_t class_id) {
    return people().find(
        [&](const Member& m) { return m.role() == "teacher" && m.taught.contains(class_id); },
        "teacher of class");
  }
  static const Member& teacher_not_of(std::int64_t class_id, std::int64_t school_id) {
    return people().find(
        [&](const Member& m) {
          return m.role() == "teacher" && m.school_id == school_id && !m.taught.contains(class_id);
        },
        "teacher not of class");
  }
  static const Member& of_role(const std::string& role, std::int64_t school_id) {
    return people().find(
        [&](const Member& m) { return m.role() == role && m.school_id == school_id; }, role);
  }
  static std::int64_t first_school() { return people().members().front().school_id; }
  static std::int64_t second_school() {
    return people()
        .find([](const Member& m) { return m.school_id != first_school(); }, "second school")
        .school_id;
  }

  static TestServer* server_;
  static Directory* directory_;
};

TestServer* Messages::server_ = nullptr;
Directory* Messages::directory_ = nullptr;

TEST_F(Messages, PupilsWriteToTheirOwnTeachersOnly) {
  const Member& p = pupil(first_school());
  const Member& own = teacher_of(p.class_id);
  const Member& other = teacher_not_of(p.class_id, p.school_id);
  const Reply ok = start(p, {own.id});
  EXPECT_EQ(ok.status, 201) << ok.message.body();
  EXPECT_EQ(ok.header("Location"),
            "/api/conversations/" + std::to_string(ok.json().at("id").as_int64()));
  const Reply refused = start(p, {other.id});
  EXPECT_EQ(refused.status, 403) << refused.message.body();
  EXPECT_EQ(refused.json().at("error").at("code").as_string(), "forbidden");
  EXPECT_TRUE(in_contacts(p, own.id));
  EXPECT_FALSE(in_contacts(p, other.id));
  // Staff of their school are contacts of everyone.
  EXPECT_TRUE(in_contacts(p, of_role("staff", p.school_id).id));
  EXPECT_EQ(start(p, {of_role("staff", p.school_id).id}).status, 201);
  // A parent is not.
  EXPECT_EQ(start(p, {of_role("parent", p.school_id).id}).status, 403);
  // The teacher writes back to the pupil, and to the pupil's parents.
  EXPECT_EQ(start(own, {p.id}).status, 201);
  const Member& parent = people().find(
      [&](const Member& m) { return m.role() == "parent" && m.child_ids.contains(p.id); },
      "parent of pupil");
  EXPECT_EQ(start(own, {parent.id}).status, 201);
  EXPECT_EQ(start(other, {p.id}).status, 403);
}

TEST_F(Messages, ParentsWriteToTheirChildrensTeachersNotToOtherParents) {
  const Member& parent = of_role("parent", first_school());
  const Member& teacher = teacher_of(*parent.child_classes.begin());
  EXPECT_EQ(start(parent, {teacher.id}).status, 201);
  const Member& other_parent = people().find(
      [&](const Member& m) {
        return m.role() == "parent" && m.school_id == parent.school_id && m.id != parent.id;
      },
      "other parent");
  EXPECT_EQ(start(parent, {other_parent.id}).status, 403);
  EXPECT_EQ(start(parent, {*parent.child_ids.begin()}).status, 403);  // not even their child
  EXPECT_FALSE(in_contacts(parent, other_parent.id));
  EXPECT_TRUE(in_contacts(parent, teacher.id));
}

TEST_F(Messages, NobodyWritesAcrossSchools) {
  const Member& staff = of_role("staff", first_school());
  const Member& far_pupil = pupil(second_school());
  const Member& far_teacher = of_role("teacher", second_school());
  const Member& near_teacher = of_role("teacher", first_school());
  EXPECT_EQ(start(staff, {far_pupil.id}).status, 403);
  EXPECT_EQ(start(near_teacher, {far_teacher.id}).status, 403);
  const Member& colleague = people().find(
      [&](const Member& m) {
        return m.role() == "teacher" && m.school_id == first_school() && m.id != near_teacher.id;
      },
      "colleague");
  EXPECT_EQ(start(near_teacher, {colleague.id}).status, 201);
  EXPECT_FALSE(in_contacts(staff, far_pupil.id));
  // One refused participant refuses the whole conversation.
  EXPECT_EQ(start(staff, {pupil(first_school()).id, far_pupil.id}).status, 403);
}

TEST_F(Messages, PupilsWriteToEachOtherOnlyWhenTheSchoolAllowsIt) {
  const std::int64_t school = second_school();
  const Member& a = pupil(school);
  const Member& b = pupil(school, a.id);
  const std::string settings = "/api/schools/" + std::to_string(school) + "/settings";
  EXPECT_EQ(start(a, {b.id}).status, 403);
  EXPECT_FALSE(in_contacts(a, b.id));
  const std::string on = R"({"pupil_messaging": true})";
  EXPECT_EQ(server().request(verb::put, settings, on, &of_role("teacher", school).client).status,
            403);
  EXPECT_EQ(server().request(verb::put, settings, on, &a.client).status, 403);
  EXPECT_EQ(
      server().request(verb::put, settings, on, &of_role("staff", first_school()).client).status,
      404);
  EXPECT_EQ(server()
                .request(verb::put, settings, R"({"pupil_messaging": "yes"})",
                         &of_role("admin", school).client)
                .status,
            400);
  const Reply turned_on =
      server().request(verb::put, settings, on, &of_role("admin", school).client);
  ASSERT_EQ(turned_on.status, 200) << turned_on.message.body();
  EXPECT_TRUE(server()
                  .request(verb::get, settings, {}, &of_role("staff", school).client)
                  .json()
                  .at("pupil_messaging")
                  .as_bool());
  EXPECT_EQ(start(a, {b.id}).status, 201);
  EXPECT_TRUE(in_contacts(a, b.id));
  // Only that school: pupils of the other one still may not.
  const Member& c = pupil(first_school());
  EXPECT_EQ(start(c, {pupil(first_school(), c.id).id}).status, 403);
  ASSERT_EQ(server()
                .request(verb::put, settings, R"({"pupil_messaging": false})",
                         &of_role("staff", school).client)
                .status,
            200);
  EXPECT_EQ(start(a, {b.id}).status, 403);
}

TEST_F(Messages, UnreadCountsAndReadMarks) {
  const Member& teacher = of_role("teacher", second_school());
  const Member& p = people().find(
      [&](const Member& m) { return m.role() == "pupil" && teacher.taught.contains(m.class_id); },
      "pupil of teacher");
  const std::int64_t before = unread(p);
  const std::int64_t teacher_before = unread(teacher);
  const Reply created = start(teacher, {p.id}, "Premier");
  ASSERT_EQ(created.status, 201) << created.message.body();
  const std::int64_t id = created.json().at("id").as_int64();
  ASSERT_EQ(post(teacher, id, "Deuxième").status, 201);
  EXPECT_EQ(unread(p), before + 2);
  EXPECT_EQ(unread(teacher), teacher_before);  // one's own messages never count

  const Reply list = server().request(verb::get, "/api/conversations", {}, &p.client);
  ASSERT_EQ(list.status, 200);
  const boost::json::value listed = list.json();
  EXPECT_EQ(listed.at("unread").as_int64(), before + 2);
  const auto& first = listed.at("conversations").as_array().front();  // newest activity first
  EXPECT_EQ(first.at("id").as_int64(), id);
  EXPECT_EQ(first.at("unread").as_int64(), 2);
  EXPECT_EQ(first.at("participant_count").as_int64(), 2);
  // Who it is with: the teacher, not the reader.
  const auto& others = first.at("others").as_array();
  ASSERT_EQ(others.size(), 1u);
  EXPECT_NE(others[0].at("id").as_int64(), p.id);
  EXPECT_FALSE(others[0].at("last_name").as_string().empty());

  // Reading the first message leaves one unread; GET alone reads nothing.
  const Reply page =
      server().request(verb::get, "/api/conversations/" + std::to_string(id), {}, &p.client);
  ASSERT_EQ(page.status, 200);
  const boost::json::value shown = page.json();
  const auto& messages = shown.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("body").as_string(), "Premier");
  const std::string read_path = "/api/conversations/" + std::to_string(id) + "/read";
  const Reply read_one = server().request(
      verb::post, read_path,
      boost::json::serialize(boost::json::object{{"up_to", messages[0].at("id").as_int64()}}),
      &p.client);
  ASSERT_EQ(read_one.status, 200) << read_one.message.body();
  EXPECT_EQ(read_one.json().at("unread").as_int64(), before + 1);
  const Reply read_all = server().request(
      verb::post, read_path,
      boost::json::serialize(boost::json::object{{"up_to", shown.at("last_message_id")}}),
      &p.client);
  EXPECT_EQ(read_all.json().at("unread").as_int64(), before);
  EXPECT_EQ(unread(p), before);
  ASSERT_EQ(post(p, id, "Merci").status, 201);
  EXPECT_EQ(unread(p), before);
  EXPECT_EQ(server().request(verb::post, read_path, R"({"up_to": "x"})", &p.client).status, 400);
}

TEST_F(Messages, ConversationsAreForTheirParticipantsOnly) {
  const Member& staff = of_role("staff", second_school());
  const Member& teacher = of_role("teacher", second_school());
  const Reply created = start(staff, {teacher.id}, "Confidentiel");
  ASSERT_EQ(created.status, 201);
  const std::string path =
      "/api/conversations/" + std::to_string(created.json().at("id").as_int64());
  for (const Member* outsider : {&of_role("admin", second_school()), &pupil(second_school()),
                                 &of_role("staff", first_school())}) {
    const Reply seen = server().request(verb::get, path, {}, &outsider->client);
    EXPECT_EQ(seen.status, 404) << outsider->account.login;
    EXPECT_EQ(seen.message.body().find("Confidentiel"), std::string::npos);
    EXPECT_EQ(server()
                  .request(verb::post, path + "/messages", R"({"body": "Je m'invite"})",
                           &outsider->client)
                  .status,
              404);
    EXPECT_EQ(
        server().request(verb::post, path + "/read", R"({"up_to": 1})", &outsider->client).status,
        404);
  }
  EXPECT_EQ(server().request(verb::get, path, {}, &teacher.client).status, 200);
  EXPECT_EQ(server().request(verb::get, "/api/conversations/999999999", {}, &teacher.client).status,
            404);
  EXPECT_EQ(server().request(verb::get, path).status, 401);
}

TEST_F(Messages, PagesOfMessages) {
  const Member& a = of_role("teacher", first_school());
  const Member& b = of_role("staff", first_school());
  const Reply created = start(a, {b.id}, "Message 0");
  ASSERT_EQ(created.status, 201);
  const std::int64_t id = created.json().at("id").as_int64();
  for (int i = 1; i < 8; ++i) {
    ASSERT_EQ(post(i % 2 == 0 ? a : b, id, "Message " + std::to_string(i)).status, 201);
  }
  const std::string path = "/api/conversations/" + std::to_string(id);
  std::vector<std::string> bodies;  // newest page first, each page oldest first
  std::string target = path + "?limit=3";
  int pages = 0;
  while (!target.empty() && pages < 10) {
    const Reply reply = server().request(verb::get, target, {}, &a.client);
    ASSERT_EQ(reply.status, 200) << reply.message.body();
    const boost::json::value page = reply.json();
    const auto& messages = page.at("messages").as_array();
    EXPECT_LE(messages.size(), 3u);
    std::vector<std::string> these;
    for (const auto& message : messages) {
      these.push_back(std::string(message.at("body").as_string()));
    }
    bodies.insert(bodies.begin(), these.begin(), these.end());
    target = page.at("next_before").is_null()
                 ? ""
                 : path + "?limit=3&before=" + std::to_string(page.at("next_before").as_int64());
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(bodies.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(bodies[static_cast<std::size_t>(i)], "Message " + std::to_string(i));
  }
  EXPECT_EQ(server().request(verb::get, path + "?limit=101", {}, &a.client).status, 400);
  EXPECT_EQ(server().request(verb::get, path + "?limit=0", {}, &a.client).status, 400);
  EXPECT_EQ(server().request(verb::get, path + "?before=abc", {}, &a.client).status, 400);
}

TEST_F(Messages, AttachmentsAreReadByParticipantsOnly) {
  const Member& teacher = of_role("teacher", first_school());
  const Member& p = people().find(
      [&](const Member& m) { return m.role() == "pupil" && teacher.taught.contains(m.class_id); },
      "pupil of teacher");
  const Reply uploaded = server().request(verb::post, "/api/files?name=fiche.pdf", kPdf,
                                          &teacher.client, {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(uploaded.status, 201) << uploaded.message.body();
  const std::int64_t file = uploaded.json().at("id").as_int64();
  const std::string file_path = "/api/files/" + std::to_string(file);
  // A pupil cannot attach the teacher's file.
  const Reply stolen = start(p, {teacher.id}, "Regardez", {file});
  EXPECT_EQ(stolen.status, 400);
  EXPECT_TRUE(stolen.json().at("error").at("fields").as_object().contains("attachment_ids"));
  EXPECT_EQ(server().request(verb::get, file_path, {}, &p.client).status, 404);

  const Reply sent = start(teacher, {p.id}, "La fiche", {file});
  ASSERT_EQ(sent.status, 201) << sent.message.body();
  const boost::json::value json = sent.json();
  const auto& attachments = json.at("messages").as_array().front().at("attachments").as_array();
  ASSERT_EQ(attachments.size(), 1u);
  EXPECT_EQ(attachments.front().at("id").as_int64(), file);
  const Reply downloaded = server().request(verb::get, file_path, {}, &p.client);
  EXPECT_EQ(downloaded.status, 200);
  EXPECT_EQ(downloaded.message.body(), kPdf);
  const Member& classmate = pupil(p.school_id, p.id);
  EXPECT_EQ(server().request(verb::get, file_path, {}, &classmate.client).status, 404);
  EXPECT_EQ(
      server().request(verb::get, file_path, {}, &of_role("staff", p.school_id).client).status,
      404);
}

TEST_F(Messages, BadInputsAreRefused) {
  const Member& staff = of_role("admin", first_school());
  const std::int64_t someone = of_role("teacher", first_school()).id;
  const auto field_error = [](const Reply& reply, const std::string& field) {
    EXPECT_EQ(reply.status, 400) << reply.message.body();
    return reply.status == 400 && reply.json().at("error").at("fields").as_object().contains(field);
  };
  EXPECT_TRUE(field_error(start(staff, {someone}, ""), "body"));
  EXPECT_TRUE(field_error(start(staff, {someone}, "   "), "body"));
  EXPECT_TRUE(field_error(start(staff, {someone}, std::string(10'001, 'a')), "body"));
  EXPECT_EQ(start(staff, {someone}, std::string(10'000, 'a')).status, 201);
  EXPECT_TRUE(field_error(start(staff, {}), "participant_ids"));
  EXPECT_TRUE(field_error(start(staff, {staff.id}), "participant_ids"));  // only oneself
  std::vector<std::int64_t> crowd;
  for (const Member* member : people().all(
           [&](const Member& m) { return m.school_id == staff.school_id && m.id != staff.id; })) {
    crowd.push_back(member->id);
  }
  ASSERT_GE(crowd.size(), 20u);
  crowd.resize(20);
  EXPECT_TRUE(field_error(start(staff, crowd), "participant_ids"));
  crowd.resize(19);
  EXPECT_EQ(start(staff, crowd).status, 201);  // twenty with the creator
  const Reply unknown = start(staff, {999'999'999});
  EXPECT_EQ(unknown.status, 403);  // the same answer as for someone they may not write to
  const Reply long_subject = server().request(
      verb::post, "/api/conversations",
      boost::json::serialize(boost::json::object{{"subject", std::string(201, 's')},
                                                 {"participant_ids", boost::json::array{someone}},
                                                 {"body", "x"}}),
      &staff.client);
  EXPECT_TRUE(field_error(long_subject, "subject"));
  const Reply bad_json =
      server().request(verb::post, "/api/conversations", "{\"subject\": ", &staff.client);
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.json().at("error").at("code").as_string(), "bad_json");
  EXPECT_TRUE(field_error(start(staff, {someone}, "x", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}),
                          "attachment_ids"));
  EXPECT_EQ(server()
                .request(verb::get, "/api/contacts?q=" + std::string(101, 'a'), {}, &staff.client)
                .status,
            400);
}

TEST_F(Messages, SendingIsRateLimitedPerPerson) {
  const Member& staff = of_role("staff", second_school());
  const Member& admin = of_role("admin", second_school());
  const Reply created = start(staff, {admin.id});
  ASSERT_EQ(created.status, 201);
  const std::int64_t id = created.json().at("id").as_int64();
  int sent = 1;
  Reply last;
  while (sent < 40) {
    last = post(staff, id, "Encore " + std::to_string(sent));
    if (last.status != 201) {
      break;
    }
    ++sent;
  }
  // 30 a minute (a few sent earlier in this suite may count, a token may refill meanwhile).
  EXPECT_GE(sent, 20);
  EXPECT_LE(sent, 32);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(last.json().at("error").at("code").as_string(), "rate_limited");
  EXPECT_FALSE(last.header("Retry-After").empty());
  // Someone else is not held back.
  EXPECT_EQ(post(admin, id, "Je peux encore écrire").status, 201);
}

TEST_F(Messages, TheDemoHasConversations) {
  const Member& principal = people().find(
      [](const Member& m) { return m.account.login.rfind("principal.", 0) == 0; }, "principal");
  const Reply list = server().request(verb::get, "/api/conversations", {}, &principal.client);
  ASSERT_EQ(list.status, 200);
  EXPECT_FALSE(list.json().at("conversations").as_array().empty());
}

}  // namespace
}  // namespace cartable::testing
