// Roster CSV import: turns the text of a school's roster file into a validated Roster, or into
// the list of everything wrong with it. Pure: no I/O, no clock, no database; the caller reads the
// file and hands the Roster to the Store in one all-or-nothing write. The format is specified in
// docs/import.md.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "school/model.hpp"

namespace cartable {

// Every bound the importer enforces, with its unit. docs/import.md repeats them for users.
namespace roster_csv_limits {
// A larger file is refused whole, before any parsing (a region's biggest collège is ~1 MiB).
inline constexpr std::size_t max_file_bytes = 50 * 1024 * 1024;
// Data records (not comments, blank lines or the header); the record past this one is refused
// and reading stops there.
inline constexpr std::size_t max_records = 200'000;
// One record's bytes from its first character to its line terminator (a quoted field spanning
// lines counts whole). Bounds the memory one record can take.
inline constexpr std::size_t max_record_bytes = 4 * 1024;
// After this many errors the import stops reporting and checking: nobody reads error 1001.
inline constexpr std::size_t max_errors = 1000;

inline constexpr std::size_t max_code_bytes = 32;       // school, class and subject codes
inline constexpr std::size_t max_login_bytes = 64;      // person logins
inline constexpr std::size_t max_name_bytes = 100;      // names, first/last names, labels
inline constexpr std::size_t max_room_bytes = 32;       // a timetable slot's room
inline constexpr std::size_t max_timezone_bytes = 64;   // an IANA zone name
inline constexpr std::size_t min_password_bytes = 8;    // an initial password, when given
inline constexpr std::size_t max_password_bytes = 128;  // bounds the argon2id input
}  // namespace roster_csv_limits

struct ImportError {
  // 1-based physical line where the faulty record starts (for an unterminated quoted field: the
  // line where the quote opens). 0 for errors about the file as a whole.
  std::size_t line = 0;
  // One sentence for a person to read, naming the column ("login (column 2): ..."). Values from
  // the file are quoted with control characters and invalid UTF-8 escaped; passwords are never
  // echoed.
  std::string message;
};

// Keys already in the database, so a file may reference a school/class/subject/person imported
// before.
struct RosterKeys {
  std::set<std::string> schools;                               // school codes
  std::set<std::pair<std::string, std::string>> classes;       // (school, class code)
  std::set<std::pair<std::string, std::string>> subjects;      // (school, subject code)
  std::map<std::string, std::pair<Role, std::string>> people;  // login -> (role, school code)
};

struct ImportResult {
  // The file's records, each kept once, in the order of their first line. Empty whenever `errors`
  // is not, so a partial roster can never be written by mistake.
  Roster roster;
  // Sorted by line; empty means the file is valid.
  std::vector<ImportError> errors;
};

// Parses and validates a roster CSV file (format: docs/import.md) against the keys already in
// the database. Deterministic: the same text and keys always give the same result.
//
// Refuses, with one ImportError per problem (a line may have several), and never throws on input:
//  - the whole file (line 0): more than max_file_bytes; no record at all;
//  - line 1: a UTF-16 byte order mark (the file must be UTF-8);
//  - syntax: an unterminated quoted field (at the line where it opens; reading stops there),
//    text after a closing quote, a quote inside an unquoted field, a record longer than
//    max_record_bytes, the record after max_records (reading stops there);
//  - a record: an unknown kind, a wrong number of columns, a field with a NUL byte, invalid UTF-8
//    or a control/bidirectional-override character, an empty required field, a malformed code,
//    login, name, time zone name, date, time, weekday, week or password, an end time not after
//    its start, a holiday ending before it starts;
//  - duplicates: the same key (school code, class, subject, login, holiday dates) defined twice
//    with different values; an identical record repeated is not an error and is kept once;
//  - references, checked against the file and `existing` once the whole file is read: an unknown
//    school, class or subject (classes and subjects are looked up in the record's school), an
//    unknown person or one with the wrong role (teaches: a teacher; parent_of: a parent and a
//    pupil; slot: a teacher), a slot whose teacher is new in this file without a matching
//    `teaches` record, a login that `existing` holds with another role or school.
// Stops after max_errors errors, adding a last error (line 0) that says so.
ImportResult parse_roster_csv(std::string_view text, const RosterKeys& existing);

}  // namespace cartable
