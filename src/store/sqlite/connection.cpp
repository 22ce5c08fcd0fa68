#include "store/sqlite/connection.hpp"

namespace cartable::sqlite {

bool Statement::step() {
  const int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) {
    return true;
  }
  if (code == SQLITE_DONE) {
    return false;
  }
  throw Error(std::string("sqlite: ") + sqlite3_errmsg(db_), code);
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return data == nullptr
             ? std::string{}
             : std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

void Statement::check(int code) const {
  if (code != SQLITE_OK) {
    throw Error(std::string("sqlite bind: ") + sqlite3_errmsg(db_), code);
  }
}

Connection::Connection(const std::filesystem::path& file, bool create) {
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  const int code = sqlite3_open_v2(file.c_str(), &db_, flags, nullptr);
  if (code != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : "cannot open";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("sqlite: " + file.string() + ": " + message, code);
  }
  sqlite3_busy_timeout(db_, 5000);
  execute(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
      "PRAGMA temp_store=MEMORY;");
}

Connection::~Connection() {
  for (auto& [sql, statement] : statements_) {
    sqlite3_finalize(statement);
  }
  sqlite3_close(db_);
}

Statement Connection::prepare(std::string_view sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) {
      throw Error(
          std::string("sqlite prepare: ") + sqlite3_errmsg(db_) + " in: " + std::string(sql), code);
    }
    it = statements_.emplace(sql, statement).first;
  }
  return Statement(db_, it->second);
}

void Connection::execute(const std::string& sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    const std::string text = message != nullptr ? message : "error";
    sqlite3_free(message);
    throw Error("sqlite: " + text, code);
  }
}

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.execute("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    try {
      connection_.execute("ROLLBACK");
    } catch (...) {
      // The connection reports the original failure; a failed rollback adds nothing to it.
    }
  }
}

void Transaction::commit() {
  connection_.execute("COMMIT");
  done_ = true;
}

}  // namespace cartable::sqlite
