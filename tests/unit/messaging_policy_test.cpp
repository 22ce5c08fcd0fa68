// The messaging and announcement rules of guard/policy, as tables: every pair of roles under every
// combination of relation facts, in the same school and across schools.
#include <gtest/gtest.h>

#include <string>

#include "guard/policy.hpp"

namespace cartable::guard {
namespace {

constexpr std::int64_t kSchool = 11;
constexpr std::int64_t kOtherSchool = 12;
constexpr std::int64_t kFrom = 100;
constexpr std::int64_t kTo = 200;

// The one fact that lets `from` write to `to`; `always` within the school, `none` never.
enum class Grant {
  none,
  always,
  teaches_actor,
  taught_by_actor,
  parent_of_taught,
  pupil_messaging
};

struct Rule {
  Role from;
  Role to;
  Grant grant;
};

constexpr Rule kRules[] = {
    {Role::pupil, Role::pupil, Grant::pupil_messaging},
    {Role::pupil, Role::teacher, Grant::teaches_actor},
    {Role::pupil, Role::parent, Grant::none},
    {Role::pupil, Role::staff, Grant::always},
    {Role::pupil, Role::admin, Grant::always},
    {Role::teacher, Role::pupil, Grant::taught_by_actor},
    {Role::teacher, Role::teacher, Grant::always},
    {Role::teacher, Role::parent, Grant::parent_of_taught},
    {Role::teacher, Role::staff, Grant::always},
    {Role::teacher, Role::admin, Grant::always},
    {Role::parent, Role::pupil, Grant::none},
    {Role::parent, Role::teacher, Grant::teaches_actor},
    {Role::parent, Role::parent, Grant::none},
    {Role::parent, Role::staff, Grant::always},
    {Role::parent, Role::admin, Grant::always},
    {Role::staff, Role::pupil, Grant::always},
    {Role::staff, Role::teacher, Grant::always},
    {Role::staff, Role::parent, Grant::always},
    {Role::staff, Role::staff, Grant::always},
    {Role::staff, Role::admin, Grant::always},
    {Role::admin, Role::pupil, Grant::always},
    {Role::admin, Role::teacher, Grant::always},
    {Role::admin, Role::parent, Grant::always},
    {Role::admin, Role::staff, Grant::always},
    {Role::admin, Role::admin, Grant::always},
};

SessionClaims claims(Role role, std::int64_t user_id = kFrom) {
  SessionClaims result;
  result.user_id = user_id;
  result.role = role;
  result.school_id = kSchool;
  return result;
}

PersonRelation relation(Role to, unsigned bits, bool same_school) {
  PersonRelation result;
  result.role = to;
  result.school_id = same_school ? kSchool : kOtherSchool;
  result.teaches_actor = (bits & 1u) != 0;
  result.taught_by_actor = (bits & 2u) != 0;
  result.parent_of_taught = (bits & 4u) != 0;
  result.pupil_messaging = (bits & 8u) != 0;
  return result;
}

bool granted(Grant grant, const PersonRelation& facts) {
  switch (grant) {
    case Grant::none:
      return false;
    case Grant::always:
      return true;
    case Grant::teaches_actor:
      return facts.teaches_actor;
    case Grant::taught_by_actor:
      return facts.taught_by_actor;
    case Grant::parent_of_taught:
      return facts.parent_of_taught;
    case Grant::pupil_messaging:
      return facts.pupil_messaging;
  }
  return false;
}

TEST(MessagingPolicy, EveryRolePairAndRelation) {
  std::size_t checked = 0;
  for (const Rule& rule : kRules) {
    for (unsigned bits = 0; bits < 16; ++bits) {
      for (const bool same_school : {true, false}) {
        const PersonRelation facts = relation(rule.to, bits, same_school);
        const bool expected = same_school && granted(rule.grant, facts);
        EXPECT_EQ(may_message(claims(rule.from), kTo, facts), expected)
            << role_name(rule.from) << " -> " << role_name(rule.to) << " facts " << bits
            << (same_school ? " same school" : " other school");
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 25u * 16u * 2u);
}

TEST(MessagingPolicy, NeverToOneself) {
  for (const Rule& rule : kRules) {
    EXPECT_FALSE(may_message(claims(rule.from), kFrom, relation(rule.from, 15, true)))
        << role_name(rule.from);
  }
}

// The same relationship seen from both ends gives the same answer.
TEST(MessagingPolicy, Symmetric) {
  // A pupil and the teacher of their class.
  PersonRelation teacher = relation(Role::teacher, 1, true);
  PersonRelation pupil = relation(Role::pupil, 2, true);
  EXPECT_TRUE(may_message(claims(Role::pupil), kTo, teacher));
  EXPECT_TRUE(may_message(claims(Role::teacher), kTo, pupil));
  // A parent and their child's teacher.
  PersonRelation parent = relation(Role::parent, 4, true);
  EXPECT_TRUE(may_message(claims(Role::parent), kTo, teacher));
  EXPECT_TRUE(may_message(claims(Role::teacher), kTo, parent));
  // Unrelated: refused both ways.
  EXPECT_FALSE(may_message(claims(Role::pupil), kTo, relation(Role::teacher, 0, true)));
  EXPECT_FALSE(may_message(claims(Role::teacher), kTo, relation(Role::pupil, 0, true)));
  EXPECT_FALSE(may_message(claims(Role::parent), kTo, relation(Role::teacher, 0, true)));
  EXPECT_FALSE(may_message(claims(Role::teacher), kTo, relation(Role::parent, 0, true)));
}

TEST(AnnouncementPolicy, WhoAnnouncesWhere) {
  ClassRelation taught;
  taught.school_id = kSchool;
  taught.teaches_class = true;
  ClassRelation untaught;
  untaught.school_id = kSchool;
  ClassRelation foreign;
  foreign.school_id = kOtherSchool;
  foreign.teaches_class = true;

  EXPECT_TRUE(may_announce_to_class(claims(Role::teacher), taught));
  EXPECT_FALSE(may_announce_to_class(claims(Role::teacher), untaught));
  for (const Role role : {Role::staff, Role::admin}) {
    EXPECT_TRUE(may_announce_to_class(claims(role), untaught)) << role_name(role);
    EXPECT_FALSE(may_announce_to_class(claims(role), ClassRelation{kOtherSchool}))
        << role_name(role);
    EXPECT_TRUE(may_announce_school_wide(claims(role), kSchool));
    EXPECT_FALSE(may_announce_school_wide(claims(role), kOtherSchool));
    EXPECT_TRUE(may_manage_school(claims(role), kSchool));
    EXPECT_FALSE(may_manage_school(claims(role), kOtherSchool));
  }
  for (const Role role : {Role::pupil, Role::parent}) {
    ClassRelation everything = taught;
    everything.enrolled = true;
    everything.parent_of_enrolled = true;
    everything.teaches_subject = true;
    EXPECT_FALSE(may_announce_to_class(claims(role), everything)) << role_name(role);
  }
  for (const Role role : {Role::pupil, Role::parent, Role::teacher}) {
    EXPECT_FALSE(may_announce_school_wide(claims(role), kSchool)) << role_name(role);
    EXPECT_FALSE(may_manage_school(claims(role), kSchool)) << role_name(role);
  }
}

TEST(AnnouncementPolicy, WhoDeletes) {
  for (const Role role : {Role::pupil, Role::parent, Role::teacher, Role::staff, Role::admin}) {
    const bool staff = role == Role::staff || role == Role::admin;
    // Authors delete their own (only pupils and parents never author one: harmless).
    EXPECT_TRUE(may_delete_announcement(claims(role), kSchool, true)) << role_name(role);
    EXPECT_EQ(may_delete_announcement(claims(role), kSchool, false), staff) << role_name(role);
    EXPECT_FALSE(may_delete_announcement(claims(role), kOtherSchool, false)) << role_name(role);
  }
}

TEST(AnnouncementPolicy, WhoReads) {
  for (unsigned bits = 0; bits < 32; ++bits) {
    AnnouncementRelation relation;
    relation.school_wide = (bits & 1u) != 0;
    relation.member_of_school = (bits & 2u) != 0;
    relation.to_own_class = (bits & 4u) != 0;
    relation.author = (bits & 8u) != 0;
    relation.school_id = (bits & 16u) != 0 ? kSchool : kOtherSchool;
    const bool everyone = relation.author || (relation.school_wide && relation.member_of_school) ||
                          relation.to_own_class;
    for (const Role role : {Role::pupil, Role::parent, Role::teacher}) {
      EXPECT_EQ(may_read_announcement(claims(role), relation), everyone)
          << role_name(role) << " " << bits;
    }
    for (const Role role : {Role::staff, Role::admin}) {
      EXPECT_EQ(may_read_announcement(claims(role), relation),
                everyone || relation.school_id == kSchool)
          << role_name(role) << " " << bits;
    }
  }
}

}  // namespace
}  // namespace cartable::guard
