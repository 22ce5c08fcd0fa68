// A thin RAII layer over one sqlite3 connection: prepared statements cached by their SQL text,
// typed binding and reading, transactions. Only store/sqlite/ includes sqlite3.h.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/dependency_error.hpp"

namespace cartable::sqlite {

// Busy, locked, full, I/O errors are transient (see DependencyError).
class Error : public DependencyError {
 public:
  Error(const std::string& what, int code)
      : DependencyError(what, is_transient(code)), code_(code) {}
  int code() const { return code_; }
  static bool is_transient(int code) {
    switch (code & 0xff) {
      case SQLITE_BUSY:
      case SQLITE_LOCKED:
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
      case SQLITE_NOMEM:
      case SQLITE_PROTOCOL:
      case SQLITE_READONLY:
        return true;
      default:
        return false;
    }
  }

 private:
  int code_;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }

  // Binds the arguments to ?1, ?2, ... in order and returns *this.
  template <class... Args>
  Statement& bind(const Args&... args) {
    int index = 0;
    (bind_one(++index, args), ...);
    return *this;
  }

  // Steps once: true when a row is available.
  bool step();
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }

  std::int64_t integer(int column) const { return sqlite3_column_int64(statement_, column); }
  double real(int column) const { return sqlite3_column_double(statement_, column); }
  std::string text(int column) const;
  bool is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

 private:
  void bind_one(int index, std::int64_t value) {
    check(sqlite3_bind_int64(statement_, index, value));
  }
  void bind_one(int index, int value) { check(sqlite3_bind_int64(statement_, index, value)); }
  void bind_one(int index, double value) { check(sqlite3_bind_double(statement_, index, value)); }
  void bind_one(int index, std::string_view value) {
    check(sqlite3_bind_text(statement_, index, value.data(), static_cast<int>(value.size()),
                            SQLITE_TRANSIENT));
  }
  void bind_one(int index, const std::string& value) { bind_one(index, std::string_view(value)); }
  void bind_one(int index, const char* value) { bind_one(index, std::string_view(value)); }
  void bind_one(int index, std::nullopt_t) { check(sqlite3_bind_null(statement_, index)); }
  void check(int code) const;

  sqlite3* db_;
  sqlite3_stmt* statement_;
};

class Connection {
 public:
  // Opens (creating if asked) the database file with WAL, FULL synchronous (a commit is on disk
  // before it returns), foreign keys on and a busy timeout. Throws Error on failure.
  Connection(const std::filesystem::path& file, bool create);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // A cached prepared statement for `sql` (which must be a string literal or otherwise outlive the
  // connection: it keys the cache).
  Statement prepare(std::string_view sql);
  void execute(const std::string& sql);  // one or more statements, no results
  std::int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string_view, sqlite3_stmt*> statements_;
};

// Commits on commit(); rolls back if destroyed before.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  void commit();

 private:
  Connection& connection_;
  bool done_ = false;
};

}  // namespace cartable::sqlite
