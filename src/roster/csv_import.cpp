#include "roster/csv_import.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <tuple>

#include "common/civil_time.hpp"

namespace cartable {
namespace {

namespace limits = roster_csv_limits;

constexpr std::string_view default_timezone = "Europe/Paris";
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------------
// Text: UTF-8 validity, characters no field may hold, and echoing file content safely.

constexpr char32_t not_utf8 = 0xFFFFFFFF;

// Decodes the code point at `pos` and advances past it. Returns not_utf8, leaving `pos` alone,
// for anything RFC 3629 forbids: stray continuation bytes, overlong forms, surrogates, code
// points above U+10FFFF, a sequence cut short.
char32_t decode_utf8(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t code_point = 0;
  char32_t smallest = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
    smallest = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
    smallest = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
    smallest = 0x10000;
  } else {
    return not_utf8;
  }
  if (text.size() - pos < length) {
    return not_utf8;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0u) != 0x80u) {
      return not_utf8;
    }
    code_point = (code_point << 6) | (next & 0x3Fu);
  }
  if (code_point < smallest || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return not_utf8;
  }
  pos += length;
  return code_point;
}

// Characters no field may hold: C0 and C1 controls (tab, newline included), DEL, line and
// paragraph separators, the bidirectional embeddings/overrides/isolates that can make a name
// display as something else, and a stray byte order mark (from concatenated files).
bool is_forbidden(char32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7F && code_point <= 0x9F) || code_point == 0x2028 ||
         code_point == 0x2029 || (code_point >= 0x202A && code_point <= 0x202E) ||
         (code_point >= 0x2066 && code_point <= 0x2069) || code_point == 0xFEFF;
}

// Why a field's bytes are unusable whatever its column; nullopt when they are fine.
std::optional<std::string> text_problem(std::string_view value) {
  if (value.find('\0') != std::string_view::npos) {
    return "contains a NUL byte";
  }
  for (std::size_t pos = 0; pos < value.size();) {
    const char32_t code_point = decode_utf8(value, pos);
    if (code_point == not_utf8) {
      // Almost always a Windows-1252 export from a spreadsheet: say how to fix it.
      return "is not valid UTF-8 (save the file as \"CSV UTF-8\")";
    }
    if (is_forbidden(code_point)) {
      return "contains a control or text-direction character";
    }
  }
  return std::nullopt;
}

void append_hex_byte(std::string& out, char byte) {
  static constexpr char digits[] = "0123456789ABCDEF";
  const auto value = static_cast<unsigned char>(byte);
  out += "\\x";
  out += digits[value >> 4];
  out += digits[value & 0x0F];
}

// A value from the file, quoted for an error message: at most 40 bytes, with invalid UTF-8 and
// forbidden characters escaped as \xNN so a hostile file cannot put terminal escapes or
// reordering characters on the operator's console.
std::string quote(std::string_view value) {
  constexpr std::size_t max_shown_bytes = 40;
  std::string out = "\"";
  std::size_t pos = 0;
  while (pos < value.size()) {
    if (pos >= max_shown_bytes) {
      out += "...";
      break;
    }
    const std::size_t start = pos;
    const char32_t code_point = decode_utf8(value, pos);
    if (code_point == not_utf8) {
      append_hex_byte(out, value[start]);
      pos = start + 1;
      continue;
    }
    if (is_forbidden(code_point)) {
      for (std::size_t i = start; i < pos; ++i) {
        append_hex_byte(out, value[i]);
      }
      continue;
    }
    if (code_point == '"' || code_point == '\\') {
      out += '\\';
    }
    out.append(value.substr(start, pos - start));
  }
  out += '"';
  return out;
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_line_end(char c) {
  return c == '\n' || c == '\r';
}
bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

std::string_view trim_blanks(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_blank(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// A map key from several fields. NUL cannot occur in an accepted field, so it separates them
// unambiguously.
std::string join_key(std::initializer_list<std::string_view> parts) {
  std::string key;
  for (const std::string_view part : parts) {
    key.append(part);
    key += '\0';
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// Field formats.

// "1".."7", French and English abbreviations and full names, any case.
std::optional<int> parse_weekday(std::string_view text) {
  static constexpr std::array<std::array<std::string_view, 5>, 7> names = {{
      {"1", "lun", "lundi", "mon", "monday"},
      {"2", "mar", "mardi", "tue", "tuesday"},
      {"3", "mer", "mercredi", "wed", "wednesday"},
      {"4", "jeu", "jeudi", "thu", "thursday"},
      {"5", "ven", "vendredi", "fri", "friday"},
      {"6", "sam", "samedi", "sat", "saturday"},
      {"7", "dim", "dimanche", "sun", "sunday"},
  }};
  const std::string lower = ascii_lower(text);
  for (std::size_t day = 0; day < names.size(); ++day) {
    for (const std::string_view name : names[day]) {
      if (lower == name) {
        return static_cast<int>(day) + 1;
      }
    }
  }
  return std::nullopt;
}

// "HH:MM", plus the forms spreadsheets and French habits produce: "8:00", "08h00", "8h00".
std::optional<int> parse_time(std::string_view text) {
  if (text.size() != 4 && text.size() != 5) {
    return std::nullopt;
  }
  std::string normal(text);
  if (normal.size() == 4) {
    normal.insert(0, "0");
  }
  if (normal[2] == 'h' || normal[2] == 'H') {
    normal[2] = ':';
  }
  return parse_minute_of_day(normal);
}

// "YYYY-MM-DD", or "DD/MM/YYYY" as French spreadsheets write dates.
std::optional<Date> parse_day(std::string_view text) {
  if (text.size() == 10 && text[2] == '/' && text[5] == '/') {
    std::string iso;
    iso.append(text.substr(6, 4)).append("-").append(text.substr(3, 2)).append("-");
    iso.append(text.substr(0, 2));
    return parse_date(iso);
  }
  return parse_date(text);
}

std::optional<WeekParity> parse_week(std::string_view text) {
  if (text.empty() || text == "*") {
    return WeekParity::every;
  }
  if (text == "A" || text == "a") {
    return WeekParity::a;
  }
  if (text == "B" || text == "b") {
    return WeekParity::b;
  }
  return std::nullopt;
}

// IANA names only have this shape; whether the zone exists is checked where the zone database
// is at hand. Refusing ".." and a leading '/' keeps a name from ever walking a zoneinfo path.
bool is_timezone_name(std::string_view text) {
  if (text.empty() || text.size() > limits::max_timezone_bytes || text.front() == '/' ||
      text.back() == '/' || text.find("//") != std::string_view::npos ||
      text.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return is_ascii_alnum(c) || c == '_' || c == '+' || c == '-' || c == '/';
  });
}

// ---------------------------------------------------------------------------------------------
// Record kinds and their columns.

enum class Kind { school, school_class, subject, person, teaches, parent_of, slot, holiday };

struct KindSpec {
  std::string_view name;
  Kind kind;
  Role role;                                  // persons only
  std::span<const std::string_view> columns;  // after the kind column, in order
  std::size_t required;  // leading columns that must be present; the rest may be left out
};

constexpr std::string_view school_columns[] = {"code", "name", "timezone"};
constexpr std::string_view class_columns[] = {"school", "code", "name"};
constexpr std::string_view pupil_columns[] = {"login",      "school",    "class",
                                              "first_name", "last_name", "password"};
constexpr std::string_view adult_columns[] = {"login", "school", "first_name", "last_name",
                                              "password"};
constexpr std::string_view teaches_columns[] = {"teacher", "school", "class", "subject"};
constexpr std::string_view parent_of_columns[] = {"parent", "pupil"};
constexpr std::string_view slot_columns[] = {"school", "class", "subject", "teacher", "weekday",
                                             "start",  "end",   "room",    "week"};
constexpr std::string_view holiday_columns[] = {"school", "first_day", "last_day", "label"};

constexpr std::array<KindSpec, 12> kinds = {{
    {"school", Kind::school, Role::pupil, school_columns, 2},
    {"class", Kind::school_class, Role::pupil, class_columns, 3},
    {"subject", Kind::subject, Role::pupil, class_columns, 3},
    {"pupil", Kind::person, Role::pupil, pupil_columns, 5},
    {"teacher", Kind::person, Role::teacher, adult_columns, 4},
    {"parent", Kind::person, Role::parent, adult_columns, 4},
    {"staff", Kind::person, Role::staff, adult_columns, 4},
    {"admin", Kind::person, Role::admin, adult_columns, 4},
    {"teaches", Kind::teaches, Role::pupil, teaches_columns, 4},
    {"parent_of", Kind::parent_of, Role::pupil, parent_of_columns, 2},
    {"slot", Kind::slot, Role::pupil, slot_columns, 7},
    {"holiday", Kind::holiday, Role::pupil, holiday_columns, 4},
}};

const KindSpec* find_kind(std::string_view lower_name) {
  for (const KindSpec& spec : kinds) {
    if (spec.name == lower_name) {
      return &spec;
    }
  }
  return nullptr;
}

const KindSpec& kind_named(std::string_view name) {
  const KindSpec* spec = find_kind(name);
  return *spec;  // only called with names from the table above
}

// "login (column 2)": columns are counted from 1 with the kind first, as a spreadsheet shows.
std::string column_label(const KindSpec& spec, std::size_t column) {
  const std::string_view name = column == 0 ? "kind" : spec.columns[column - 1];
  return std::string(name) + " (column " + std::to_string(column + 1) + ")";
}

const char* article(Role role) {
  return role == Role::admin ? "an " : "a ";
}

// Field-by-field equality, to tell an identical repeated record from a conflicting one.
auto fields_of(const School& v) {
  return std::tie(v.code, v.name, v.timezone);
}
auto fields_of(const SchoolClass& v) {
  return std::tie(v.school_code, v.code, v.name);
}
auto fields_of(const Subject& v) {
  return std::tie(v.school_code, v.code, v.name);
}
auto fields_of(const Person& v) {
  return std::tie(v.login, v.role, v.school_code, v.first_name, v.last_name, v.class_code,
                  v.password);
}
auto fields_of(const Teaching& v) {
  return std::tie(v.teacher_login, v.school_code, v.class_code, v.subject_code);
}
auto fields_of(const ParentLink& v) {
  return std::tie(v.parent_login, v.pupil_login);
}
auto fields_of(const TimetableSlot& v) {
  return std::tie(v.school_code, v.class_code, v.subject_code, v.teacher_login, v.weekday,
                  v.start_minute, v.end_minute, v.room, v.week);
}
auto fields_of(const Holiday& v) {
  return std::tie(v.school_code, v.first_day, v.last_day, v.label);
}

// Names a record by its key, for a duplicate's error message. Records whose key is their whole
// content (teaches, parent_of, slot) never conflict; theirs exist for the template's sake.
std::string what_is(const School& v) {
  return "school " + quote(v.code);
}
std::string what_is(const SchoolClass& v) {
  return "class " + quote(v.code) + " of school " + quote(v.school_code);
}
std::string what_is(const Subject& v) {
  return "subject " + quote(v.code) + " of school " + quote(v.school_code);
}
std::string what_is(const Person& v) {
  return "login " + quote(v.login);
}
std::string what_is(const Teaching& v) {
  return "teaches " + quote(v.teacher_login);
}
std::string what_is(const ParentLink& v) {
  return "parent_of " + quote(v.parent_login);
}
std::string what_is(const TimetableSlot& v) {
  return "slot of class " + quote(v.class_code);
}
std::string what_is(const Holiday& v) {
  return "the holiday of school " + quote(v.school_code) + " from " + v.first_day + " to " +
         v.last_day;
}

// ---------------------------------------------------------------------------------------------
// Errors.

class ErrorSink {
 public:
  void add(std::size_t line, std::string message) {
    if (errors_.size() >= limits::max_errors) {
      truncated_ = true;
      return;
    }
    errors_.push_back(ImportError{line, std::move(message)});
  }
  bool full() const { return errors_.size() >= limits::max_errors; }
  bool empty() const { return errors_.empty(); }

  std::vector<ImportError> take() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const ImportError& a, const ImportError& b) { return a.line < b.line; });
    if (truncated_ || full()) {
      errors_.push_back(ImportError{
          0, "too many errors: stopped after the first " + std::to_string(limits::max_errors)});
    }
    return std::move(errors_);
  }

 private:
  std::vector<ImportError> errors_;
  bool truncated_ = false;
};

// ---------------------------------------------------------------------------------------------
// One record's fields, checked column by column.

struct RawRecord {
  std::size_t line = 0;             // physical line where it starts
  std::vector<std::string> fields;  // the kind first; quotes removed, unquoted fields trimmed
};

// Checks and converts the fields of one record. Each accessor reports its own problem, naming
// the column, and returns nullopt. With a null sink nothing is reported and ok() stays false:
// used to learn the keys of a record that is already known to be broken.
class FieldReader {
 public:
  FieldReader(const KindSpec& spec, const RawRecord& record, ErrorSink* sink)
      : spec_(spec), record_(record), sink_(sink), ok_(sink != nullptr) {
    usable_.assign(record.fields.size(), true);
    for (std::size_t column = 1; column < record.fields.size(); ++column) {
      if (auto problem = text_problem(record.fields[column])) {
        fail(column, *problem);
        usable_[column] = false;
      }
    }
  }

  bool ok() const { return ok_; }

  void fail(std::size_t column, std::string_view problem) {
    ok_ = false;
    if (sink_ != nullptr) {
      sink_->add(record_.line, column_label(spec_, column) + ": " + std::string(problem));
    }
  }

  std::optional<std::string> code(std::size_t column) {
    const auto value = text(column, true);
    if (!value) {
      return std::nullopt;
    }
    // A letter or digit first keeps codes from reading as options ("-x") or paths ("..").
    const bool valid = value->size() <= limits::max_code_bytes && is_ascii_alnum(value->front()) &&
                       std::all_of(value->begin(), value->end(), [](char c) {
                         return is_ascii_alnum(c) || c == '_' || c == '.' || c == '-';
                       });
    if (!valid) {
      fail(column, quote(*value) +
                       " is not a valid code (1 to 32 of A-Z a-z 0-9 _ . -, starting with a "
                       "letter or digit)");
      return std::nullopt;
    }
    return std::string(*value);
  }

  // Upper-case ASCII letters are folded: spreadsheets and directory exports capitalise logins.
  std::optional<std::string> login(std::size_t column) {
    const auto value = text(column, true);
    if (!value) {
      return std::nullopt;
    }
    std::string login = ascii_lower(*value);
    const bool valid = login.size() <= limits::max_login_bytes && is_ascii_alnum(login.front()) &&
                       std::all_of(login.begin(), login.end(), [](char c) {
                         return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                                c == '-' || c == '_';
                       });
    if (!valid) {
      fail(column, quote(*value) +
                       " is not a valid login (1 to 64 of a-z 0-9 . - _, starting with a letter "
                       "or digit)");
      return std::nullopt;
    }
    return login;
  }

  // Names are trimmed even when quoted: leading or trailing spaces are never meant.
  std::optional<std::string> name(std::size_t column, std::size_t max_bytes, bool required) {
    const auto raw = text(column, false);
    if (!raw) {
      return std::nullopt;
    }
    const std::string_view value = trim_blanks(*raw);
    if (value.empty() && required) {
      fail(column, "required value is empty");
      return std::nullopt;
    }
    if (value.size() > max_bytes) {
      fail(column, "is " + std::to_string(value.size()) + " bytes long; the limit is " +
                       std::to_string(max_bytes));
      return std::nullopt;
    }
    return std::string(value);
  }

  std::optional<std::string> timezone(std::size_t column) {
    const auto value = text(column, false);
    if (!value) {
      return std::nullopt;
    }
    if (value->empty()) {
      return std::string(default_timezone);
    }
    if (!is_timezone_name(*value)) {
      fail(column, quote(*value) +
                       " is not a time zone name (like Europe/Paris: A-Z a-z 0-9 _ + - /, at "
                       "most 64 bytes)");
      return std::nullopt;
    }
    return std::string(*value);
  }

  // Never echoed: error messages end up in logs and on screens.
  std::optional<std::string> password(std::size_t column) {
    const auto value = text(column, false);
    if (!value) {
      return std::nullopt;
    }
    if (!value->empty() && (value->size() < limits::min_password_bytes ||
                            value->size() > limits::max_password_bytes)) {
      fail(column, "is " + std::to_string(value->size()) + " bytes long; a password needs " +
                       std::to_string(limits::min_password_bytes) + " to " +
                       std::to_string(limits::max_password_bytes));
      return std::nullopt;
    }
    return std::string(*value);
  }

  std::optional<int> weekday(std::size_t column) {
    const auto value = text(column, true);
    if (!value) {
      return std::nullopt;
    }
    const auto day = parse_weekday(*value);
    if (!day) {
      fail(column, quote(*value) + " is not a weekday (1 to 7, lun to dim, or mon to sun)");
    }
    return day;
  }

  std::optional<int> time(std::size_t column) {
    const auto value = text(column, true);
    if (!value) {
      return std::nullopt;
    }
    const auto minutes = parse_time(*value);
    if (!minutes) {
      fail(column, quote(*value) + " is not a time (HH:MM, 00:00 to 24:00)");
    }
    return minutes;
  }

  std::optional<Date> date(std::size_t column) {
    const auto value = text(column, true);
    if (!value) {
      return std::nullopt;
    }
    const auto day = parse_day(*value);
    if (!day) {
      fail(column, quote(*value) + " is not a date (YYYY-MM-DD or DD/MM/YYYY)");
    }
    return day;
  }

  std::optional<WeekParity> week(std::size_t column) {
    const auto value = text(column, false);
    if (!value) {
      return std::nullopt;
    }
    const auto week = parse_week(*value);
    if (!week) {
      fail(column, quote(*value) + " is not a week (* for every week, A or B)");
    }
    return week;
  }

 private:
  // The column's text ("" for an optional column left out), or nullopt when its bytes were
  // refused already or it is required and empty (reported here).
  std::optional<std::string_view> text(std::size_t column, bool required) {
    if (column < usable_.size() && !usable_[column]) {
      return std::nullopt;
    }
    const std::string_view value =
        column < record_.fields.size() ? std::string_view(record_.fields[column]) : "";
    if (required && value.empty()) {
      fail(column, "required value is empty");
      return std::nullopt;
    }
    return value;
  }

  const KindSpec& spec_;
  const RawRecord& record_;
  ErrorSink* sink_;
  bool ok_;
  std::vector<bool> usable_;
};

// ---------------------------------------------------------------------------------------------
// The importer: reads records (pass 1: syntax, fields, duplicates), then checks references
// (pass 2) once every record is known, so records may come in any order.

class RosterParser {
 public:
  RosterParser(std::string_view text, const RosterKeys& existing)
      : text_(text), existing_(existing) {}

  ImportResult run() {
    read_all();
    if (!incomplete_ && !errors_.full()) {
      check_references();
    }
    if (records_ == 0 && errors_.empty()) {
      errors_.add(0, "the file contains no records");
    }
    ImportResult result;
    result.errors = errors_.take();
    if (result.errors.empty()) {
      result.roster = std::move(roster_);
    }
    return result;
  }

 private:
  struct Seen {
    std::size_t index;  // into the Roster vector
    std::size_t line;   // where it was first defined
  };

  // Per Roster vector: the line each element comes from, for pass 2's errors.
  struct Lines {
    std::vector<std::size_t> classes, subjects, people, teachings, parent_links, slots, holidays;
  };

  enum class Read { record, broken_record, skip, end };
  enum class Found { yes, no, broken };

  // ---- Pass 1.

  void read_all() {
    if (text_.size() > limits::max_file_bytes) {
      errors_.add(0, "the file is " + std::to_string(text_.size()) + " bytes; the limit is " +
                         std::to_string(limits::max_file_bytes) + " bytes (" +
                         std::to_string(limits::max_file_bytes / (1024 * 1024)) + " MiB)");
      incomplete_ = true;
      return;
    }
    if (text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF")) {
      errors_.add(1, "the file is UTF-16; save it as \"CSV UTF-8\"");
      incomplete_ = true;
      return;
    }
    if (text_.starts_with(utf8_bom)) {
      pos_ = utf8_bom.size();
    }
    separator_ = detect_separator();

    bool first = true;
    RawRecord record;
    while (!errors_.full()) {
      const Read read = read_record(record);
      if (read == Read::end) {
        break;
      }
      if (read == Read::skip) {
        continue;
      }
      const bool header = first && read == Read::record && ascii_lower(record.fields[0]) == "kind";
      first = false;
      if (header) {
        continue;
      }
      if (++records_ > limits::max_records) {
        errors_.add(record.line, "more than " + std::to_string(limits::max_records) +
                                     " records; split the file");
        incomplete_ = true;
        break;
      }
      handle_record(record, read == Read::record);
    }
    if (errors_.full()) {
      incomplete_ = true;
    }
  }

  // The separator is ',' unless the first record's kind is followed by ';', as a French
  // spreadsheet writes it. Kinds are plain words, so that one character decides unambiguously.
  char detect_separator() const {
    std::size_t pos = pos_;
    while (pos < text_.size()) {
      std::size_t end = pos;
      while (end < text_.size() && !is_line_end(text_[end])) {
        ++end;
      }
      const std::string_view line = trim_blanks(text_.substr(pos, end - pos));
      if (!line.empty() && line.front() != '#' &&
          line.find_first_not_of(" \t,;") != std::string_view::npos) {
        std::size_t i = line.front() == '"' ? 1 : 0;
        while (i < line.size() && (is_ascii_alnum(line[i]) || line[i] == '_')) {
          ++i;
        }
        if (i < line.size() && line[i] == '"') {
          ++i;
        }
        while (i < line.size() && is_blank(line[i])) {
          ++i;
        }
        return i < line.size() && line[i] == ';' ? ';' : ',';
      }
      pos = end + 1;
    }
    return ',';
  }

  // Consumes one line terminator (CRLF, LF or a lone CR) at pos_, if any; returns it.
  std::string_view consume_line_end() {
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '\r') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] == '\n') {
        ++pos_;
      }
    } else if (pos_ < text_.size() && text_[pos_] == '\n') {
      ++pos_;
    }
    if (pos_ > start) {
      ++line_;
    }
    return text_.substr(start, pos_ - start);
  }

  void skip_blanks() {
    while (pos_ < text_.size() && is_blank(text_[pos_])) {
      ++pos_;
    }
  }

  bool at_field_end() const {
    return pos_ >= text_.size() || text_[pos_] == separator_ || is_line_end(text_[pos_]);
  }

  // Reads the next record per RFC 4180. Comment and blank lines are whole physical lines,
  // recognised before any quote is parsed.
  Read read_record(RawRecord& out) {
    out.fields.clear();
    if (pos_ >= text_.size()) {
      return Read::end;
    }
    out.line = line_;
    const std::size_t start = pos_;

    std::size_t line_end = pos_;
    while (line_end < text_.size() && !is_line_end(text_[line_end])) {
      ++line_end;
    }
    const std::string_view physical = trim_blanks(text_.substr(pos_, line_end - pos_));
    if (physical.empty() || physical.front() == '#' ||
        physical.find_first_not_of(" \t,;") == std::string_view::npos) {
      pos_ = line_end;
      consume_line_end();
      return Read::skip;
    }

    // Syntax problems are held back until the record's end: a record over the size limit gets
    // that one error, not one per stray quote.
    std::vector<std::string> problems;
    bool too_long = false;
    std::string value;
    for (std::size_t column = 1;; ++column) {
      value.clear();
      skip_blanks();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        const std::size_t quote_line = line_;
        ++pos_;
        for (;;) {
          if (pos_ >= text_.size()) {
            errors_.add(quote_line, "column " + std::to_string(column) +
                                        ": unterminated quoted field: the quote that opens "
                                        "here is never closed");
            incomplete_ = true;
            return Read::end;
          }
          const char c = text_[pos_];
          if (c == '"') {
            ++pos_;
            if (pos_ < text_.size() && text_[pos_] == '"') {
              value += '"';
              ++pos_;
              continue;
            }
            break;
          }
          if (is_line_end(c)) {
            value.append(consume_line_end());
          } else {
            // Past the size limit the field is dropped anyway: do not grow it to the file's size.
            if (value.size() <= limits::max_record_bytes) {
              value += c;
            }
            ++pos_;
          }
        }
        skip_blanks();
        if (!at_field_end()) {
          problems.push_back("column " + std::to_string(column) +
                             ": unexpected text after a closing quote (a quote inside a quoted "
                             "field is written \"\")");
          while (!at_field_end()) {
            ++pos_;
          }
        }
      } else {
        const std::size_t begin = pos_;
        while (!at_field_end()) {
          ++pos_;
        }
        const std::string_view raw = trim_blanks(text_.substr(begin, pos_ - begin));
        if (raw.find('"') != std::string_view::npos) {
          problems.push_back("column " + std::to_string(column) +
                             ": a quote inside an unquoted field (quote the whole field and "
                             "write a quote inside it as \"\")");
        }
        value.assign(raw);
      }
      // Past the limit the record is refused anyway: stop keeping its fields, bound memory.
      too_long = too_long || pos_ - start > limits::max_record_bytes;
      if (too_long) {
        problems.clear();
      } else {
        out.fields.push_back(value);
      }
      if (pos_ < text_.size() && text_[pos_] == separator_) {
        ++pos_;
        continue;
      }
      break;
    }
    const std::size_t record_bytes = pos_ - start;
    consume_line_end();
    if (too_long) {
      errors_.add(out.line, "the record is " + std::to_string(record_bytes) +
                                " bytes long; the limit is " +
                                std::to_string(limits::max_record_bytes));
      out.fields.clear();
      return Read::broken_record;
    }
    for (std::string& problem : problems) {
      errors_.add(out.line, std::move(problem));
    }
    return problems.empty() ? Read::record : Read::broken_record;
  }

  // A clean record is checked and, if valid, kept. A broken one (syntax error already reported)
  // is only read quietly for its keys, so that records referring to it get no further errors.
  void handle_record(RawRecord& record, bool clean) {
    if (record.fields.empty()) {
      return;
    }
    const KindSpec* spec = find_kind(ascii_lower(record.fields[0]));
    if (spec == nullptr) {
      if (!clean) {
        return;
      }
      if (record.fields[0].empty()) {
        errors_.add(record.line, "kind (column 1): required value is empty");
      } else {
        errors_.add(record.line, "kind (column 1): unknown kind " + quote(record.fields[0]) +
                                     "; expected school, class, subject, pupil, teacher, "
                                     "parent, staff, admin, teaches, parent_of, slot or holiday");
      }
      return;
    }
    // Spreadsheets pad every row to the widest one: empty trailing fields are not columns.
    const std::size_t total = spec->columns.size() + 1;
    while (record.fields.size() > total && record.fields.back().empty()) {
      record.fields.pop_back();
    }
    const std::size_t required = spec->required + 1;
    if (record.fields.size() < required || record.fields.size() > total) {
      if (clean) {
        errors_.add(record.line, column_count_message(*spec, record.fields.size()));
      }
      return;
    }
    FieldReader reader(*spec, record, clean ? &errors_ : nullptr);
    switch (spec->kind) {
      case Kind::school:
        add_school(reader, record.line);
        break;
      case Kind::school_class:
        add_class(reader, record.line);
        break;
      case Kind::subject:
        add_subject(reader, record.line);
        break;
      case Kind::person:
        add_person(*spec, reader, record.line);
        break;
      case Kind::teaches:
        add_teaching(reader, record.line);
        break;
      case Kind::parent_of:
        add_parent_link(reader, record.line);
        break;
      case Kind::slot:
        add_slot(reader, record.line);
        break;
      case Kind::holiday:
        add_holiday(reader, record.line);
        break;
    }
  }

  static std::string column_count_message(const KindSpec& spec, std::size_t found) {
    const std::size_t required = spec.required + 1;
    const std::size_t total = spec.columns.size() + 1;
    std::string message = std::string(spec.name) + " expects " + std::to_string(required);
    if (total == required + 1) {
      message += " or " + std::to_string(total);
    } else if (total > required) {
      message += " to " + std::to_string(total);
    }
    message += " columns (kind";
    for (std::size_t i = 0; i < spec.columns.size(); ++i) {
      message += i < spec.required ? ", " : ", optional ";
      message += spec.columns[i];
    }
    message += "), found " + std::to_string(found);
    return message;
  }

  // Keeps `value` unless its key is taken: by an identical value (kept once, silently) or by a
  // different one (an error on this line).
  template <class Value>
  void keep_once(std::map<std::string, Seen>& seen, std::string key, std::vector<Value>& values,
                 std::vector<std::size_t>* lines, Value value, std::size_t line) {
    const auto [it, inserted] = seen.try_emplace(std::move(key), Seen{values.size(), line});
    if (!inserted) {
      if (fields_of(values[it->second.index]) != fields_of(value)) {
        errors_.add(line, what_is(value) + " is already defined on line " +
                              std::to_string(it->second.line) + " with different values");
      }
      return;
    }
    values.push_back(std::move(value));
    if (lines != nullptr) {
      lines->push_back(line);
    }
  }

  void add_school(FieldReader& r, std::size_t line) {
    auto code = r.code(1);
    auto name = r.name(2, limits::max_name_bytes, true);
    auto timezone = r.timezone(3);
    if (!r.ok()) {
      if (code) {
        broken_schools_.insert(*code);
      }
      return;
    }
    keep_once(schools_, *code, roster_.schools, nullptr,
              School{*code, std::move(*name), std::move(*timezone)}, line);
  }

  void add_class(FieldReader& r, std::size_t line) {
    auto school = r.code(1);
    auto code = r.code(2);
    auto name = r.name(3, limits::max_name_bytes, true);
    if (!r.ok()) {
      if (school && code) {
        broken_classes_.insert(join_key({*school, *code}));
      }
      return;
    }
    keep_once(classes_, join_key({*school, *code}), roster_.classes, &lines_.classes,
              SchoolClass{*school, *code, std::move(*name)}, line);
  }

  void add_subject(FieldReader& r, std::size_t line) {
    auto school = r.code(1);
    auto code = r.code(2);
    auto name = r.name(3, limits::max_name_bytes, true);
    if (!r.ok()) {
      if (school && code) {
        broken_subjects_.insert(join_key({*school, *code}));
      }
      return;
    }
    keep_once(subjects_, join_key({*school, *code}), roster_.subjects, &lines_.subjects,
              Subject{*school, *code, std::move(*name)}, line);
  }

  void add_person(const KindSpec& spec, FieldReader& r, std::size_t line) {
    const bool pupil = spec.role == Role::pupil;
    std::size_t column = 1;
    auto login = r.login(column++);
    auto school = r.code(column++);
    std::optional<std::string> class_code;
    if (pupil) {
      class_code = r.code(column++);
    }
    auto first_name = r.name(column++, limits::max_name_bytes, true);
    auto last_name = r.name(column++, limits::max_name_bytes, true);
    auto password = r.password(column++);
    if (!r.ok()) {
      if (login) {
        broken_logins_.insert(*login);
      }
      return;
    }
    Person person;
    person.login = *login;
    person.role = spec.role;
    person.school_code = std::move(*school);
    person.first_name = std::move(*first_name);
    person.last_name = std::move(*last_name);
    if (pupil) {
      person.class_code = std::move(*class_code);
    }
    person.password = std::move(*password);
    keep_once(people_, *login, roster_.people, &lines_.people, std::move(person), line);
  }

  void add_teaching(FieldReader& r, std::size_t line) {
    auto teacher = r.login(1);
    auto school = r.code(2);
    auto class_code = r.code(3);
    auto subject = r.code(4);
    if (!r.ok()) {
      if (teacher && school && class_code && subject) {
        broken_teachings_.insert(join_key({*teacher, *school, *class_code, *subject}));
      }
      return;
    }
    std::string key = join_key({*teacher, *school, *class_code, *subject});
    keep_once(teachings_, std::move(key), roster_.teachings, &lines_.teachings,
              Teaching{*teacher, *school, *class_code, *subject}, line);
  }

  void add_parent_link(FieldReader& r, std::size_t line) {
    auto parent = r.login(1);
    auto pupil = r.login(2);
    if (!r.ok()) {
      return;
    }
    std::string key = join_key({*parent, *pupil});
    keep_once(parent_links_, std::move(key), roster_.parent_links, &lines_.parent_links,
              ParentLink{*parent, *pupil}, line);
  }

  void add_slot(FieldReader& r, std::size_t line) {
    auto school = r.code(1);
    auto class_code = r.code(2);
    auto subject = r.code(3);
    auto teacher = r.login(4);
    auto weekday = r.weekday(5);
    auto start = r.time(6);
    auto end = r.time(7);
    if (start && end && *end <= *start) {
      r.fail(7, quote(format_minute_of_day(*end)) + " is not after start " +
                    quote(format_minute_of_day(*start)));
    }
    auto room = r.name(8, limits::max_room_bytes, false);
    auto week = r.week(9);
    if (!r.ok()) {
      return;
    }
    TimetableSlot slot{*school, *class_code, *subject, *teacher, *weekday,
                       *start,  *end,        *room,    *week};
    // Two identical slots are one slot; any difference makes another slot (overlaps are
    // legitimate: half-class groups, co-taught lessons), so the whole content is the key.
    std::string key = join_key({slot.school_code, slot.class_code, slot.subject_code,
                                slot.teacher_login, std::to_string(slot.weekday),
                                std::to_string(slot.start_minute), std::to_string(slot.end_minute),
                                slot.room, std::to_string(static_cast<int>(slot.week))});
    keep_once(slots_, std::move(key), roster_.slots, &lines_.slots, std::move(slot), line);
  }

  void add_holiday(FieldReader& r, std::size_t line) {
    auto school = r.code(1);
    auto first_day = r.date(2);
    auto last_day = r.date(3);
    if (first_day && last_day && *last_day < *first_day) {
      r.fail(3, quote(format_date(*last_day)) + " is before first_day " +
                    quote(format_date(*first_day)));
    }
    auto label = r.name(4, limits::max_name_bytes, true);
    if (!r.ok()) {
      return;
    }
    Holiday holiday{*school, format_date(*first_day), format_date(*last_day), std::move(*label)};
    std::string key = join_key({holiday.school_code, holiday.first_day, holiday.last_day});
    keep_once(holidays_, std::move(key), roster_.holidays, &lines_.holidays, std::move(holiday),
              line);
  }

  // ---- Pass 2.

  Found find_school(const std::string& code) const {
    if (schools_.contains(code) || existing_.schools.contains(code)) {
      return Found::yes;
    }
    return broken_schools_.contains(code) ? Found::broken : Found::no;
  }

  // Reports an unknown school; true when the school is known (so its classes can be checked).
  bool check_school(std::size_t line, const std::string& label, const std::string& code) {
    const Found found = find_school(code);
    if (found == Found::no) {
      errors_.add(line, label + ": no school " + quote(code) + " in this file or the database");
    }
    return found == Found::yes;
  }

  bool check_class(std::size_t line, const std::string& label, const std::string& school,
                   const std::string& code) {
    const std::string key = join_key({school, code});
    if (classes_.contains(key) || existing_.classes.contains({school, code})) {
      return true;
    }
    if (!broken_classes_.contains(key)) {
      errors_.add(line, label + ": no class " + quote(code) + " in school " + quote(school) +
                            " in this file or the database");
    }
    return false;
  }

  bool check_subject(std::size_t line, const std::string& label, const std::string& school,
                     const std::string& code) {
    const std::string key = join_key({school, code});
    if (subjects_.contains(key) || existing_.subjects.contains({school, code})) {
      return true;
    }
    if (!broken_subjects_.contains(key)) {
      errors_.add(line, label + ": no subject " + quote(code) + " in school " + quote(school) +
                            " in this file or the database");
    }
    return false;
  }

  // The file's record wins over the database's: it is what this import will leave behind.
  bool check_person(std::size_t line, const std::string& label, const std::string& login,
                    Role wanted) {
    std::optional<Role> role;
    if (const auto it = people_.find(login); it != people_.end()) {
      role = roster_.people[it->second.index].role;
    } else if (const auto known = existing_.people.find(login); known != existing_.people.end()) {
      role = known->second.first;
    } else if (broken_logins_.contains(login)) {
      return false;
    } else {
      errors_.add(line, label + ": no person " + quote(login) + " in this file or the database");
      return false;
    }
    if (*role != wanted) {
      errors_.add(line, label + ": " + quote(login) + " is " + article(*role) + role_name(*role) +
                            ", not " + article(wanted) + role_name(wanted));
      return false;
    }
    return true;
  }

  void check_references() {
    const KindSpec& class_spec = kind_named("class");
    for (std::size_t i = 0; i < roster_.classes.size(); ++i) {
      check_school(lines_.classes[i], column_label(class_spec, 1), roster_.classes[i].school_code);
    }
    const KindSpec& subject_spec = kind_named("subject");
    for (std::size_t i = 0; i < roster_.subjects.size(); ++i) {
      check_school(lines_.subjects[i], column_label(subject_spec, 1),
                   roster_.subjects[i].school_code);
    }
    for (std::size_t i = 0; i < roster_.people.size(); ++i) {
      check_person_record(roster_.people[i], lines_.people[i]);
    }
    const KindSpec& teaches = kind_named("teaches");
    for (std::size_t i = 0; i < roster_.teachings.size(); ++i) {
      const Teaching& t = roster_.teachings[i];
      const std::size_t line = lines_.teachings[i];
      check_person(line, column_label(teaches, 1), t.teacher_login, Role::teacher);
      if (check_school(line, column_label(teaches, 2), t.school_code)) {
        check_class(line, column_label(teaches, 3), t.school_code, t.class_code);
        check_subject(line, column_label(teaches, 4), t.school_code, t.subject_code);
      }
    }
    const KindSpec& parent_of = kind_named("parent_of");
    for (std::size_t i = 0; i < roster_.parent_links.size(); ++i) {
      const ParentLink& link = roster_.parent_links[i];
      const std::size_t line = lines_.parent_links[i];
      check_person(line, column_label(parent_of, 1), link.parent_login, Role::parent);
      check_person(line, column_label(parent_of, 2), link.pupil_login, Role::pupil);
    }
    for (std::size_t i = 0; i < roster_.slots.size(); ++i) {
      check_slot(roster_.slots[i], lines_.slots[i]);
    }
    const KindSpec& holiday = kind_named("holiday");
    for (std::size_t i = 0; i < roster_.holidays.size(); ++i) {
      check_school(lines_.holidays[i], column_label(holiday, 1), roster_.holidays[i].school_code);
    }
  }

  void check_person_record(const Person& person, std::size_t line) {
    const KindSpec& spec = kind_named(role_name(person.role));
    if (const auto known = existing_.people.find(person.login); known != existing_.people.end()) {
      const auto& [role, school] = known->second;
      if (role != person.role || school != person.school_code) {
        errors_.add(line, column_label(spec, 1) + ": " + quote(person.login) +
                              " already exists as " + article(role) + role_name(role) +
                              " of school " + quote(school) +
                              "; an import cannot change a person's role or school");
      }
    }
    if (check_school(line, column_label(spec, 2), person.school_code) &&
        person.role == Role::pupil) {
      check_class(line, column_label(spec, 3), person.school_code, person.class_code);
    }
  }

  void check_slot(const TimetableSlot& slot, std::size_t line) {
    const KindSpec& spec = kind_named("slot");
    const std::string teacher_label = column_label(spec, 4);
    const bool teacher_ok = check_person(line, teacher_label, slot.teacher_login, Role::teacher);
    if (!check_school(line, column_label(spec, 1), slot.school_code)) {
      return;
    }
    const bool class_ok =
        check_class(line, column_label(spec, 2), slot.school_code, slot.class_code);
    const bool subject_ok =
        check_subject(line, column_label(spec, 3), slot.school_code, slot.subject_code);
    if (!teacher_ok || !class_ok || !subject_ok) {
      return;
    }
    // A teacher already in the database may teach this class through an earlier import, which
    // only the database knows; one new in this file can only teach what this file says.
    if (existing_.people.contains(slot.teacher_login)) {
      return;
    }
    const std::string key =
        join_key({slot.teacher_login, slot.school_code, slot.class_code, slot.subject_code});
    if (!teachings_.contains(key) && !broken_teachings_.contains(key)) {
      errors_.add(line, teacher_label + ": " + quote(slot.teacher_login) +
                            " has no teaches record for class " + quote(slot.class_code) +
                            " and subject " + quote(slot.subject_code) + " of school " +
                            quote(slot.school_code));
    }
  }

  std::string_view text_;
  const RosterKeys& existing_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  char separator_ = ',';
  std::size_t records_ = 0;
  bool incomplete_ = false;  // reading stopped early: references into the rest are unknowable
  ErrorSink errors_;

  Roster roster_;
  Lines lines_;
  std::map<std::string, Seen> schools_, classes_, subjects_, people_, teachings_, parent_links_,
      slots_, holidays_;
  // Keys of records refused in pass 1: references to them are not reported again.
  std::set<std::string> broken_schools_, broken_classes_, broken_subjects_, broken_logins_,
      broken_teachings_;
};

}  // namespace

ImportResult parse_roster_csv(std::string_view text, const RosterKeys& existing) {
  return RosterParser(text, existing).run();
}

}  // namespace cartable
