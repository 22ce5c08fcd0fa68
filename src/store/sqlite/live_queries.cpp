// The SqliteStore's live lessons and their attendance.
#include "store/sqlite/queries.hpp"

namespace cartable {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr std::string_view kLessonSelect =
    "SELECT l.id, c.id, c.name, t.id, t.first_name, t.last_name, l.started_at, l.ended_at, "
    "l.owner "
    "FROM live_lessons l JOIN classes c ON c.id = l.class_id JOIN users t ON t.id = l.teacher_id ";

LiveLessonRecord read_lesson(const Statement& row) {
  LiveLessonRecord lesson;
  lesson.id = row.integer(0);
  lesson.school_class = {row.integer(1), row.text(2)};
  lesson.teacher = {row.integer(3), row.text(4), row.text(5)};
  lesson.started_at = row.integer(6);
  lesson.ended_at = row.integer(7);
  lesson.owner = row.text(8);
  return lesson;
}

}  // namespace

std::vector<AttendanceRecord> SqliteStore::attendance_of(sqlite::Connection& db, Id lesson_id) {
  return collect(
      db,
      "SELECT u.id, u.first_name, u.last_name, u.role, a.first_joined_at, a.last_left_at, "
      "a.seconds FROM live_attendance a JOIN users u ON u.id = a.user_id WHERE a.lesson_id = ?1 "
      "ORDER BY u.last_name, u.first_name, u.id",
      [](const Statement& row) {
        AttendanceRecord record;
        record.person = {row.integer(0), row.text(1), row.text(2)};
        record.role = parse_role(row.text(3)).value_or(Role::pupil);
        record.first_joined_at = row.integer(4);
        record.last_left_at = row.integer(5);
        record.seconds = row.integer(6);
        return record;
      },
      lesson_id);
}

Id SqliteStore::create_live_lesson(Id class_id, Id teacher_id, std::int64_t started_at,
                                   const std::string& owner) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  writer_
      ->prepare(
          "UPDATE live_lessons SET ended_at = ?2 WHERE class_id = ?1 AND owner = ?3 "
          "AND ended_at = 0")
      .bind(class_id, started_at, owner)
      .run();
  writer_
      ->prepare(
          "INSERT INTO live_lessons (class_id, teacher_id, started_at, owner) "
          "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING")
      .bind(class_id, teacher_id, started_at, owner)
      .run();
  const Id created = writer_->changes() > 0 ? writer_->last_insert_id() : 0;
  transaction.commit();
  return created;
}

std::optional<LiveLessonRecord> SqliteStore::running_live_lesson(Id class_id) {
  static const std::string& sql = sql_once(std::string(kLessonSelect) +
                                           "WHERE l.class_id = ?1 AND l.ended_at = 0 "
                                           "ORDER BY l.id DESC LIMIT 1");
  Reader db = read();
  auto lessons = collect(*db, sql, read_lesson, class_id);
  if (lessons.empty()) {
    return std::nullopt;
  }
  return std::move(lessons.front());
}

std::size_t SqliteStore::end_abandoned_live_lessons(const std::string& owner,
                                                    std::int64_t ended_at) {
  std::lock_guard lock(write_mutex_);
  writer_->prepare("UPDATE live_lessons SET ended_at = ?2 WHERE owner = ?1 AND ended_at = 0")
      .bind(owner, ended_at)
      .run();
  return static_cast<std::size_t>(writer_->changes());
}

void SqliteStore::finish_live_lesson(Id lesson_id, std::int64_t ended_at,
                                     const std::vector<AttendanceRecord>& attendance) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  writer_->prepare("UPDATE live_lessons SET ended_at = ?2 WHERE id = ?1")
      .bind(lesson_id, ended_at)
      .run();
  for (const AttendanceRecord& record : attendance) {
    writer_
        ->prepare(
            "INSERT INTO live_attendance (lesson_id, user_id, first_joined_at, last_left_at, "
            "seconds) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (lesson_id, user_id) DO UPDATE SET "
            "last_left_at = excluded.last_left_at, seconds = excluded.seconds")
        .bind(lesson_id, record.person.id, record.first_joined_at, record.last_left_at,
              record.seconds)
        .run();
  }
  transaction.commit();
}

std::vector<LiveLessonRecord> SqliteStore::live_lessons(Id class_id, std::size_t limit) {
  static const std::string& sql =
      sql_once(std::string(kLessonSelect) +
               "WHERE l.class_id = ?1 ORDER BY l.started_at DESC, l.id DESC "
               "LIMIT ?2");
  Reader db = read();
  auto lessons = collect(*db, sql, read_lesson, class_id, static_cast<std::int64_t>(limit));
  for (LiveLessonRecord& lesson : lessons) {
    lesson.attendance = attendance_of(*db, lesson.id);
  }
  return lessons;
}

std::optional<LiveLessonRecord> SqliteStore::live_lesson(Id lesson_id) {
  static const std::string& sql = sql_once(std::string(kLessonSelect) + "WHERE l.id = ?1");
  Reader db = read();
  auto lessons = collect(*db, sql, read_lesson, lesson_id);
  if (lessons.empty()) {
    return std::nullopt;
  }
  lessons.front().attendance = attendance_of(*db, lesson_id);
  return std::move(lessons.front());
}

void SqliteStore::record_live_slides(Id lesson_id, Id file_id, std::int64_t shown_at) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "INSERT INTO live_slides (lesson_id, file_id, shown_at) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (lesson_id, file_id) DO NOTHING")
      .bind(lesson_id, file_id, shown_at)
      .run();
}

}  // namespace cartable
