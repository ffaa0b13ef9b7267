#include "pmx/persist/database.h"

#include <string>
#include <utility>

#include <sqlite3.h>

#include "pmx/persist/migrations.h"

namespace pmx {

namespace {

// SQLite's words for the errors a hostile or damaged file produces, with what they mean here.
std::string describe_open_error(int rc, const char* message) {
  switch (rc & 0xFF) {
    case SQLITE_NOTADB:
      return std::string("not a SQLite database (") + message + ")";
    case SQLITE_CORRUPT:
      return std::string("database file is corrupt (") + message + ")";
    case SQLITE_CANTOPEN:
      return std::string("cannot open (") + message + ")";
    default:
      return message;
  }
}

}  // namespace

Database::Database(std::filesystem::path path, DatabaseOptions options) : path_(std::move(path)) {
  const int flags = SQLITE_OPEN_READWRITE | (options.create_if_missing ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw DatabaseError(path_.string() + ": " + describe_open_error(rc, message.c_str()));
  }
  try {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busy_timeout_ms);
    // The first statement that reads the file: a non-SQLite or damaged file fails here, either
    // preparing (the schema is unreadable) or stepping.
    sqlite3_stmt* journal = nullptr;
    int step = sqlite3_prepare_v2(db_, "PRAGMA journal_mode = WAL", -1, &journal, nullptr);
    if (step == SQLITE_OK) step = sqlite3_step(journal);
    const std::string mode =
        step == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(journal, 0)) : std::string();
    const std::string message = sqlite3_errmsg(db_);
    sqlite3_finalize(journal);
    if (step != SQLITE_ROW)
      throw DatabaseError(path_.string() + ": " + describe_open_error(step, message.c_str()));
    if (mode != "wal")
      throw DatabaseError(path_.string() + ": cannot switch to WAL journal mode (got " + mode + ")");
    exec(options.durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL");
    migrate(*this, options.migrate);
  } catch (...) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw;
  }
}

Database::~Database() {
  // close_v2: statements still alive (a caller's) do not keep the handle from being released.
  sqlite3_close_v2(db_);
}

void Database::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what =
        path_.string() + ": " + describe_open_error(rc, message != nullptr ? message : sqlite3_errstr(rc));
    sqlite3_free(message);
    throw DatabaseError(what);
  }
}

int Database::try_exec(const char* sql) noexcept {
  return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
}

int Database::schema_version() {
  Statement query = prepare("SELECT coalesce(max(version), 0) FROM schema_version");
  const int rc = query.step();
  if (rc != SQLITE_ROW) throw DatabaseError(path_.string() + ": cannot read schema_version: " + last_error());
  return static_cast<int>(query.column_int64(0));
}

std::string Database::integrity_check() {
  Statement query = prepare("PRAGMA integrity_check");
  const int rc = query.step();
  if (rc != SQLITE_ROW) return "integrity_check failed: " + last_error();
  return std::string(query.column_text(0));
}

std::optional<std::string> Database::load_state(std::string_view key) {
  Statement query = prepare("SELECT value FROM system_state WHERE key = ?");
  query.bind_text(1, key);
  const int rc = query.step();
  if (rc == SQLITE_ROW) return std::string(query.column_text(0));
  if (rc == SQLITE_DONE) return std::nullopt;
  throw DatabaseError(path_.string() + ": cannot read system_state: " + last_error());
}

void Database::store_state(std::string_view key, std::string_view value, WallNanos ts) {
  Statement upsert = prepare(
      "INSERT INTO system_state (key, value, updated_ts_ns) VALUES (?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ts_ns = excluded.updated_ts_ns");
  upsert.bind_text(1, key).bind_text(2, value).bind_int64(3, ts.ns);
  if (upsert.execute() != SQLITE_DONE)
    throw DatabaseError(path_.string() + ": cannot write system_state: " + last_error());
}

std::string Database::last_error() const {
  return sqlite3_errmsg(db_);
}

}  // namespace pmx
