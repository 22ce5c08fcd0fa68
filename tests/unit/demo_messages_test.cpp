// The demo's announcements and conversations: a few per school, between people the school lets
// talk to each other, and loadable into the store.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "demo/generator.hpp"

namespace cartable {
namespace {

TEST(DemoMessages, AFewPerSchoolBetweenItsPeople) {
  DemoOptions options;
  options.schools = 3;
  options.classes_per_school = 4;
  options.pupils_per_class = 5;
  options.today = Date{2026, 11, 23};
  const Roster roster = generate_demo(options);
  std::map<std::string, const Person*> people;
  for (const Person& person : roster.people) {
    people[person.login] = &person;
  }
  EXPECT_EQ(roster.announcements.size(), 3u * 3);
  EXPECT_EQ(roster.conversations.size(), 3u * 3);
  for (const AnnouncementItem& item : roster.announcements) {
    ASSERT_TRUE(people.contains(item.author_login)) << item.author_login;
    EXPECT_EQ(people[item.author_login]->school_code, item.school_code);
    EXPECT_EQ(item.until, "2026-12-23");
  }
  for (const ConversationItem& item : roster.conversations) {
    ASSERT_GE(item.participant_logins.size(), 2u);
    std::set<std::string> participants(item.participant_logins.begin(),
                                       item.participant_logins.end());
    for (const std::string& login : item.participant_logins) {
      ASSERT_TRUE(people.contains(login)) << login;
      EXPECT_EQ(people[login]->school_code, item.school_code);
    }
    for (const MessageItem& message : item.messages) {
      EXPECT_TRUE(participants.contains(message.author_login)) << message.author_login;
    }
  }
  // Deterministic.
  const Roster again = generate_demo(options);
  ASSERT_EQ(again.conversations.size(), roster.conversations.size());
  for (std::size_t i = 0; i < roster.conversations.size(); ++i) {
    EXPECT_EQ(again.conversations[i].participant_logins,
              roster.conversations[i].participant_logins);
  }
}

}  // namespace
}  // namespace cartable
