// The SqliteStore's files, homework attachments and hand-ins.
#include "store/sqlite/queries.hpp"

namespace cartable {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

FileRecord read_file_row(const Statement& row) {
  return read_file(row);
}

constexpr std::string_view kHandInSelect =
    "SELECT h.id, h.homework_id, p.id, p.first_name, p.last_name, h.text, h.submitted_at, h.late, "
    "h.mark, h.comment, h.marked_at FROM hand_ins h JOIN users p ON p.id = h.pupil_id ";

HandInRecord read_hand_in(const Statement& row) {
  HandInRecord record;
  record.id = row.integer(0);
  record.homework_id = row.integer(1);
  record.pupil = {row.integer(2), row.text(3), row.text(4)};
  record.text = row.text(5);
  record.submitted_at = row.text(6);
  record.late = row.integer(7) != 0;
  if (!row.is_null(8)) {
    record.mark = row.text(8);
  }
  record.comment = row.text(9);
  record.marked_at = row.text(10);
  return record;
}

void insert_positions(Connection& db, std::string_view sql, Id owner, const std::vector<Id>& ids) {
  std::int64_t position = 0;
  for (const Id id : ids) {
    db.prepare(sql).bind(owner, id, position++).run();
  }
}

Id insert_file(Connection& db, const FileDraft& draft, const std::string& now) {
  db.prepare(
        "INSERT INTO files (sha256, size, crc32, media_type, name, owner_id, school_id, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(draft.sha256, static_cast<std::int64_t>(draft.size),
            static_cast<std::int64_t>(draft.crc32), draft.media_type, draft.name, draft.owner_id,
            draft.school_id, now)
      .run();
  return db.last_insert_id();
}

void replace_homework_attachments(Connection& db, Id homework_id, const std::vector<Id>& file_ids) {
  db.prepare("DELETE FROM homework_attachments WHERE homework_id = ?1").bind(homework_id).run();
  insert_positions(
      db, "INSERT INTO homework_attachments (homework_id, file_id, position) VALUES (?1, ?2, ?3)",
      homework_id, file_ids);
}

}  // namespace

Id SqliteStore::create_file(const FileDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  return insert_file(*writer_, draft, now);
}

std::optional<FileRecord> SqliteStore::file(Id file_id) {
  static const std::string& sql =
      sql_once("SELECT " + std::string(kFileColumns) + " FROM files f WHERE f.id = ?1");
  Reader db = read();
  auto rows = collect(*db, sql, read_file_row, file_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::move(rows.front());
}

StorageUse SqliteStore::storage_use(Id user_id, Id school_id) {
  Reader db = read();
  Statement s = db->prepare(
      "SELECT COALESCE(SUM(CASE WHEN owner_id = ?1 THEN size END), 0), COALESCE(SUM(size), 0) "
      "FROM files WHERE school_id = ?2");
  s.bind(user_id, school_id);
  s.step();
  return {static_cast<std::uint64_t>(s.integer(0)), static_cast<std::uint64_t>(s.integer(1))};
}

std::vector<FileUse> SqliteStore::file_uses(Id file_id) {
  Reader db = read();
  return collect(
      *db,
      "SELECT 0, homework_id FROM homework_attachments WHERE file_id = ?1 "
      "UNION ALL SELECT 1, hand_in_id FROM hand_in_files WHERE file_id = ?1 "
      "UNION ALL SELECT 2, id FROM resources WHERE file_id = ?1 "
      "UNION ALL SELECT 3, m.conversation_id FROM message_attachments a "
      "JOIN messages m ON m.id = a.message_id WHERE a.file_id = ?1 "
      "UNION ALL SELECT 4, lesson_id FROM live_slides WHERE file_id = ?1",
      [](const Statement& row) {
        constexpr FileUseKind kKinds[] = {
            FileUseKind::homework_attachment, FileUseKind::hand_in, FileUseKind::class_resource,
            FileUseKind::message_attachment, FileUseKind::live_slides};
        return FileUse{kKinds[row.integer(0)], row.integer(1)};
      },
      file_id);
}

std::vector<std::string> SqliteStore::file_hashes() {
  Reader db = read();
  return collect(*db, "SELECT DISTINCT sha256 FROM files",
                 [](const Statement& row) { return row.text(0); });
}

std::size_t SqliteStore::delete_unattached_files(const std::string& before) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "DELETE FROM files WHERE created_at < ?1 "
          "AND id NOT IN (SELECT file_id FROM homework_attachments) "
          "AND id NOT IN (SELECT file_id FROM hand_in_files) "
          "AND id NOT IN (SELECT file_id FROM resources WHERE file_id IS NOT NULL) "
          "AND id NOT IN (SELECT file_id FROM message_attachments) "
          "AND id NOT IN (SELECT file_id FROM live_slides)")
      .bind(before)
      .run();
  return static_cast<std::size_t>(writer_->changes());
}

std::vector<FileRecord> SqliteStore::homework_attachments(Id homework_id) {
  static const std::string& sql = sql_once(
      "SELECT " + std::string(kFileColumns) +
      " FROM homework_attachments a JOIN files f ON f.id = a.file_id WHERE a.homework_id = ?1 "
      "ORDER BY a.position");
  Reader db = read();
  return collect(*db, sql, read_file_row, homework_id);
}

void SqliteStore::set_homework_attachments(Id homework_id, const std::vector<Id>& file_ids) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  replace_homework_attachments(*writer_, homework_id, file_ids);
  transaction.commit();
}

std::vector<Id> SqliteStore::create_homework_attachments(
    const std::vector<NewHomeworkAttachment>& items, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  std::vector<Id> ids;
  ids.reserve(items.size());
  for (const NewHomeworkAttachment& item : items) {
    ids.push_back(insert_file(*writer_, item.file, now));
    replace_homework_attachments(*writer_, item.homework_id, {ids.back()});
  }
  transaction.commit();
  return ids;
}

std::vector<FileRecord> SqliteStore::hand_in_files(Connection& db, Id hand_in_id) {
  static const std::string& sql =
      sql_once("SELECT " + std::string(kFileColumns) +
               " FROM hand_in_files x JOIN files f ON f.id = x.file_id WHERE x.hand_in_id = ?1 "
               "ORDER BY x.position");
  return collect(db, sql, read_file_row, hand_in_id);
}

std::optional<HandInRecord> SqliteStore::hand_in(Id hand_in_id) {
  static const std::string& sql = sql_once(std::string(kHandInSelect) + "WHERE h.id = ?1");
  Reader db = read();
  auto rows = collect(*db, sql, read_hand_in, hand_in_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  rows.front().files = hand_in_files(*db, hand_in_id);
  return std::move(rows.front());
}

std::optional<HandInRecord> SqliteStore::pupil_hand_in(Id homework_id, Id pupil_id) {
  static const std::string& sql =
      sql_once(std::string(kHandInSelect) + "WHERE h.homework_id = ?1 AND h.pupil_id = ?2");
  Reader db = read();
  auto rows = collect(*db, sql, read_hand_in, homework_id, pupil_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  rows.front().files = hand_in_files(*db, rows.front().id);
  return std::move(rows.front());
}

std::vector<HandInRecord> SqliteStore::hand_ins(Id homework_id) {
  static const std::string& sql =
      sql_once(std::string(kHandInSelect) + "WHERE h.homework_id = ?1 ORDER BY h.id");
  Reader db = read();
  auto rows = collect(*db, sql, read_hand_in, homework_id);
  for (HandInRecord& row : rows) {
    row.files = hand_in_files(*db, row.id);
  }
  return rows;
}

HandInSaved SqliteStore::save_hand_in(const HandInDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  Statement existing = writer_->prepare(
      "SELECT id, mark IS NOT NULL FROM hand_ins WHERE homework_id = ?1 AND pupil_id = ?2");
  existing.bind(draft.homework_id, draft.pupil_id);
  Id hand_in_id = 0;
  if (existing.step()) {
    if (existing.integer(1) != 0) {
      return HandInSaved::already_marked;
    }
    hand_in_id = existing.integer(0);
  }
  const bool created = hand_in_id == 0;
  if (created) {
    writer_
        ->prepare(
            "INSERT INTO hand_ins (homework_id, pupil_id, text, submitted_at, late) "
            "VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(draft.homework_id, draft.pupil_id, draft.text, now, draft.late ? 1 : 0)
        .run();
    hand_in_id = writer_->last_insert_id();
  } else {
    writer_->prepare("UPDATE hand_ins SET text = ?2, submitted_at = ?3, late = ?4 WHERE id = ?1")
        .bind(hand_in_id, draft.text, now, draft.late ? 1 : 0)
        .run();
    writer_->prepare("DELETE FROM hand_in_files WHERE hand_in_id = ?1").bind(hand_in_id).run();
  }
  insert_positions(*writer_,
                   "INSERT INTO hand_in_files (hand_in_id, file_id, position) VALUES (?1, ?2, ?3)",
                   hand_in_id, draft.file_ids);
  transaction.commit();
  return created ? HandInSaved::created : HandInSaved::replaced;
}

bool SqliteStore::mark_hand_in(Id hand_in_id, const std::string& mark, const std::string& comment,
                               Id teacher_id, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  writer_
      ->prepare(
          "UPDATE hand_ins SET mark = ?2, comment = ?3, marked_by = ?4, marked_at = ?5 "
          "WHERE id = ?1")
      .bind(hand_in_id, mark, comment, teacher_id, now)
      .run();
  return writer_->changes() > 0;
}

}  // namespace cartable
