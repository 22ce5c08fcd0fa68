#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/civil_time.hpp"
#include "demo/generator.hpp"

namespace cartable {
namespace {

constexpr Date kMonday{2025, 9, 15};  // an ordinary school week, ISO week 38 (week B)

DemoOptions options_for(int schools, int classes, int pupils, std::uint64_t seed = 2021) {
  DemoOptions options;
  options.schools = schools;
  options.classes_per_school = classes;
  options.pupils_per_class = pupils;
  options.seed = seed;
  options.today = kMonday;
  return options;
}

DemoOptions scenario_options() {
  return options_for(4, 24, 30);
}

// Every field of the Roster in one string, so two Rosters compare byte for byte.
std::string dump(const Roster& roster) {
  std::string out;
  const auto field = [&out](const std::string& value) {
    out += value;
    out += '\x1f';
  };
  const auto number = [&](int value) { field(std::to_string(value)); };
  for (const School& s : roster.schools) {
    field(s.code), field(s.name), field(s.timezone);
  }
  for (const SchoolClass& c : roster.classes) {
    field(c.school_code), field(c.code), field(c.name);
  }
  for (const Subject& s : roster.subjects) {
    field(s.school_code), field(s.code), field(s.name);
  }
  for (const Person& p : roster.people) {
    field(p.login), number(static_cast<int>(p.role)), field(p.school_code), field(p.first_name);
    field(p.last_name), field(p.class_code), field(p.password);
  }
  for (const Teaching& t : roster.teachings) {
    field(t.teacher_login), field(t.school_code), field(t.class_code), field(t.subject_code);
  }
  for (const ParentLink& l : roster.parent_links) {
    field(l.parent_login), field(l.pupil_login);
  }
  for (const TimetableSlot& s : roster.slots) {
    field(s.school_code), field(s.class_code), field(s.subject_code), field(s.teacher_login);
    number(s.weekday), number(s.start_minute), number(s.end_minute), field(s.room);
    number(static_cast<int>(s.week));
  }
  for (const Holiday& h : roster.holidays) {
    field(h.school_code), field(h.first_day), field(h.last_day), field(h.label);
  }
  for (const HomeworkItem& h : roster.homework) {
    field(h.school_code), field(h.class_code), field(h.subject_code), field(h.author_login);
    field(h.title), field(h.body), field(h.due_date);
  }
  for (const EvaluationItem& e : roster.evaluations) {
    field(e.school_code), field(e.class_code), field(e.subject_code), field(e.author_login);
    field(e.title), field(e.date), field(std::to_string(e.out_of));
    field(std::to_string(e.coefficient));
    for (const MarkItem& m : e.marks) {
      field(m.pupil_login), number(static_cast<int>(m.state)), field(std::to_string(m.value));
    }
  }
  return out;
}

std::size_t count_role(const Roster& roster, Role role) {
  return static_cast<std::size_t>(
      std::count_if(roster.people.begin(), roster.people.end(),
                    [role](const Person& p) { return p.role == role; }));
}

bool weeks_overlap(WeekParity x, WeekParity y) {
  return x == WeekParity::every || y == WeekParity::every || x == y;
}

bool slots_clash(const TimetableSlot& x, const TimetableSlot& y) {
  return x.weekday == y.weekday && x.start_minute < y.end_minute && y.start_minute < x.end_minute &&
         weeks_overlap(x.week, y.week);
}

// Checks that no key in `slots` (grouped by `key`) is in two lessons at once.
template <typename Key>
void expect_no_clash(const Roster& roster, Key key, const char* what) {
  std::map<std::string, std::vector<const TimetableSlot*>> by_key;
  for (const TimetableSlot& slot : roster.slots) {
    by_key[key(slot)].push_back(&slot);
  }
  for (const auto& [name, slots] : by_key) {
    for (std::size_t i = 0; i < slots.size(); ++i) {
      for (std::size_t j = i + 1; j < slots.size(); ++j) {
        EXPECT_FALSE(slots_clash(*slots[i], *slots[j]))
            << what << " " << name << " twice on day " << slots[i]->weekday << " at "
            << slots[i]->start_minute;
      }
    }
  }
}

// The hard constraints of a timetable.
void expect_valid_timetable(const Roster& roster) {
  expect_no_clash(
      roster, [](const TimetableSlot& s) { return s.teacher_login; }, "teacher");
  expect_no_clash(
      roster, [](const TimetableSlot& s) { return s.school_code + "/" + s.class_code; }, "class");
  expect_no_clash(
      roster, [](const TimetableSlot& s) { return s.school_code + "/" + s.room; }, "room");

  std::set<std::tuple<std::string, std::string, std::string, std::string>> teachings;
  for (const Teaching& t : roster.teachings) {
    teachings.emplace(t.teacher_login, t.school_code, t.class_code, t.subject_code);
  }
  // Per class: weekdays taught in week A and in week B, and hours (A and B slots count half).
  std::map<std::string, std::pair<std::set<int>, std::set<int>>> days;
  std::map<std::string, double> hours;
  for (const TimetableSlot& s : roster.slots) {
    EXPECT_TRUE(teachings.count({s.teacher_login, s.school_code, s.class_code, s.subject_code}))
        << s.teacher_login << " has no Teaching for " << s.class_code << " " << s.subject_code;
    EXPECT_GE(s.weekday, 1);
    EXPECT_LE(s.weekday, 5);
    EXPECT_EQ(s.end_minute - s.start_minute, 55);
    EXPECT_GE(s.start_minute, 8 * 60);
    EXPECT_LE(s.end_minute, 17 * 60 + 30);
    if (s.weekday == 3) {
      EXPECT_LE(s.end_minute, 12 * 60) << "Wednesday afternoon is free";
    }
    EXPECT_FALSE(s.room.empty());
    const std::string key = s.school_code + "/" + s.class_code;
    if (s.week != WeekParity::b) {
      days[key].first.insert(s.weekday);
    }
    if (s.week != WeekParity::a) {
      days[key].second.insert(s.weekday);
    }
    hours[key] += s.week == WeekParity::every ? 1.0 : 0.5;
  }
  EXPECT_EQ(days.size(), roster.classes.size());
  for (const SchoolClass& c : roster.classes) {
    const std::string key = c.school_code + "/" + c.code;
    EXPECT_EQ(days[key].first.size(), 5u) << key << " has a weekday without lessons in week A";
    EXPECT_EQ(days[key].second.size(), 5u) << key << " has a weekday without lessons in week B";
    EXPECT_GE(hours[key], 25.0) << key;
    EXPECT_LE(hours[key], 27.0) << key;
  }
}

// Every code and login a record names exists, with the right role and school.
void expect_references_resolve(const Roster& roster) {
  std::set<std::string> schools;
  for (const School& s : roster.schools) {
    schools.insert(s.code);
  }
  std::set<std::pair<std::string, std::string>> classes;
  for (const SchoolClass& c : roster.classes) {
    EXPECT_TRUE(schools.count(c.school_code));
    classes.emplace(c.school_code, c.code);
  }
  std::set<std::pair<std::string, std::string>> subjects;
  for (const Subject& s : roster.subjects) {
    EXPECT_TRUE(schools.count(s.school_code));
    subjects.emplace(s.school_code, s.code);
  }
  std::map<std::string, const Person*> people;
  for (const Person& p : roster.people) {
    EXPECT_TRUE(schools.count(p.school_code)) << p.login;
    people[p.login] = &p;
    if (p.role == Role::pupil) {
      EXPECT_TRUE(classes.count({p.school_code, p.class_code})) << p.login;
    } else {
      EXPECT_TRUE(p.class_code.empty()) << p.login;
    }
  }
  const auto expect_person = [&](const std::string& login, Role role, const std::string& school) {
    const auto found = people.find(login);
    ASSERT_NE(found, people.end()) << login;
    EXPECT_EQ(found->second->role, role) << login;
    EXPECT_EQ(found->second->school_code, school) << login;
  };
  for (const Teaching& t : roster.teachings) {
    expect_person(t.teacher_login, Role::teacher, t.school_code);
    EXPECT_TRUE(classes.count({t.school_code, t.class_code}));
    EXPECT_TRUE(subjects.count({t.school_code, t.subject_code}));
  }
  for (const ParentLink& l : roster.parent_links) {
    ASSERT_TRUE(people.count(l.pupil_login));
    expect_person(l.parent_login, Role::parent, people[l.pupil_login]->school_code);
    expect_person(l.pupil_login, Role::pupil, people[l.parent_login]->school_code);
  }
  for (const TimetableSlot& s : roster.slots) {
    expect_person(s.teacher_login, Role::teacher, s.school_code);
    EXPECT_TRUE(classes.count({s.school_code, s.class_code}));
    EXPECT_TRUE(subjects.count({s.school_code, s.subject_code}));
  }
  for (const Holiday& h : roster.holidays) {
    EXPECT_TRUE(schools.count(h.school_code));
  }
  std::set<std::tuple<std::string, std::string, std::string>> taught;  // teacher, class, subject
  for (const Teaching& t : roster.teachings) {
    taught.emplace(t.teacher_login, t.school_code + "/" + t.class_code, t.subject_code);
  }
  for (const HomeworkItem& h : roster.homework) {
    expect_person(h.author_login, Role::teacher, h.school_code);
    EXPECT_TRUE(taught.count({h.author_login, h.school_code + "/" + h.class_code, h.subject_code}))
        << h.author_login << " does not teach " << h.subject_code << " to " << h.class_code;
  }
  // Every staff member is a principal or a CPE, one of each and one administrator per school.
  for (const School& s : roster.schools) {
    const std::string slug = s.code.substr(std::string("college-").size());
    expect_person("principal." + slug, Role::staff, s.code);
    expect_person("cpe." + slug, Role::staff, s.code);
    expect_person("admin." + slug, Role::admin, s.code);
  }
}

bool is_login_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

bool is_code_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

void expect_unique_keys(const Roster& roster) {
  std::set<std::string> schools;
  for (const School& s : roster.schools) {
    EXPECT_TRUE(schools.insert(s.code).second) << s.code;
    EXPECT_LE(s.code.size(), 32u) << s.code;
    EXPECT_TRUE(std::all_of(s.code.begin(), s.code.end(), is_code_char)) << s.code;
    EXPECT_EQ(s.timezone, "Europe/Paris");
  }
  std::set<std::pair<std::string, std::string>> classes;
  for (const SchoolClass& c : roster.classes) {
    EXPECT_TRUE(classes.emplace(c.school_code, c.code).second) << c.code;
    EXPECT_TRUE(std::all_of(c.code.begin(), c.code.end(), is_code_char)) << c.code;
  }
  std::set<std::pair<std::string, std::string>> subjects;
  for (const Subject& s : roster.subjects) {
    EXPECT_TRUE(subjects.emplace(s.school_code, s.code).second) << s.code;
  }
  std::set<std::string> logins;
  for (const Person& p : roster.people) {
    EXPECT_TRUE(logins.insert(p.login).second) << p.login;
    EXPECT_FALSE(p.login.empty());
    EXPECT_LE(p.login.size(), 64u);
    EXPECT_TRUE(std::all_of(p.login.begin(), p.login.end(), is_login_char)) << p.login;
    EXPECT_GE(p.password.size(), 10u) << p.login;
    EXPECT_FALSE(p.first_name.empty());
    EXPECT_FALSE(p.last_name.empty());
  }
}

TEST(DemoGenerator, SameOptionsGiveTheSameRoster) {
  const DemoOptions options = options_for(2, 12, 28);
  EXPECT_EQ(dump(generate_demo(options)), dump(generate_demo(options)));
}

TEST(DemoGenerator, AnotherSeedGivesAnotherRoster) {
  const Roster first = generate_demo(options_for(1, 12, 28, 1));
  const Roster second = generate_demo(options_for(1, 12, 28, 2));
  EXPECT_NE(dump(first), dump(second));
  EXPECT_NE(first.people[10].login, second.people[10].login);
  EXPECT_NE(first.people[0].password, second.people[0].password);
  // Structure does not depend on the seed: same schools, classes and subjects.
  EXPECT_EQ(first.classes.size(), second.classes.size());
  EXPECT_EQ(first.schools[0].code, second.schools[0].code);
}

TEST(DemoGenerator, EvaluationsArePastMarkedAndByTheSubjectsTeacher) {
  DemoOptions options;
  options.today = kMonday;
  const Roster roster = generate_demo(options);
  ASSERT_EQ(roster.evaluations.size(), 12u * 4 * 3);
  for (const EvaluationItem& evaluation : roster.evaluations) {
    EXPECT_LT(evaluation.date, format_date(kMonday)) << evaluation.title;
    EXPECT_TRUE(std::any_of(roster.teachings.begin(), roster.teachings.end(), [&](const auto& t) {
      return t.teacher_login == evaluation.author_login && t.class_code == evaluation.class_code &&
             t.subject_code == evaluation.subject_code;
    })) << evaluation.author_login;
    EXPECT_EQ(evaluation.marks.size(), 28u);
    for (const MarkItem& mark : evaluation.marks) {
      EXPECT_GE(mark.value, 0);
      EXPECT_LE(mark.value, evaluation.out_of);
    }
  }
}

TEST(DemoGenerator, DefaultOptionsGiveOneCollege) {
  DemoOptions options;
  options.today = kMonday;
  const Roster roster = generate_demo(options);
  ASSERT_EQ(roster.schools.size(), 1u);
  EXPECT_EQ(roster.schools[0].code, "college-jaures");
  EXPECT_EQ(roster.schools[0].name, "Collège Jean Jaurès");
  ASSERT_EQ(roster.classes.size(), 12u);
  EXPECT_EQ(roster.classes[0].code, "6A");
  EXPECT_EQ(roster.classes[0].name, "6e A");
  EXPECT_EQ(roster.classes[11].code, "3C");
  EXPECT_EQ(roster.subjects.size(), 12u);
  EXPECT_EQ(count_role(roster, Role::pupil), 12u * 28);
  EXPECT_EQ(count_role(roster, Role::staff), 2u);
  EXPECT_EQ(count_role(roster, Role::admin), 1u);
  const std::size_t teachers = count_role(roster, Role::teacher);
  EXPECT_GE(teachers, 20u);
  EXPECT_LE(teachers, 40u);
  // Every pupil has exactly one parent; siblings share theirs.
  EXPECT_EQ(roster.parent_links.size(), 12u * 28);
  const std::size_t parents = count_role(roster, Role::parent);
  EXPECT_LT(parents, 12u * 28);
  EXPECT_GT(parents, 12u * 28 * 8 / 10);
  EXPECT_FALSE(roster.holidays.empty());
  EXPECT_GE(roster.homework.size(), 12u * 6);
  EXPECT_LE(roster.homework.size(), 12u * 10);
  expect_unique_keys(roster);
  expect_references_resolve(roster);
  expect_valid_timetable(roster);
}

TEST(DemoGenerator, ScenarioSizes) {
  const Roster roster = generate_demo(scenario_options());
  EXPECT_EQ(roster.schools.size(), 4u);
  EXPECT_EQ(roster.classes.size(), 96u);
  EXPECT_EQ(roster.subjects.size(), 48u);
  EXPECT_EQ(count_role(roster, Role::pupil), 2880u);
  EXPECT_EQ(roster.parent_links.size(), 2880u);
  EXPECT_EQ(count_role(roster, Role::staff), 8u);
  EXPECT_EQ(count_role(roster, Role::admin), 4u);
  expect_unique_keys(roster);
  expect_references_resolve(roster);
  expect_valid_timetable(roster);
}

TEST(DemoGenerator, TimetablesHoldAtEverySize) {
  for (int classes : {1, 2, 3, 5, 7, 16, 31, 48, 60}) {
    for (std::uint64_t seed : {1u, 7u, 2021u}) {
      SCOPED_TRACE("classes " + std::to_string(classes) + " seed " + std::to_string(seed));
      const Roster roster = generate_demo(options_for(1, classes, 2, seed));
      EXPECT_EQ(roster.classes.size(), static_cast<std::size_t>(classes));
      expect_valid_timetable(roster);
      expect_references_resolve(roster);
    }
  }
}

TEST(DemoGenerator, ClassesFollowTheNationalTimetable) {
  const Roster roster = generate_demo(options_for(1, 12, 1));
  std::map<std::pair<std::string, std::string>, double> hours;  // (class, subject)
  for (const TimetableSlot& s : roster.slots) {
    hours[{s.class_code, s.subject_code}] += s.week == WeekParity::every ? 1.0 : 0.5;
  }
  EXPECT_EQ((hours[{"6A", "FRA"}]), 4.5);
  EXPECT_EQ((hours[{"6A", "MATH"}]), 4.5);
  EXPECT_EQ((hours[{"6A", "EPS"}]), 4.0);
  EXPECT_EQ((hours[{"6A", "ESP"}] + hours[{"6A", "ALL"}]), 0.0);  // no second language in 6e
  EXPECT_EQ((hours[{"5A", "ESP"}] + hours[{"5A", "ALL"}]), 2.5);
  EXPECT_EQ((hours[{"3A", "HG"}]), 3.5);
  EXPECT_EQ((hours[{"4B", "PC"}]), 1.5);
}

TEST(DemoGenerator, TeachersTeachOneSubjectToAFewClasses) {
  const Roster roster = generate_demo(scenario_options());
  std::map<std::string, std::set<std::string>> subjects;
  std::map<std::string, std::set<std::string>> classes;
  for (const Teaching& t : roster.teachings) {
    subjects[t.teacher_login].insert(t.subject_code);
    classes[t.teacher_login].insert(t.class_code);
  }
  EXPECT_EQ(subjects.size(), count_role(roster, Role::teacher)) << "every teacher teaches";
  for (const auto& [login, taught] : subjects) {
    EXPECT_EQ(taught.size(), 1u) << login;
    EXPECT_LE(classes[login].size(), 6u) << login;
  }
  // Every class learns each of its subjects from exactly one teacher.
  std::map<std::tuple<std::string, std::string, std::string>, int> teachers_of;
  for (const Teaching& t : roster.teachings) {
    ++teachers_of[{t.school_code, t.class_code, t.subject_code}];
  }
  for (const auto& [key, count] : teachers_of) {
    EXPECT_EQ(count, 1);
  }
  // 11 subjects (one second language of two), 10 in 6e, which has no second language.
  const auto sixth = static_cast<std::size_t>(
      std::count_if(roster.classes.begin(), roster.classes.end(),
                    [](const SchoolClass& c) { return c.code[0] == '6'; }));
  EXPECT_EQ(sixth, 4u * 6);
  EXPECT_EQ(teachers_of.size(), roster.classes.size() * 11 - sixth);
}

TEST(DemoGenerator, LoginsAreAsciiAndNamesKeepTheirAccents) {
  const Roster roster = generate_demo(scenario_options());
  const bool accented_name =
      std::any_of(roster.people.begin(), roster.people.end(), [](const Person& p) {
        return std::any_of(p.first_name.begin(), p.first_name.end(),
                           [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
      });
  EXPECT_TRUE(accented_name);
  bool suffixed = false;
  for (const Person& p : roster.people) {
    if (p.role == Role::pupil) {
      EXPECT_NE(p.login.find('.'), std::string::npos) << p.login;
      suffixed = suffixed || std::isdigit(static_cast<unsigned char>(p.login.back()));
    }
    if (p.role == Role::parent) {
      EXPECT_EQ(p.login.rfind("parent.", 0), 0u) << p.login;
    }
  }
  EXPECT_TRUE(suffixed) << "2,880 pupils must share some names";
}

TEST(DemoGenerator, ParentShare) {
  DemoOptions options = options_for(1, 12, 28);
  options.parents_per_pupil = 0.0;
  Roster roster = generate_demo(options);
  EXPECT_EQ(count_role(roster, Role::parent), 0u);
  EXPECT_TRUE(roster.parent_links.empty());

  options.parents_per_pupil = 0.3;
  roster = generate_demo(options);
  const double linked = static_cast<double>(roster.parent_links.size()) / (12 * 28);
  EXPECT_NEAR(linked, 0.3, 0.08);
  std::set<std::string> children;
  for (const ParentLink& l : roster.parent_links) {
    EXPECT_TRUE(children.insert(l.pupil_login).second) << "one parent per pupil";
  }
  expect_references_resolve(roster);
}

TEST(DemoGenerator, SiblingsShareAParent) {
  const Roster roster = generate_demo(options_for(1, 12, 28));
  std::map<std::string, std::vector<std::string>> children;
  for (const ParentLink& l : roster.parent_links) {
    children[l.parent_login].push_back(l.pupil_login);
  }
  std::map<std::string, const Person*> people;
  for (const Person& p : roster.people) {
    people[p.login] = &p;
  }
  bool siblings = false;
  for (const auto& [parent, kids] : children) {
    siblings = siblings || kids.size() > 1;
    for (const std::string& kid : kids) {
      EXPECT_EQ(people[kid]->last_name, people[parent]->last_name);
    }
    for (std::size_t i = 1; i < kids.size(); ++i) {
      EXPECT_NE(people[kids[i]]->class_code, people[kids[0]]->class_code);
    }
  }
  EXPECT_TRUE(siblings);
}

TEST(DemoGenerator, HolidaysAreTheZoneCCalendar) {
  const Roster roster = generate_demo(options_for(2, 1, 1));
  ASSERT_FALSE(roster.holidays.empty());
  EXPECT_EQ(roster.holidays.size() % 2, 0u);    // the same list for both schools
  std::map<std::string, std::string> label_of;  // first day -> label
  for (const Holiday& h : roster.holidays) {
    const auto first = parse_date(h.first_day);
    const auto last = parse_date(h.last_day);
    ASSERT_TRUE(first && last) << h.first_day << " " << h.last_day;
    EXPECT_LE(*first, *last);
    EXPECT_FALSE(h.label.empty());
    if (h.first_day != h.last_day) {
      EXPECT_EQ(iso_weekday(*first), 6) << h.label << " starts on a Saturday";
      if (h.label != "Vacances d'été") {  // summer ends on 31 August, whatever its weekday
        EXPECT_EQ(iso_weekday(*last), 7) << h.label << " ends on a Sunday";
      }
    }
    if (h.label == "Ascension") {
      EXPECT_EQ(iso_weekday(*first), 4);
    }
    if (h.label == "Lundi de Pentecôte" || h.label == "Lundi de Pâques") {
      EXPECT_EQ(iso_weekday(*first), 1);
    }
    label_of[h.first_day] = h.label;
  }
  EXPECT_EQ(label_of["2025-10-18"], "Vacances de la Toussaint");
  EXPECT_EQ(label_of["2026-02-21"], "Vacances d'hiver");
  EXPECT_EQ(label_of["2026-10-17"], "Vacances de la Toussaint");
  EXPECT_EQ(label_of["2026-12-19"], "Vacances de Noël");
  EXPECT_EQ(label_of["2027-02-13"], "Vacances d'hiver");
  EXPECT_EQ(label_of["2027-04-10"], "Vacances de printemps");
  EXPECT_EQ(label_of["2027-07-03"], "Vacances d'été");
  EXPECT_EQ(label_of["2026-11-11"], "Armistice 1918");
  EXPECT_EQ(label_of["2026-05-25"], "Lundi de Pentecôte");
}

// The first school day after `today` (Monday to Friday, outside the generated holidays).
bool is_school_day(const Roster& roster, Date date) {
  if (iso_weekday(date) > 5) {
    return false;
  }
  const std::string text = format_date(date);
  return std::none_of(roster.holidays.begin(), roster.holidays.end(),
                      [&](const Holiday& h) { return h.first_day <= text && text <= h.last_day; });
}

Date next_school_day(const Roster& roster, Date today) {
  Date day = add_days(today, 1);
  while (!is_school_day(roster, day)) {
    day = add_days(day, 1);
  }
  return day;
}

void expect_homework_in_window(const Roster& roster, Date today) {
  const Date first = next_school_day(roster, today);
  const bool in_holiday = days_from_civil(first) - days_from_civil(today) > 7;
  const Date last = in_holiday ? add_days(first, 13) : add_days(today, 14);
  std::map<std::string, int> items;
  std::set<std::string> on_first_day;
  // (class, weekday) -> subjects taught that day, whatever the week.
  std::map<std::pair<std::string, int>, std::set<std::string>> lessons;
  for (const TimetableSlot& s : roster.slots) {
    lessons[{s.school_code + "/" + s.class_code, s.weekday}].insert(s.subject_code);
  }
  for (const HomeworkItem& h : roster.homework) {
    const std::string key = h.school_code + "/" + h.class_code;
    const auto due = parse_date(h.due_date);
    ASSERT_TRUE(due) << h.due_date;
    EXPECT_TRUE(is_school_day(roster, *due)) << h.due_date;
    EXPECT_GE(*due, first) << h.due_date;
    EXPECT_LE(*due, last) << h.due_date;
    EXPECT_TRUE((lessons[{key, iso_weekday(*due)}].count(h.subject_code)))
        << key << " has no " << h.subject_code << " on " << h.due_date;
    EXPECT_FALSE(h.title.empty());
    EXPECT_FALSE(h.body.empty());
    EXPECT_EQ(h.title.find('{'), std::string::npos) << h.title;
    EXPECT_EQ(h.body.find('{'), std::string::npos) << h.body;
    ++items[key];
    if (*due == first) {
      on_first_day.insert(key);
    }
  }
  for (const SchoolClass& c : roster.classes) {
    const std::string key = c.school_code + "/" + c.code;
    EXPECT_GE(items[key], 6) << key;
    EXPECT_LE(items[key], 10) << key;
    EXPECT_TRUE(on_first_day.count(key)) << key << " has nothing due on " << format_date(first);
  }
}

TEST(DemoGenerator, HomeworkIsDueOnSchoolDaysOfTheComingFortnight) {
  const Roster roster = generate_demo(options_for(2, 12, 1));
  expect_homework_in_window(roster, kMonday);
  std::set<std::tuple<std::string, std::string, std::string>> items;  // class, subject, title
  for (const HomeworkItem& h : roster.homework) {
    EXPECT_TRUE(items.emplace(h.school_code + "/" + h.class_code, h.subject_code, h.title).second)
        << h.class_code << " gets \"" << h.title << "\" twice";
  }
  // The next school day after a Monday is the Tuesday.
  EXPECT_TRUE(std::any_of(roster.homework.begin(), roster.homework.end(),
                          [](const HomeworkItem& h) { return h.due_date == "2025-09-16"; }));
}

TEST(DemoGenerator, HomeworkWindowOnAnyDayOfTheSchoolYears) {
  // Fridays, eves of holidays and days inside holidays included.
  for (Date today{2025, 8, 20}; today <= Date{2027, 8, 1}; today = add_days(today, 3)) {
    SCOPED_TRACE(format_date(today));
    DemoOptions options = options_for(1, 2, 1);
    options.today = today;
    expect_homework_in_window(generate_demo(options), today);
  }
}

TEST(DemoGenerator, TenTimesTheScenarioRuns) {
  DemoOptions options = options_for(40, 24, 30);
  const Roster roster = generate_demo(options);
  EXPECT_EQ(count_role(roster, Role::pupil), 28'800u);
  EXPECT_EQ(roster.classes.size(), 960u);
  std::set<std::string> logins;
  for (const Person& p : roster.people) {
    EXPECT_TRUE(logins.insert(p.login).second) << p.login;
  }
  std::set<std::string> schools;
  for (const School& s : roster.schools) {
    EXPECT_TRUE(schools.insert(s.code).second) << s.code;
  }
}

TEST(DemoGenerator, LargestOptionsRun) {
  const Roster roster = generate_demo(options_for(100, 1, 1));
  EXPECT_EQ(roster.schools.size(), 100u);
  std::set<std::string> schools;
  for (const School& s : roster.schools) {
    EXPECT_TRUE(schools.insert(s.code).second) << s.code;
    EXPECT_LE(s.code.size(), 32u) << s.code;
  }
}

TEST(DemoGenerator, RefusesBadOptions) {
  const auto refused = [](auto change) {
    DemoOptions options;
    change(options);
    EXPECT_THROW(generate_demo(options), std::invalid_argument);
  };
  refused([](DemoOptions& o) { o.schools = 0; });
  refused([](DemoOptions& o) { o.schools = 101; });
  refused([](DemoOptions& o) { o.classes_per_school = 0; });
  refused([](DemoOptions& o) { o.classes_per_school = 61; });
  refused([](DemoOptions& o) { o.pupils_per_class = 0; });
  refused([](DemoOptions& o) { o.pupils_per_class = 41; });
  refused([](DemoOptions& o) { o.parents_per_pupil = -0.1; });
  refused([](DemoOptions& o) { o.parents_per_pupil = 1.5; });
  refused([](DemoOptions& o) { o.parents_per_pupil = std::nan(""); });
  try {
    DemoOptions options;
    options.classes_per_school = 61;
    generate_demo(options);
    FAIL() << "61 classes accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("classes_per_school"), std::string::npos);
  }
}

}  // namespace
}  // namespace cartable
