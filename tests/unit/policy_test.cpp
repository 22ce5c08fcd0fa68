#include "guard/policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cartable::guard {
namespace {

constexpr std::int64_t kActorSchool = 11;
constexpr std::int64_t kOtherSchool = 12;

// The one relation fact that grants each role each action; `none` means nothing does.
enum class Grant {
  none,
  enrolled,
  parent_of_enrolled,
  teaches_class,
  teaches_subject,
  same_school
};

struct Rule {
  Role role;
  Action action;
  Grant grant;
};

// The policy, written out as a table. Everything not granted here is refused.
constexpr Rule kRules[] = {
    {Role::pupil, Action::read_class_work, Grant::enrolled},
    {Role::pupil, Action::write_homework, Grant::none},
    {Role::parent, Action::read_class_work, Grant::parent_of_enrolled},
    {Role::parent, Action::write_homework, Grant::none},
    {Role::teacher, Action::read_class_work, Grant::teaches_class},
    {Role::teacher, Action::write_homework, Grant::teaches_subject},
    {Role::staff, Action::read_class_work, Grant::same_school},
    {Role::staff, Action::write_homework, Grant::none},
    {Role::admin, Action::read_class_work, Grant::same_school},
    {Role::admin, Action::write_homework, Grant::none},
    {Role::pupil, Action::join_live_class, Grant::enrolled},
    {Role::pupil, Action::run_live_class, Grant::none},
    {Role::parent, Action::join_live_class, Grant::none},
    {Role::parent, Action::run_live_class, Grant::none},
    {Role::teacher, Action::join_live_class, Grant::teaches_class},
    {Role::teacher, Action::run_live_class, Grant::teaches_class},
    {Role::staff, Action::join_live_class, Grant::same_school},
    {Role::staff, Action::run_live_class, Grant::none},
    {Role::admin, Action::join_live_class, Grant::same_school},
    {Role::admin, Action::run_live_class, Grant::none},
    {Role::pupil, Action::read_class_grades, Grant::none},
    {Role::pupil, Action::write_grades, Grant::none},
    {Role::parent, Action::read_class_grades, Grant::none},
    {Role::parent, Action::write_grades, Grant::none},
    {Role::teacher, Action::read_class_grades, Grant::teaches_subject},
    {Role::teacher, Action::write_grades, Grant::teaches_subject},
    {Role::staff, Action::read_class_grades, Grant::same_school},
    {Role::staff, Action::write_grades, Grant::none},
    {Role::admin, Action::read_class_grades, Grant::same_school},
    {Role::admin, Action::write_grades, Grant::none},
    {Role::pupil, Action::write_resources, Grant::none},
    {Role::parent, Action::write_resources, Grant::none},
    {Role::teacher, Action::write_resources, Grant::teaches_subject},
    {Role::staff, Action::write_resources, Grant::none},
    {Role::admin, Action::write_resources, Grant::none},
    {Role::pupil, Action::read_attendance, Grant::none},
    {Role::parent, Action::read_attendance, Grant::none},
    {Role::teacher, Action::read_attendance, Grant::teaches_class},
    {Role::staff, Action::read_attendance, Grant::same_school},
    {Role::admin, Action::read_attendance, Grant::same_school},
};

struct Facts {
  bool same_school = false;
  bool enrolled = false;
  bool parent_of_enrolled = false;
  bool teaches_class = false;
  bool teaches_subject = false;

  static Facts from_bits(unsigned bits) {
    return Facts{(bits & 1u) != 0, (bits & 2u) != 0, (bits & 4u) != 0, (bits & 8u) != 0,
                 (bits & 16u) != 0};
  }

  bool has(Grant grant) const {
    switch (grant) {
      case Grant::none:
        return false;
      case Grant::enrolled:
        return enrolled;
      case Grant::parent_of_enrolled:
        return parent_of_enrolled;
      case Grant::teaches_class:
        return teaches_class;
      case Grant::teaches_subject:
        return teaches_subject;
      case Grant::same_school:
        return same_school;
    }
    return false;
  }

  ClassRelation relation() const {
    ClassRelation relation;
    relation.school_id = same_school ? kActorSchool : kOtherSchool;
    relation.enrolled = enrolled;
    relation.parent_of_enrolled = parent_of_enrolled;
    relation.teaches_class = teaches_class;
    relation.teaches_subject = teaches_subject;
    return relation;
  }

  std::string describe() const {
    std::string text;
    text += same_school ? " same_school" : " other_school";
    text += enrolled ? " enrolled" : "";
    text += parent_of_enrolled ? " parent_of_enrolled" : "";
    text += teaches_class ? " teaches_class" : "";
    text += teaches_subject ? " teaches_subject" : "";
    return text;
  }
};

SessionClaims actor(Role role) {
  SessionClaims claims;
  claims.user_id = 100;
  claims.role = role;
  claims.school_id = kActorSchool;
  return claims;
}

const char* action_name(Action action) {
  switch (action) {
    case Action::read_class_work:
      return "read_class_work";
    case Action::write_homework:
      return "write_homework";
    case Action::join_live_class:
      return "join_live_class";
    case Action::run_live_class:
      return "run_live_class";
    case Action::read_class_grades:
      return "read_class_grades";
    case Action::write_grades:
      return "write_grades";
    case Action::write_resources:
      return "write_resources";
    case Action::read_attendance:
      return "read_attendance";
  }
  return "?";
}

TEST(Policy, EveryRoleActionAndRelationCombination) {
  std::size_t checked = 0;
  std::size_t allowed = 0;
  for (const Rule& rule : kRules) {
    for (unsigned bits = 0; bits < 32; ++bits) {
      const Facts facts = Facts::from_bits(bits);
      const bool expected = facts.has(rule.grant);
      EXPECT_EQ(can(actor(rule.role), rule.action, facts.relation()), expected)
          << role_name(rule.role) << " " << action_name(rule.action) << ":" << facts.describe();
      ++checked;
      allowed += expected ? 1 : 0;
    }
  }
  EXPECT_EQ(checked, 5u * 8u * 32u);
  // Nineteen rules grant under one fact each: half of their 32 combinations.
  EXPECT_EQ(allowed, 19u * 16u);
}

TEST(Policy, OnlyATeacherOfTheSubjectWrites) {
  ClassRelation everything;
  everything.school_id = kActorSchool;
  everything.enrolled = true;
  everything.parent_of_enrolled = true;
  everything.teaches_class = true;
  everything.teaches_subject = true;
  for (const Role role : {Role::pupil, Role::parent, Role::staff, Role::admin}) {
    EXPECT_FALSE(can(actor(role), Action::write_homework, everything)) << role_name(role);
    EXPECT_TRUE(can(actor(role), Action::read_class_work, everything)) << role_name(role);
  }
  EXPECT_TRUE(can(actor(Role::teacher), Action::write_homework, everything));
  for (const Role role : {Role::pupil, Role::parent, Role::staff, Role::admin}) {
    EXPECT_FALSE(can(actor(role), Action::write_grades, everything)) << role_name(role);
  }
  EXPECT_TRUE(can(actor(Role::teacher), Action::write_grades, everything));

  // Teaching the class another subject lets a teacher read, not write.
  ClassRelation other_subject;
  other_subject.school_id = kActorSchool;
  other_subject.teaches_class = true;
  EXPECT_TRUE(can(actor(Role::teacher), Action::read_class_work, other_subject));
  EXPECT_FALSE(can(actor(Role::teacher), Action::write_homework, other_subject));
  // ...and sees no marks of that class.
  EXPECT_FALSE(can(actor(Role::teacher), Action::read_class_grades, other_subject));
  EXPECT_FALSE(can(actor(Role::teacher), Action::write_grades, other_subject));
}

TEST(Policy, SchoolIdsAreComparedExactly) {
  ClassRelation relation;
  for (const Role role : {Role::staff, Role::admin}) {
    SessionClaims claims = actor(role);
    relation.school_id = claims.school_id;
    EXPECT_TRUE(can(claims, Action::read_class_work, relation));
    relation.school_id = claims.school_id + 1;
    EXPECT_FALSE(can(claims, Action::read_class_work, relation));
    relation.school_id = -claims.school_id;
    EXPECT_FALSE(can(claims, Action::read_class_work, relation));
    relation.school_id = 0;
    EXPECT_FALSE(can(claims, Action::read_class_work, relation));
  }
}

// A pupil's work (hand-ins), as a table: role × action → the facts that grant it.
struct WorkFacts {
  bool own = false;
  bool parent = false;
  bool enrolled = false;
  bool teaches_subject = false;
};

struct WorkRule {
  Role role;
  WorkAction action;
  bool (*granted)(const WorkFacts&);
};

constexpr bool never(const WorkFacts&) {
  return false;
}

constexpr WorkRule kWorkRules[] = {
    {Role::pupil, WorkAction::hand_in, [](const WorkFacts& f) { return f.own && f.enrolled; }},
    {Role::pupil, WorkAction::read_work, [](const WorkFacts& f) { return f.own; }},
    {Role::pupil, WorkAction::review_work, never},
    {Role::parent, WorkAction::hand_in, never},
    {Role::parent, WorkAction::read_work, [](const WorkFacts& f) { return f.parent; }},
    {Role::parent, WorkAction::review_work, never},
    {Role::teacher, WorkAction::hand_in, never},
    {Role::teacher, WorkAction::read_work, [](const WorkFacts& f) { return f.teaches_subject; }},
    {Role::teacher, WorkAction::review_work, [](const WorkFacts& f) { return f.teaches_subject; }},
    {Role::staff, WorkAction::hand_in, never},
    {Role::staff, WorkAction::read_work, never},
    {Role::staff, WorkAction::review_work, never},
    {Role::admin, WorkAction::hand_in, never},
    {Role::admin, WorkAction::read_work, never},
    {Role::admin, WorkAction::review_work, never},
};

TEST(Policy, EveryRoleWorkActionAndRelationCombination) {
  std::size_t checked = 0;
  for (const WorkRule& rule : kWorkRules) {
    for (unsigned bits = 0; bits < 16; ++bits) {
      const WorkFacts facts{(bits & 1u) != 0, (bits & 2u) != 0, (bits & 4u) != 0, (bits & 8u) != 0};
      PupilWorkRelation relation;
      relation.own = facts.own;
      relation.parent = facts.parent;
      relation.school_class.school_id = kActorSchool;  // same school grants nothing here
      relation.school_class.enrolled = facts.enrolled;
      relation.school_class.parent_of_enrolled = facts.parent;
      relation.school_class.teaches_class = facts.teaches_subject;
      relation.school_class.teaches_subject = facts.teaches_subject;
      EXPECT_EQ(can(actor(rule.role), rule.action, relation), rule.granted(facts))
          << role_name(rule.role) << " action " << static_cast<int>(rule.action) << " bits "
          << bits;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 5u * 3u * 16u);
}

}  // namespace
}  // namespace cartable::guard
