// The SQLite store's messages and announcements: relation facts for messaging, conversations with
// read marks and unread counts, pages of messages, attachments as file uses, and which
// announcements a query returns.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.hpp"

namespace cartable {
namespace {

namespace fs = std::filesystem;

class MessageStore : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "cartable-messages-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    store_ = std::make_unique<SqliteStore>(directory_ / "cartable.db", 1);
    store_->apply_roster(roster(), {}, "2026-11-20T10:00:00Z");
    for (const char* login : {"prof", "other", "p1", "p2", "mum", "cpe"}) {
      ids_[login] = store_->credentials(login)->user_id;
    }
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(directory_);
  }

  // Two classes: 6A (pupils p1, p2; teacher prof; p1's parent mum) and 6B (teacher other).
  static Roster roster() {
    Roster roster;
    roster.schools.push_back({"s", "École", "Europe/Paris"});
    roster.classes.push_back({"s", "6A", "6e A"});
    roster.classes.push_back({"s", "6B", "6e B"});
    roster.subjects.push_back({"s", "MATH", "Mathématiques"});
    roster.people.push_back({"prof", Role::teacher, "s", "Ada", "Prof", "", ""});
    roster.people.push_back({"other", Role::teacher, "s", "Alan", "Autre", "", ""});
    roster.people.push_back({"p1", Role::pupil, "s", "Léa", "Martin", "6A", ""});
    roster.people.push_back({"p2", Role::pupil, "s", "Hugo", "Bernard", "6A", ""});
    roster.people.push_back({"mum", Role::parent, "s", "Anne", "Martin", "", ""});
    roster.people.push_back({"cpe", Role::staff, "s", "Claire", "Vie", "", ""});
    roster.teachings.push_back({"prof", "s", "6A", "MATH"});
    roster.teachings.push_back({"other", "s", "6B", "MATH"});
    roster.parent_links.push_back({"mum", "p1"});
    return roster;
  }

  Id id(const char* login) { return ids_.at(login); }

  fs::path directory_;
  std::unique_ptr<SqliteStore> store_;
  std::map<std::string, Id> ids_;
};

TEST_F(MessageStore, FactsSeenFromEachSide) {
  const auto of_pupil = store_->messaging_facts(id("p1"), {id("prof"), id("other")});
  ASSERT_EQ(of_pupil.size(), 2u);
  EXPECT_TRUE(of_pupil[0].teaches_actor);   // prof teaches 6A
  EXPECT_FALSE(of_pupil[1].teaches_actor);  // other teaches 6B
  EXPECT_EQ(of_pupil[0].role, Role::teacher);

  const auto of_parent = store_->messaging_facts(id("mum"), {id("prof")});
  ASSERT_EQ(of_parent.size(), 1u);
  EXPECT_TRUE(of_parent[0].teaches_actor);

  const auto of_teacher = store_->messaging_facts(id("prof"), {id("p1"), id("mum"), 99999});
  ASSERT_EQ(of_teacher.size(), 2u);  // the unknown id is left out
  EXPECT_TRUE(of_teacher[0].taught_by_actor);
  EXPECT_TRUE(of_teacher[1].parent_of_taught);
  const auto of_other = store_->messaging_facts(id("other"), {id("p1"), id("mum")});
  EXPECT_FALSE(of_other[0].taught_by_actor);
  EXPECT_FALSE(of_other[1].parent_of_taught);

  const auto school = store_->user(id("p1"))->school.id;
  EXPECT_EQ(store_->messaging_candidates(id("p1"), school, "").size(), 6u);
  const auto martins = store_->messaging_candidates(id("p1"), school, "marTIN");
  ASSERT_EQ(martins.size(), 2u);
  EXPECT_EQ(martins[0].person.first_name, "Anne");  // by last name, then first name
  EXPECT_EQ(store_->messaging_candidates(id("p1"), school, "Léa Martin").size(), 1u);
  EXPECT_TRUE(store_->messaging_candidates(id("p1"), school, "%").empty());
}

TEST_F(MessageStore, UnreadCountsReadMarksAndPages) {
  const Id conversation = store_->create_conversation(
      {1, "Sortie", {id("prof"), id("p1"), id("mum")}, {id("prof"), "Bonjour", {}}}, "t1");
  EXPECT_EQ(store_->unread_messages(id("prof")), 0);  // one's own messages are read
  EXPECT_EQ(store_->unread_messages(id("p1")), 1);
  Id last = 0;
  for (int i = 0; i < 5; ++i) {
    last =
        *store_->add_message(conversation, {id("mum"), "Message " + std::to_string(i), {}}, "t2");
  }
  EXPECT_FALSE(store_->add_message(99999, {id("mum"), "x", {}}, "t2").has_value());
  EXPECT_EQ(store_->unread_messages(id("p1")), 6);
  EXPECT_EQ(store_->unread_messages(id("prof")), 5);
  EXPECT_EQ(store_->unread_messages(id("mum")), 0);  // writing reads what came before

  const auto page = store_->conversation_messages(conversation, 0, 2);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, last);  // newest first
  const auto older = store_->conversation_messages(conversation, page[1].id, 10);
  ASSERT_EQ(older.size(), 4u);
  EXPECT_EQ(older.back().body, "Bonjour");

  EXPECT_TRUE(store_->mark_read(conversation, id("p1"), page[1].id));
  EXPECT_EQ(store_->unread_messages(id("p1")), 1);
  EXPECT_TRUE(store_->mark_read(conversation, id("p1"), 1));  // never backwards
  EXPECT_EQ(store_->unread_messages(id("p1")), 1);
  EXPECT_TRUE(store_->mark_read(conversation, id("p1"), last + 1000));  // capped at the last
  EXPECT_EQ(store_->unread_messages(id("p1")), 0);
  EXPECT_FALSE(store_->mark_read(conversation, id("other"), last));  // not a participant

  const auto list = store_->user_conversations(id("prof"), 10);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].unread, 5);
  EXPECT_EQ(list[0].participant_count, 3);
  EXPECT_EQ(list[0].conversation.last_message_id, last);
  EXPECT_TRUE(store_->user_conversations(id("other"), 10).empty());
  const auto record = store_->conversation(conversation);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->participants.size(), 3u);
  EXPECT_EQ(record->created_by.id, id("prof"));
}

TEST_F(MessageStore, AttachmentsAreFileUsesOfTheConversation) {
  const Id file = store_->create_file(
      {std::string(64, 'a'), 10, 0, "application/pdf", "a.pdf", id("prof"), 1}, "2026-01-01");
  const Id conversation = store_->create_conversation(
      {1, "Pièce jointe", {id("prof"), id("p1")}, {id("prof"), "Voici", {file}}}, "t1");
  const auto uses = store_->file_uses(file);
  ASSERT_EQ(uses.size(), 1u);
  EXPECT_EQ(uses[0].kind, FileUseKind::message_attachment);
  EXPECT_EQ(uses[0].object_id, conversation);
  EXPECT_EQ(store_->delete_unattached_files("2030-01-01"), 0u);  // attached: kept
  const auto messages = store_->conversation_messages(conversation, 0, 10);
  ASSERT_EQ(messages.size(), 1u);
  ASSERT_EQ(messages[0].attachments.size(), 1u);
  EXPECT_EQ(messages[0].attachments[0].name, "a.pdf");
}

TEST_F(MessageStore, AnnouncementQueries) {
  const auto classes = store_->school_classes(1);
  ASSERT_EQ(classes.size(), 2u);
  const Id a = classes[0].id;
  const Id b = classes[1].id;
  const Id wide = store_->create_announcement({1, id("cpe"), "Tous", "", "2026-12-01", {}}, "t");
  const Id to_a = store_->create_announcement({1, id("prof"), "6A", "", "2026-12-01", {a}}, "t");
  const Id to_b = store_->create_announcement({1, id("other"), "6B", "", "2026-12-01", {b}}, "t");
  const Id old = store_->create_announcement({1, id("cpe"), "Vieux", "", "2026-11-01", {}}, "t");

  const auto ids = [](const std::vector<AnnouncementRecord>& records) {
    std::vector<Id> result;
    for (const auto& record : records) {
      result.push_back(record.id);
    }
    return result;
  };
  EXPECT_EQ(ids(store_->announcements({1, "2026-11-23", {a}, 0, false})),
            (std::vector<Id>{to_a, wide}));
  EXPECT_EQ(ids(store_->announcements({1, "2026-11-23", {}, id("other"), false})),
            (std::vector<Id>{to_b, wide}));
  EXPECT_EQ(ids(store_->announcements({1, "2026-11-23", {}, 0, true})),
            (std::vector<Id>{to_b, to_a, wide}));
  EXPECT_EQ(ids(store_->announcements({1, "2026-10-01", {}, 0, true})),
            (std::vector<Id>{old, to_b, to_a, wide}));
  EXPECT_TRUE(store_->announcements({2, "2026-10-01", {}, 0, true}).empty());
  const auto record = store_->announcement(to_a);
  ASSERT_TRUE(record.has_value());
  ASSERT_EQ(record->classes.size(), 1u);
  EXPECT_EQ(record->classes[0].name, "6e A");
  EXPECT_TRUE(store_->delete_announcement(to_a));
  EXPECT_FALSE(store_->delete_announcement(to_a));
  EXPECT_FALSE(store_->announcement(to_a).has_value());
}

}  // namespace
}  // namespace cartable
