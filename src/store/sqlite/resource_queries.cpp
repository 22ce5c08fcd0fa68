// The SqliteStore's class resources: a tree of folders and documents per class and subject.
#include "store/sqlite/queries.hpp"

namespace cartable {

using sqlite::Statement;
using sqlite::Transaction;

namespace {

constexpr std::string_view kResourceSelect =
    "SELECT r.id, r.class_id, r.subject_id, IFNULL(r.parent_id, 0), r.folder, r.name, "
    "r.created_at, r.updated_at, r.file_id IS NOT NULL, "
    "f.id, f.sha256, f.size, f.crc32, f.media_type, f.name, f.owner_id, f.school_id, f.created_at "
    "FROM resources r LEFT JOIN files f ON f.id = r.file_id ";

ResourceRecord read_resource(const Statement& row) {
  ResourceRecord record;
  record.id = row.integer(0);
  record.class_id = row.integer(1);
  record.subject_id = row.integer(2);
  record.parent_id = row.integer(3);
  record.folder = row.integer(4) != 0;
  record.name = row.text(5);
  record.created_at = row.text(6);
  record.updated_at = row.text(7);
  if (row.integer(8) != 0) {
    record.file = read_file(row, 9);
  }
  return record;
}

// Whether the folder (0: the top) of the class and subject already holds `name` (other than
// `except`).
bool name_taken(sqlite::Connection& db, Id class_id, Id subject_id, Id parent_id,
                const std::string& name, Id except) {
  Statement s = db.prepare(
      "SELECT 1 FROM resources WHERE class_id = ?1 AND subject_id = ?2 "
      "AND IFNULL(parent_id, 0) = ?3 AND name = ?4 AND id != ?5");
  s.bind(class_id, subject_id, parent_id, name, except);
  return s.step();
}

}  // namespace

std::vector<ResourceRecord> SqliteStore::resources(Id class_id, Id subject_id) {
  static const std::string& sql =
      sql_once(std::string(kResourceSelect) +
               "WHERE r.class_id = ?1 AND r.subject_id = ?2 ORDER BY r.folder DESC, r.name, r.id");
  Reader db = read();
  return collect(*db, sql, read_resource, class_id, subject_id);
}

std::optional<ResourceRecord> SqliteStore::resource(Id resource_id) {
  static const std::string& sql = sql_once(std::string(kResourceSelect) + "WHERE r.id = ?1");
  Reader db = read();
  auto rows = collect(*db, sql, read_resource, resource_id);
  if (rows.empty()) {
    return std::nullopt;
  }
  return std::move(rows.front());
}

Id SqliteStore::create_resource(const ResourceDraft& draft, const std::string& now) {
  std::lock_guard lock(write_mutex_);
  if (name_taken(*writer_, draft.class_id, draft.subject_id, draft.parent_id, draft.name, 0)) {
    return 0;
  }
  Statement insert = writer_->prepare(
      "INSERT INTO resources (class_id, subject_id, parent_id, folder, name, file_id, author_id, "
      "created_at, updated_at) VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, NULLIF(?6, 0), ?7, ?8, ?8)");
  insert.bind(draft.class_id, draft.subject_id, draft.parent_id, draft.folder ? 1 : 0, draft.name,
              draft.file_id, draft.author_id, now);
  insert.run();
  return writer_->last_insert_id();
}

ResourceWrite SqliteStore::update_resource(Id resource_id, const std::string& name, Id parent_id,
                                           const std::string& now) {
  std::lock_guard lock(write_mutex_);
  Statement existing = writer_->prepare("SELECT class_id, subject_id FROM resources WHERE id = ?1");
  existing.bind(resource_id);
  if (!existing.step()) {
    return ResourceWrite::missing;
  }
  const Id class_id = existing.integer(0);
  const Id subject_id = existing.integer(1);
  if (name_taken(*writer_, class_id, subject_id, parent_id, name, resource_id)) {
    return ResourceWrite::name_taken;
  }
  writer_
      ->prepare(
          "UPDATE resources SET name = ?2, parent_id = NULLIF(?3, 0), updated_at = ?4 "
          "WHERE id = ?1")
      .bind(resource_id, name, parent_id, now)
      .run();
  return ResourceWrite::done;
}

bool SqliteStore::delete_resource(Id resource_id) {
  std::lock_guard lock(write_mutex_);
  Transaction transaction(*writer_);
  // One statement: foreign keys (a child's parent) are checked at its end, when all are gone.
  writer_
      ->prepare(
          "WITH RECURSIVE subtree(id) AS ("
          "  SELECT id FROM resources WHERE id = ?1"
          "  UNION ALL SELECT r.id FROM resources r JOIN subtree s ON r.parent_id = s.id"
          ") DELETE FROM resources WHERE id IN (SELECT id FROM subtree)")
      .bind(resource_id)
      .run();
  const bool deleted = writer_->changes() > 0;
  transaction.commit();
  return deleted;
}

}  // namespace cartable
