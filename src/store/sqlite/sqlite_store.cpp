#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>

#include "store/migrations.hpp"
#include "store/sqlite/queries.hpp"

namespace cartable {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

std::string_view week_text(WeekParity week) {
  switch (week) {
    case WeekParity::a:
      return "A";
    case WeekParity::b:
      return "B";
    case WeekParity::every:
      break;
  }
  return "*";
}

WeekParity week_from_text(const std::string& text) {
  if (text == "A") {
    return WeekParity::a;
  }
  if (text == "B") {
    return WeekParity::b;
  }
  return WeekParity::every;
}

Role role_from_text(const std::string& text) {
  const auto role = parse_role(text);
  if (!role) {
    throw std::runtime_error("database holds an unknown role: " + text);
  }
  return *role;
}

// Looks up an id by a natural key; nullopt when absent.
template <class... Keys>
std::optional<Id> find_id(Connection& db, std::string_view sql, const Keys&... keys) {
  Statement statement = db.prepare(sql);
  statement.bind(keys...);
  if (statement.step()) {
    return statement.integer(0);
  }
  return std::nullopt;
}

Id require_id(std::optional<Id> id, std::string_view what, const std::string& key) {
  if (!id) {
    throw std::invalid_argument("roster refers to an unknown " + std::string(what) + ": " + key);
  }
  return *id;
}

// Inserts a row unless its key exists, then updates the fields that differ: counts a creation or
// an update, and nothing when the row was already as given (re-imports change nothing).
template <class... Values>
void upsert(Connection& db, std::size_t& created, std::size_t& updated, std::string_view insert_sql,
            std::string_view update_sql, const Values&... values) {
  db.prepare(insert_sql).bind(values...).run();
  created += static_cast<std::size_t>(db.changes());
  db.prepare(update_sql).bind(values...).run();
  updated += static_cast<std::size_t>(db.changes());
}

constexpr std::string_view kLessonColumns =
    "s.start_minute, s.end_minute, s.week, sub.id, sub.name, c.id, c.name, t.id, t.first_name, "
    "t.last_name, s.room";

LessonRecord read_lesson(const Statement& row) {
  LessonRecord lesson;
  lesson.start_minute = static_cast<int>(row.integer(0));
  lesson.end_minute = static_cast<int>(row.integer(1));
  lesson.week = week_from_text(row.text(2));
  lesson.subject = {row.integer(3), row.text(4)};
  lesson.school_class = {row.integer(5), row.text(6)};
  lesson.teacher = {row.integer(7), row.text(8), row.text(9)};
  lesson.room = row.text(10);
  return lesson;
}

constexpr std::string_view kHomeworkSelect =
    "SELECT h.id, c.school_id, c.id, c.name, sub.id, sub.name, a.id, a.first_name, a.last_name, "
    "h.title, h.body, h.due_date, h.created_at, h.updated_at FROM homework h "
    "JOIN classes c ON c.id = h.class_id JOIN subjects sub ON sub.id = h.subject_id "
    "JOIN users a ON a.id = h.author_id ";

HomeworkRecord read_homework(const Statement& row) {
  HomeworkRecord record;
  record.id = row.integer(0);
  record.school_id = row.integer(1);
  record.school_class = {row.integer(2), row.text(3)};
  record.subject = {row.integer(4), row.text(5)};
  record.author = {row.integer(6), row.text(7), row.text(8)};
  record.title = row.text(9);
  record.body = row.text(10);
  record.due_date = row.text(11);
  record.created_at = row.text(12);
  record.updated_at = row.text(13);
  return record;
}

constexpr std::string_view kEvaluationSelect =
    "SELECT e.id, c.school_id, c.id, c.name, sub.id, sub.name, a.id, a.first_name, a.last_name, "
    "e.date, e.title, e.out_of, e.coefficient, e.created_at, e.updated_at FROM evaluations e "
    "JOIN classes c ON c.id = e.class_id JOIN subjects sub ON sub.id = e.subject_id "
    "JOIN users a ON a.id = e.author_id ";

EvaluationRecord read_evaluation(const Statement& row) {
  EvaluationRecord record;
  record.id = row.integer(0);
  record.school_id = row.integer(1);
  record.school_class = {row.integer(2), row.text(3)};
  record.subject = {row.integer(4), row.text(5)};
  record.author = {row.integer(6), row.text(7), row.text(8)};
  record.date = row.text(9);
  record.title = row.text(10);
  record.out_of = row.real(11);
  record.coefficient = row.real(12);
  record.created_at = row.text(13);
  record.updated_at = row.text(14);
  return record;
}

// Marks joined with their evaluation (for filtering) and pupil (for names and order).
constexpr std::string_view kMarkSelect =
    "SELECT m.evaluation_id, p.id, p.first_name, p.last_name, m.state, m.value, m.comment, "
    "m.updated_at FROM marks m JOIN evaluations e ON e.id = m.evaluation_id "
    "JOIN users p ON p.id = m.pupil_id ";
constexpr std::string_view kMarkOrder = " ORDER BY e.date, e.id, p.last_name, p.first_name, p.id";

MarkRecord read_mark(const Statement& row) {
  MarkRecord record;
  record.evaluation_id = row.integer(0);
  record.pupil = {row.integer(1), row.text(2), row.text(3)};
  const auto state = parse_mark_state(row.text(4));
  if (!state) {
    throw std::runtime_error("database holds an unknown mark state: " + row.text(4));
  }
  record.state = *state;
  if (!row.is_null(5)) {
    record.value = row.real(5);
  }
  record.comment = row.text(6);
  record.updated_at = row.text(7);
  return record;
}

}  // namespace

SqliteStore::SqliteStore(const std::filesystem::path& file, std::size_t readers) {
  writer_ = std::make_unique<Connection>(file, true);
  migrate();
  for (std::size_t i = 0; i < std::max<std::size_t>(1, readers); ++i) {
    idle_readers_.push_back(std::make_unique<Connection>(file, false));
  }
}

SqliteStore::~SqliteStore() = default;

SqliteStore::Reader SqliteStore::read() {
  std::unique_lock lock(readers_mutex_);
  reader_returned_.wait(lock, [this] { return !idle_readers_.empty(); });
  auto connection = std::move(idle_readers_.back());
  idle_readers_.pop_back();
  return Reader(*this, std::move(connection));
}

void SqliteStore::migrate() {
  std::lock_guard lock(write_mutex_);
  writer_->execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
  // Which versions are applied, not just the highest: a version merged from another branch after
  // a higher one was applied here is still applied (see migrations.hpp).
  std::vector<std::int64_t> applied;
  for (Statement s = writer_->prepare("SELECT version FROM schema_migrations ORDER BY version");
       s.step();) {
    applied.push_back(s.integer(0));
  }
  const auto all = migrations();
  if (!all.empty() && !applied.empty() && applied.back() > all.back().version) {
    throw std::runtime_error("the database schema (version " + std::to_string(applied.back()) +
                             ") is newer than this program knows; upgrade cartable");
  }
  for (const Migration& migration : all) {
    if (std::find(applied.begin(), applied.end(), migration.version) != applied.end()) {
      continue;
    }
    Transaction transaction(*writer_);
    writer_->execute(std::string(migration.sql));
    writer_->prepare("INSERT INTO schema_migrations (version, description) VALUES (?1, ?2)")
        .bind(static_cast<std::int64_t>(migration.version), migration.description)
        .run();
    transaction.commit();
  }
}

RosterKeys SqliteStore::roster_keys() {
  Reader db = read();
  RosterKeys keys;
  for (Statement s = db->prepare("SELECT code FROM schools"); s.step();) {
    keys.schools.insert(s.text(0));
  }
  for (Statement s =
           db->prepare("SELECT s.code, c.code FROM classes c JOIN schools s ON s.id = c.school_id");
       s.step();) {
    keys.classes.emplace(s.text(0), s.text(1));
  }
  for (Statement s = db->prepare(
           "SELECT s.code, x.code FROM subjects x JOIN schools s ON s.id = x.school_id");
       s.step();) {
    keys.subjects.emplace(s.text(0), s.text(1));
  }
  for (Statement s = db->prepare(
           "SELECT u.login, u.role, s.code FROM users u JOIN schools s ON s.id = u.school_id");
       s.step();) {
    keys.people.emplace(s.text(0), std::make_pair(role_from_text(s.text(1)), s.text(2)));
  }
  return keys;
}

ImportSummary SqliteStore::apply_roster(const Roster& roster,
                                        const std::map<std::string, std::string>& password_hashes,
                                        const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Connection& db = *writer_;
  Transaction transaction(db);
  ImportSummary summary;
  auto count_link = [&] { summary.links_created += static_cast<std::size_t>(db.changes()); };

  const auto school_id = [&](const std::string& code) {
    return require_id(find_id(db, "SELECT id FROM schools WHERE code = ?1", code), "school", code);
  };
  const auto class_id = [&](const std::string& school, const std::string& code) {
    return require_id(find_id(db,
                              "SELECT c.id FROM classes c JOIN schools s ON s.id = c.school_id "
                              "WHERE s.code = ?1 AND c.code = ?2",
                              school, code),
                      "class", school + "/" + code);
  };
  const auto subject_id = [&](const std::string& school, const std::string& code) {
    return require_id(find_id(db,
                              "SELECT x.id FROM subjects x JOIN schools s ON s.id = x.school_id "
                              "WHERE s.code = ?1 AND x.code = ?2",
                              school, code),
                      "subject", school + "/" + code);
  };
  const auto user_id = [&](const std::string& login) {
    return require_id(find_id(db, "SELECT id FROM users WHERE login = ?1", login), "person", login);
  };

  for (const School& school : roster.schools) {
    upsert(db, summary.schools_created, summary.rows_updated,
           "INSERT INTO schools (code, name, timezone) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (code) DO NOTHING",
           "UPDATE schools SET name = ?2, timezone = ?3 WHERE code = ?1 AND "
           "(name <> ?2 OR timezone <> ?3)",
           school.code, school.name, school.timezone);
  }
  for (const SchoolClass& school_class : roster.classes) {
    upsert(db, summary.classes_created, summary.rows_updated,
           "INSERT INTO classes (school_id, code, name) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (school_id, code) DO NOTHING",
           "UPDATE classes SET name = ?3 WHERE school_id = ?1 AND code = ?2 AND name <> ?3",
           school_id(school_class.school_code), school_class.code, school_class.name);
  }
  for (const Subject& subject : roster.subjects) {
    upsert(db, summary.subjects_created, summary.rows_updated,
           "INSERT INTO subjects (school_id, code, name) VALUES (?1, ?2, ?3) "
           "ON CONFLICT (school_id, code) DO NOTHING",
           "UPDATE subjects SET name = ?3 WHERE school_id = ?1 AND code = ?2 AND name <> ?3",
           school_id(subject.school_code), subject.code, subject.name);
  }
  for (const Person& person : roster.people) {
    const Id school = school_id(person.school_code);
    const auto hash = password_hashes.find(person.login);
    db.prepare(
          "INSERT INTO users (login, role, school_id, first_name, last_name, password_hash) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (login) DO NOTHING")
        .bind(person.login, role_name(person.role), school, person.first_name, person.last_name,
              hash != password_hashes.end() ? hash->second : std::string{})
        .run();
    summary.people_created += static_cast<std::size_t>(db.changes());
    db.prepare(
          "UPDATE users SET first_name = ?2, last_name = ?3 WHERE login = ?1 AND "
          "(first_name <> ?2 OR last_name <> ?3)")
        .bind(person.login, person.first_name, person.last_name)
        .run();
    summary.rows_updated += static_cast<std::size_t>(db.changes());
    if (person.role == Role::pupil) {
      const Id pupil = user_id(person.login);
      const Id klass = class_id(person.school_code, person.class_code);
      db.prepare(
            "INSERT INTO enrolments (pupil_id, class_id) VALUES (?1, ?2) "
            "ON CONFLICT (pupil_id) DO UPDATE SET class_id = excluded.class_id "
            "WHERE enrolments.class_id <> excluded.class_id")
          .bind(pupil, klass)
          .run();
      count_link();
    }
  }
  for (const Teaching& teaching : roster.teachings) {
    db.prepare(
          "INSERT INTO teachings (teacher_id, class_id, subject_id) VALUES (?1, ?2, ?3) "
          "ON CONFLICT DO NOTHING")
        .bind(user_id(teaching.teacher_login), class_id(teaching.school_code, teaching.class_code),
              subject_id(teaching.school_code, teaching.subject_code))
        .run();
    count_link();
  }
  for (const ParentLink& link : roster.parent_links) {
    db.prepare(
          "INSERT INTO parent_links (parent_id, pupil_id) VALUES (?1, ?2) "
          "ON CONFLICT DO NOTHING")
        .bind(user_id(link.parent_login), user_id(link.pupil_login))
        .run();
    count_link();
  }
  for (const TimetableSlot& slot : roster.slots) {
    db.prepare(
          "INSERT INTO timetable_slots (class_id, subject_id, teacher_id, weekday, "
          "start_minute, end_minute, room, week) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
          "ON CONFLICT DO NOTHING")
        .bind(class_id(slot.school_code, slot.class_code),
              subject_id(slot.school_code, slot.subject_code), user_id(slot.teacher_login),
              slot.weekday, slot.start_minute, slot.end_minute, slot.room, week_text(slot.week))
        .run();
    count_link();
  }
  for (const Holiday& holiday : roster.holidays) {
    db.prepare(
          "INSERT INTO holidays (school_id, first_day, last_day, label) "
          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
        .bind(school_id(holiday.school_code), holiday.first_day, holiday.last_day, holiday.label)
        .run();
    count_link();
  }
  for (const HomeworkItem& item : roster.homework) {
    db.prepare(
          "INSERT INTO homework (class_id, subject_id, author_id, title, body, due_date, "
          "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
          "?7, ?7)")
        .bind(class_id(item.school_code, item.class_code),
              subject_id(item.school_code, item.subject_code), user_id(item.author_login),
              item.title, item.body, item.due_date, now)
        .run();
    count_link();
  }
  for (const EvaluationItem& item : roster.evaluations) {
    db.prepare(
          "INSERT INTO evaluations (class_id, subject_id, author_id, date, title, out_of, "
          "coefficient, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)")
        .bind(class_id(item.school_code, item.class_code),
              subject_id(item.school_code, item.subject_code), user_id(item.author_login),
              item.date, item.title, item.out_of, item.coefficient, now)
        .run();
    count_link();
    const Id evaluation = db.last_insert_id();
    for (const MarkItem& mark : item.marks) {
      // Only a graded mark has a value (the table checks it).
      db.prepare(
            "INSERT INTO marks (evaluation_id, pupil_id, value, state, updated_at) "
            "VALUES (?1, ?2, CASE WHEN ?4 = 'graded' THEN ?3 END, ?4, ?5)")
          .bind(evaluation, user_id(mark.pupil_login), mark.value, mark_state_name(mark.state), now)
          .run();
    }
  }
  apply_roster_messages(db, roster, now, summary);
  transaction.commit();
  return summary;
}

std::optional<Credentials> SqliteStore::credentials(std::string_view login) {
  Reader db = read();
  Statement s =
      db->prepare("SELECT id, role, school_id, password_hash FROM users WHERE login = ?1");
  s.bind(login);
  if (!s.step()) {
    return std::nullopt;
  }
  return Credentials{s.integer(0), role_from_text(s.text(1)), s.integer(2), s.text(3)};
}

void SqliteStore::set_password_hash(Id user_id, const std::string& hash) {
  std::lock_guard lock(write_mutex_);
  writer_->prepare("UPDATE users SET password_hash = ?2 WHERE id = ?1").bind(user_id, hash).run();
}

std::optional<UserRecord> SqliteStore::user(Id user_id) {
  Reader db = read();
  Statement s = db->prepare(
      "SELECT u.id, u.login, u.role, u.first_name, u.last_name, s.id, s.code, s.name, s.timezone, "
      "c.id, c.name FROM users u JOIN schools s ON s.id = u.school_id "
      "LEFT JOIN enrolments e ON e.pupil_id = u.id LEFT JOIN classes c ON c.id = e.class_id "
      "WHERE u.id = ?1");
  s.bind(user_id);
  if (!s.step()) {
    return std::nullopt;
  }
  UserRecord user;
  user.id = s.integer(0);
  user.login = s.text(1);
  user.role = role_from_text(s.text(2));
  user.first_name = s.text(3);
  user.last_name = s.text(4);
  user.school = {s.integer(5), s.text(6), s.text(7), s.text(8)};
  if (!s.is_null(9)) {
    user.school_class = NamedRef{s.integer(9), s.text(10)};
  }
  return user;
}

std::vector<ChildRecord> SqliteStore::children(Id parent_id) {
  Reader db = read();
  std::vector<ChildRecord> result;
  Statement s = db->prepare(
      "SELECT u.id, u.first_name, u.last_name, c.id, c.name, u.school_id FROM parent_links l "
      "JOIN users u ON u.id = l.pupil_id JOIN enrolments e ON e.pupil_id = u.id "
      "JOIN classes c ON c.id = e.class_id WHERE l.parent_id = ?1 ORDER BY u.first_name, u.id");
  s.bind(parent_id);
  while (s.step()) {
    result.push_back(
        {{s.integer(0), s.text(1), s.text(2)}, {s.integer(3), s.text(4)}, s.integer(5)});
  }
  return result;
}

std::vector<TeachingRecord> SqliteStore::teachings(Id teacher_id) {
  Reader db = read();
  std::vector<TeachingRecord> result;
  Statement s = db->prepare(
      "SELECT c.id, c.name, x.id, x.name FROM teachings t JOIN classes c ON c.id = t.class_id "
      "JOIN subjects x ON x.id = t.subject_id WHERE t.teacher_id = ?1 ORDER BY c.name, x.name");
  s.bind(teacher_id);
  while (s.step()) {
    result.push_back({{s.integer(0), s.text(1)}, {s.integer(2), s.text(3)}});
  }
  return result;
}

std::vector<ClassSubjectRecord> SqliteStore::class_subjects(Id class_id) {
  Reader db = read();
  std::vector<ClassSubjectRecord> result;
  Statement s = db->prepare(
      "SELECT x.id, x.name, u.id, u.first_name, u.last_name FROM teachings t "
      "JOIN subjects x ON x.id = t.subject_id JOIN users u ON u.id = t.teacher_id "
      "WHERE t.class_id = ?1 ORDER BY x.name, u.last_name, u.first_name, u.id");
  s.bind(class_id);
  while (s.step()) {
    result.push_back({{s.integer(0), s.text(1)}, {s.integer(2), s.text(3), s.text(4)}});
  }
  return result;
}

std::optional<ClassRecord> SqliteStore::school_class(Id class_id) {
  Reader db = read();
  Statement s = db->prepare("SELECT id, school_id, name FROM classes WHERE id = ?1");
  s.bind(class_id);
  if (!s.step()) {
    return std::nullopt;
  }
  return ClassRecord{s.integer(0), s.integer(1), s.text(2)};
}

std::vector<LessonRecord> SqliteStore::class_lessons(Id class_id, int weekday) {
  static const std::string& sql =
      sql_once("SELECT " + std::string(kLessonColumns) +
               " FROM timetable_slots s JOIN subjects sub ON sub.id = s.subject_id "
               "JOIN classes c ON c.id = s.class_id JOIN users t ON t.id = s.teacher_id "
               "WHERE s.class_id = ?1 AND s.weekday = ?2 ORDER BY s.start_minute, s.id");
  Reader db = read();
  return collect(*db, sql, read_lesson, class_id, weekday);
}

std::vector<LessonRecord> SqliteStore::teacher_lessons(Id teacher_id, int weekday) {
  static const std::string& sql =
      sql_once("SELECT " + std::string(kLessonColumns) +
               " FROM timetable_slots s JOIN subjects sub ON sub.id = s.subject_id "
               "JOIN classes c ON c.id = s.class_id JOIN users t ON t.id = s.teacher_id "
               "WHERE s.teacher_id = ?1 AND s.weekday = ?2 ORDER BY s.start_minute, s.id");
  Reader db = read();
  return collect(*db, sql, read_lesson, teacher_id, weekday);
}

std::vector<HolidayRecord> SqliteStore::holidays(Id school_id) {
  Reader db = read();
  return collect(
      *db,
      "SELECT first_day, last_day, label FROM holidays WHERE school_id = ?1 ORDER BY first_day",
      [](const Statement& row) {
        return HolidayRecord{row.text(0), row.text(1), row.text(2)};
      },
      school_id);
}

std::vector<LessonStart> SqliteStore::lesson_starts(int weekday) {
  Reader db = read();
  return collect(
      *db,
      "SELECT c.school_id, c.id, c.name, s.start_minute, s.week FROM timetable_slots s "
      "JOIN classes c ON c.id = s.class_id WHERE s.weekday = ?1 "
      "GROUP BY c.school_id, c.id, c.name, s.start_minute, s.week "
      "ORDER BY c.school_id, s.start_minute, c.id",
      [](const Statement& row) {
        return LessonStart{row.integer(0),
                           {row.integer(1), row.text(2)},
                           static_cast<int>(row.integer(3)),
                           week_from_text(row.text(4))};
      },
      weekday);
}

std::vector<SchoolRecord> SqliteStore::schools() {
  Reader db = read();
  return collect(*db, "SELECT id, code, name, timezone FROM schools ORDER BY id",
                 [](const Statement& row) {
                   return SchoolRecord{row.integer(0), row.text(1), row.text(2), row.text(3)};
                 });
}

std::vector<HomeworkRecord> SqliteStore::class_homework(Id class_id, const std::string& from,
                                                        const std::string& to) {
  static const std::string& sql =
      sql_once(std::string(kHomeworkSelect) +
               "WHERE h.class_id = ?1 AND h.due_date BETWEEN ?2 AND ?3 ORDER BY h.due_date, h.id");
  Reader db = read();
  return collect(*db, sql, read_homework, class_id, from, to);
}

std::vector<HomeworkRecord> SqliteStore::authored_homework(Id author_id, const std::string& from,
                                                           const std::string& to) {
  static const std::string& sql =
      sql_once(std::string(kHomeworkSelect) +
               "WHERE h.author_id = ?1 AND h.due_date BETWEEN ?2 AND ?3 ORDER BY h.due_date, h.id");
  Reader db = read();
  return collect(*db, sql, read_homework, author_id, from, to);
}

std::optional<HomeworkRecord> SqliteStore::homework(Id homework_id) {
  static const std::string& sql = sql_once(std::string(kHomeworkSelect) + "WHERE h.id = ?1");
  Reader db = read();
  Statement s = db->prepare(sql);
  s.bind(homework_id);
  if (!s.step()) {
    return std::nullopt;
  }
  return read_homework(s);
}

Id SqliteStore::create_homework(const HomeworkDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "INSERT INTO homework (class_id, subject_id, author_id, title, body, due_date, "
          "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)")
      .bind(draft.class_id, draft.subject_id, draft.author_id, draft.title, draft.body,
            draft.due_date, now)
      .run();
  return writer_->last_insert_id();
}

bool SqliteStore::update_homework(Id homework_id, const HomeworkDraft& draft,
                                  const std::string& now) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "UPDATE homework SET class_id = ?2, subject_id = ?3, title = ?4, body = ?5, "
          "due_date = ?6, updated_at = ?7 WHERE id = ?1")
      .bind(homework_id, draft.class_id, draft.subject_id, draft.title, draft.body, draft.due_date,
            now)
      .run();
  return writer_->changes() > 0;
}

bool SqliteStore::delete_homework(Id homework_id) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  // The files stay with their owners (a pupil keeps what they handed in); the links go.
  writer_->prepare("DELETE FROM homework_attachments WHERE homework_id = ?1")
      .bind(homework_id)
      .run();
  writer_
      ->prepare(
          "DELETE FROM hand_in_files WHERE hand_in_id IN "
          "(SELECT id FROM hand_ins WHERE homework_id = ?1)")
      .bind(homework_id)
      .run();
  writer_->prepare("DELETE FROM hand_ins WHERE homework_id = ?1").bind(homework_id).run();
  writer_->prepare("DELETE FROM homework WHERE id = ?1").bind(homework_id).run();
  const bool deleted = writer_->changes() > 0;
  transaction.commit();
  return deleted;
}

void SqliteStore::shift_homework_due_dates(int days) {
  std::lock_guard lock(write_mutex_);
  writer_->prepare("UPDATE homework SET due_date = date(due_date, printf('%+d days', ?1))")
      .bind(days)
      .run();
  writer_->prepare("UPDATE announcements SET until = date(until, printf('%+d days', ?1))")
      .bind(days)
      .run();
}

std::vector<PersonRef> SqliteStore::class_pupils(Id class_id) {
  Reader db = read();
  return collect(
      *db,
      "SELECT u.id, u.first_name, u.last_name FROM enrolments e JOIN users u ON u.id = e.pupil_id "
      "WHERE e.class_id = ?1 ORDER BY u.last_name, u.first_name, u.id",
      [](const Statement& row) {
        return PersonRef{row.integer(0), row.text(1), row.text(2)};
      },
      class_id);
}

std::vector<EvaluationRecord> SqliteStore::class_evaluations(Id class_id, Id subject_id) {
  static const std::string& sql =
      sql_once(std::string(kEvaluationSelect) +
               "WHERE e.class_id = ?1 AND (?2 = 0 OR e.subject_id = ?2) ORDER BY e.date, e.id");
  Reader db = read();
  return collect(*db, sql, read_evaluation, class_id, subject_id);
}

std::optional<EvaluationRecord> SqliteStore::evaluation(Id evaluation_id) {
  static const std::string& sql = sql_once(std::string(kEvaluationSelect) + "WHERE e.id = ?1");
  Reader db = read();
  Statement s = db->prepare(sql);
  s.bind(evaluation_id);
  if (!s.step()) {
    return std::nullopt;
  }
  return read_evaluation(s);
}

Id SqliteStore::create_evaluation(const EvaluationDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "INSERT INTO evaluations (class_id, subject_id, author_id, date, title, out_of, "
          "coefficient, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)")
      .bind(draft.class_id, draft.subject_id, draft.author_id, draft.date, draft.title,
            draft.out_of, draft.coefficient, now)
      .run();
  return writer_->last_insert_id();
}

bool SqliteStore::update_evaluation(Id evaluation_id, const EvaluationDraft& draft,
                                    const std::string& now) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "UPDATE evaluations SET class_id = ?2, subject_id = ?3, date = ?4, title = ?5, "
          "out_of = ?6, coefficient = ?7, updated_at = ?8 WHERE id = ?1")
      .bind(evaluation_id, draft.class_id, draft.subject_id, draft.date, draft.title, draft.out_of,
            draft.coefficient, now)
      .run();
  return writer_->changes() > 0;
}

bool SqliteStore::delete_evaluation(Id evaluation_id) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  writer_->prepare("DELETE FROM marks WHERE evaluation_id = ?1").bind(evaluation_id).run();
  writer_->prepare("DELETE FROM evaluations WHERE id = ?1").bind(evaluation_id).run();
  const bool deleted = writer_->changes() > 0;
  transaction.commit();
  return deleted;
}

std::vector<MarkRecord> SqliteStore::evaluation_marks(Id evaluation_id) {
  static const std::string& sql =
      sql_once(std::string(kMarkSelect) + "WHERE m.evaluation_id = ?1" + std::string(kMarkOrder));
  Reader db = read();
  return collect(*db, sql, read_mark, evaluation_id);
}

std::vector<MarkRecord> SqliteStore::class_marks(Id class_id, Id subject_id) {
  static const std::string& sql =
      sql_once(std::string(kMarkSelect) +
               "WHERE e.class_id = ?1 AND (?2 = 0 OR e.subject_id = ?2)" + std::string(kMarkOrder));
  Reader db = read();
  return collect(*db, sql, read_mark, class_id, subject_id);
}

std::vector<MarkRecord> SqliteStore::pupil_marks(Id pupil_id) {
  static const std::string& sql =
      sql_once(std::string(kMarkSelect) + "WHERE m.pupil_id = ?1" + std::string(kMarkOrder));
  Reader db = read();
  return collect(*db, sql, read_mark, pupil_id);
}

bool SqliteStore::set_marks(Id evaluation_id, const std::vector<MarkDraft>& marks,
                            const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  if (!find_id(*writer_, "SELECT id FROM evaluations WHERE id = ?1", evaluation_id)) {
    return false;
  }
  for (const MarkDraft& mark : marks) {
    writer_
        ->prepare(
            "INSERT INTO marks (evaluation_id, pupil_id, value, state, comment, updated_at) "
            "VALUES (?1, ?2, CASE WHEN ?4 = 'graded' THEN ?3 END, ?4, ?5, ?6) "
            "ON CONFLICT (evaluation_id, pupil_id) DO UPDATE SET value = excluded.value, "
            "state = excluded.state, comment = excluded.comment, updated_at = excluded.updated_at")
        .bind(evaluation_id, mark.pupil_id, mark.value.value_or(0), mark_state_name(mark.state),
              mark.comment, now)
        .run();
  }
  transaction.commit();
  return true;
}

std::optional<std::string> SqliteStore::calendar_feed_nonce(Id user_id) {
  Reader db = read();
  Statement s = db->prepare("SELECT nonce FROM calendar_feeds WHERE user_id = ?1");
  s.bind(user_id);
  if (!s.step()) {
    return std::nullopt;
  }
  return s.text(0);
}

void SqliteStore::set_calendar_feed(Id user_id, const std::string& nonce,
                                    const std::string& token_hash) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "INSERT INTO calendar_feeds (user_id, nonce, token_hash) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (user_id) DO UPDATE SET nonce = excluded.nonce, "
          "token_hash = excluded.token_hash")
      .bind(user_id, nonce, token_hash)
      .run();
}

std::optional<Id> SqliteStore::calendar_feed_user(const std::string& token_hash) {
  Reader db = read();
  return find_id(*db, "SELECT user_id FROM calendar_feeds WHERE token_hash = ?1", token_hash);
}

void SqliteStore::revoke_session(const std::string& session_id_hex, std::int64_t expires_at) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "INSERT INTO revoked_sessions (session_id, expires_at) VALUES (?1, ?2) "
          "ON CONFLICT (session_id) DO NOTHING")
      .bind(session_id_hex, expires_at)
      .run();
}

std::vector<std::string> SqliteStore::revoked_sessions(std::int64_t now) {
  {
    std::lock_guard lock(write_mutex_);
    writer_->prepare("DELETE FROM revoked_sessions WHERE expires_at <= ?1").bind(now).run();
  }
  Reader db = read();
  std::vector<std::string> result;
  for (Statement s = db->prepare("SELECT session_id FROM revoked_sessions"); s.step();) {
    result.push_back(s.text(0));
  }
  return result;
}

std::optional<std::string> SqliteStore::setting(const std::string& key) {
  Reader db = read();
  Statement s = db->prepare("SELECT value FROM settings WHERE key = ?1");
  s.bind(key);
  if (!s.step()) {
    return std::nullopt;
  }
  return s.text(0);
}

void SqliteStore::set_setting(const std::string& key, const std::string& value) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "INSERT INTO settings (key, value) VALUES (?1, ?2) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .bind(key, value)
      .run();
}

}  // namespace cartable
