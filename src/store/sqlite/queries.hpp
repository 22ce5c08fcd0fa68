// What the SqliteStore's query files share: reading rows, statement texts built once, and the
// borrowed reader connection. Private to store/sqlite/.
#pragma once

#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace cartable {

// Runs `sql` with `values` bound and reads every row with `read_row`.
template <class ReadRow, class... Values>
auto collect(sqlite::Connection& db, std::string_view sql, ReadRow read_row,
             const Values&... values) {
  std::vector<std::invoke_result_t<ReadRow, const sqlite::Statement&>> rows;
  sqlite::Statement statement = db.prepare(sql);
  statement.bind(values...);
  while (statement.step()) {
    rows.push_back(read_row(statement));
  }
  return rows;
}

// The columns of a file row (alias `f`), read by read_file from column `first` on.
inline constexpr std::string_view kFileColumns =
    "f.id, f.sha256, f.size, f.crc32, f.media_type, f.name, f.owner_id, f.school_id, "
    "f.created_at";
FileRecord read_file(const sqlite::Statement& row, int first = 0);

// SQL text must outlive the connection's statement cache: texts assembled at run time are kept
// here, once each.
const std::string& sql_once(const std::string& text);

// A reader connection borrowed from the pool for one call.
class SqliteStore::Reader {
 public:
  Reader(SqliteStore& store, std::unique_ptr<sqlite::Connection> connection)
      : store_(store), connection_(std::move(connection)) {}
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;
  ~Reader() {
    {
      std::lock_guard lock(store_.readers_mutex_);
      store_.idle_readers_.push_back(std::move(connection_));
    }
    store_.reader_returned_.notify_one();
  }
  sqlite::Connection& operator*() { return *connection_; }
  sqlite::Connection* operator->() { return connection_.get(); }

 private:
  SqliteStore& store_;
  std::unique_ptr<sqlite::Connection> connection_;
};

}  // namespace cartable
