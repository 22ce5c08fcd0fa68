// The school domain as plain values: what a roster import or the demo generator produces and what
// the Store persists. Natural keys (codes, logins) identify things across imports; the Store adds
// numeric ids of its own.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cartable {

enum class Role { pupil, teacher, parent, staff, admin };

// "pupil", "teacher", ... as used in CSV files, JSON and the database.
const char* role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct School {
  std::string code;  // unique region-wide, e.g. "0750001A" (UAI) or "college-jaures"
  std::string name;
  std::string timezone = "Europe/Paris";  // IANA name
};

struct SchoolClass {
  std::string school_code;
  std::string code;  // unique within its school, e.g. "6A"
  std::string name;  // shown to people, e.g. "6e A"
};

struct Subject {
  std::string school_code;
  std::string code;  // unique within its school, e.g. "MATH"
  std::string name;  // e.g. "Mathématiques"
};

struct Person {
  std::string login;  // unique region-wide, lower case
  Role role = Role::pupil;
  std::string school_code;
  std::string first_name;
  std::string last_name;
  std::string class_code;  // pupils only: the class they are enrolled in
  // Initial password, applied only when the account is created (re-imports never reset it).
  // Empty: the account cannot sign in until an administrator sets one.
  std::string password;
};

// A teacher teaches a subject to a class.
struct Teaching {
  std::string teacher_login;
  std::string school_code;
  std::string class_code;
  std::string subject_code;
};

struct ParentLink {
  std::string parent_login;
  std::string pupil_login;
};

// Which weeks a timetable slot happens in: every week, or only in week A or week B
// (week A = odd ISO week number, week B = even).
enum class WeekParity { every, a, b };

struct TimetableSlot {
  std::string school_code;
  std::string class_code;
  std::string subject_code;
  std::string teacher_login;
  int weekday = 1;       // ISO: 1 = Monday ... 7 = Sunday
  int start_minute = 0;  // minutes after local midnight, e.g. 8:00 = 480
  int end_minute = 0;    // exclusive, > start_minute
  std::string room;
  WeekParity week = WeekParity::every;
};

// A school holiday: no lessons from first_day to last_day inclusive (dates as YYYY-MM-DD).
struct Holiday {
  std::string school_code;
  std::string first_day;
  std::string last_day;
  std::string label;  // e.g. "Vacances de la Toussaint"
};

struct HomeworkItem {
  std::string school_code;
  std::string class_code;
  std::string subject_code;
  std::string author_login;  // a teacher of that class and subject
  std::string title;
  std::string body;
  std::string due_date;  // YYYY-MM-DD
};

// How a pupil did in an evaluation: a mark, or no mark because they were absent (unexcused) or
// excused. Only graded marks count in averages.
enum class MarkState { graded, absent, excused };

// "graded", "absent", "excused", as used in JSON and the database.
const char* mark_state_name(MarkState state);
std::optional<MarkState> parse_mark_state(std::string_view name);

struct MarkItem {
  std::string pupil_login;
  MarkState state = MarkState::graded;
  double value = 0;  // graded marks only
};

// An evaluation with its marks (the demo generator fills these; CSV import never does).
struct EvaluationItem {
  std::string school_code;
  std::string class_code;
  std::string subject_code;
  std::string author_login;  // a teacher of that class and subject
  std::string title;
  std::string date;  // YYYY-MM-DD
  double out_of = 20;
  double coefficient = 1;
  std::vector<MarkItem> marks;
};

// An announcement (the demo generator fills these; CSV import never does).
struct AnnouncementItem {
  std::string school_code;
  std::string author_login;
  std::string title;
  std::string body;
  std::string until;                     // YYYY-MM-DD
  std::vector<std::string> class_codes;  // empty: the whole school
};

struct MessageItem {
  std::string author_login;  // one of the conversation's participants
  std::string body;
};

// A conversation with its messages, oldest first; the first message's author started it and has
// read everything they wrote (the demo generator fills these; CSV import never does).
struct ConversationItem {
  std::string school_code;
  std::string subject;
  std::vector<std::string> participant_logins;
  std::vector<MessageItem> messages;
};

// Everything a roster import or the demo generator hands to the Store in one all-or-nothing write.
struct Roster {
  std::vector<School> schools;
  std::vector<SchoolClass> classes;
  std::vector<Subject> subjects;
  std::vector<Person> people;
  std::vector<Teaching> teachings;
  std::vector<ParentLink> parent_links;
  std::vector<TimetableSlot> slots;
  std::vector<Holiday> holidays;
  std::vector<HomeworkItem> homework;       // the demo generator fills this; CSV import never does
  std::vector<EvaluationItem> evaluations;  // likewise
  std::vector<AnnouncementItem> announcements;  // likewise
  std::vector<ConversationItem> conversations;  // likewise
};

}  // namespace cartable
