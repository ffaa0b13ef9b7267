// Database: one SQLite connection to the engine's file, opened in WAL mode and migrated to the
// schema this build knows (see migrations.h).
//
// Connection settings: journal_mode=WAL (readers never block the ops thread's writer),
// synchronous=NORMAL (a commit survives a process crash, kill -9 included; the last commits may
// be lost on power failure) or FULL where an id must survive power loss too (the client order id
// allocator's own connection), busy_timeout so two connections queue instead of failing.
//
// Opening refuses, with DatabaseError naming the path: a file that is not a SQLite database (or
// is corrupt), and a database whose schema version is newer than this build.
//
// A connection belongs to one thread at a time. Start-up calls may throw; the ops thread writes
// through Statement, which returns codes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pmx/core/types.h"
#include "pmx/persist/statement.h"

struct sqlite3;

namespace pmx {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Durability : uint8_t {
  normal,  // synchronous=NORMAL: survives a process crash
  full,    // synchronous=FULL: survives power loss too
};

struct DatabaseOptions {
  bool create_if_missing = true;
  bool migrate = true;  // apply pending migrations (false: refuse an out-of-date schema)
  int busy_timeout_ms = 5000;
  Durability durability = Durability::normal;
};

class Database {
 public:
  explicit Database(std::filesystem::path path, DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const noexcept { return db_; }
  const std::filesystem::path& path() const noexcept { return path_; }

  // Start-up helpers; throw DatabaseError.
  void exec(std::string_view sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }

  // The same without throwing (the ops thread's BEGIN/COMMIT); the SQLite result code.
  int try_exec(const char* sql) noexcept;

  // The schema version recorded in schema_version (0 for an empty database).
  int schema_version();

  // "ok", or SQLite's first complaint.
  std::string integrity_check();

  // system_state rows: small text values that survive restarts.
  std::optional<std::string> load_state(std::string_view key);
  void store_state(std::string_view key, std::string_view value, WallNanos ts);

  // SQLite's last message for this connection (never contains bound values).
  std::string last_error() const;

 private:
  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace pmx
