// Statement: one prepared SQLite statement (RAII over sqlite3_stmt).
//
// Every value reaches SQL through a bound parameter, never through string building, so quotes,
// unicode and hostile text are stored intact and cannot change the statement. Binding and
// stepping return SQLite result codes (no exceptions): the ops thread keeps running through a
// failed write and counts it. Only preparing throws (start-up).
#pragma once

#include <cstdint>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace pmx {

class Statement {
 public:
  Statement() = default;
  // Throws DatabaseError naming the SQL's first line and SQLite's message.
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite. Text is copied by SQLite (SQLITE_TRANSIENT).
  Statement& bind_int64(int index, int64_t value) noexcept;
  Statement& bind_double(int index, double value) noexcept;
  Statement& bind_text(int index, std::string_view value) noexcept;
  Statement& bind_null(int index) noexcept;

  // SQLITE_ROW, SQLITE_DONE or an error code. A bind error is reported here.
  int step() noexcept;
  // Runs to completion; SQLITE_DONE on success. Resets afterwards.
  int execute() noexcept;
  // Ready for new bindings.
  void reset() noexcept;

  // Columns are 0-based, as in SQLite. column_text's view lives until the next step or reset.
  int64_t column_int64(int column) const noexcept;
  double column_double(int column) const noexcept;
  std::string_view column_text(int column) const noexcept;
  bool column_is_null(int column) const noexcept;

  sqlite3_stmt* handle() const noexcept { return statement_; }

 private:
  sqlite3_stmt* statement_ = nullptr;
  int bind_error_ = 0;  // first failed bind since the last reset
};

}  // namespace pmx
