#include "pmx/persist/statement.h"

#include <algorithm>
#include <string>
#include <utility>

#include <sqlite3.h>

#include "pmx/persist/database.h"

namespace pmx {

namespace {

std::string first_line(std::string_view sql) {
  while (!sql.empty() && (sql.front() == ' ' || sql.front() == '\n'))
    sql.remove_prefix(1);
  return std::string(sql.substr(0, std::min(sql.find('\n'), size_t{80})));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) {
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &statement_, nullptr);
  if (rc != SQLITE_OK)
    throw DatabaseError("cannot prepare \"" + first_line(sql) + "\": " + sqlite3_errmsg(db));
}

Statement::~Statement() {
  sqlite3_finalize(statement_);
}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(statement_);
    statement_ = std::exchange(other.statement_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement& Statement::bind_int64(int index, int64_t value) noexcept {
  const int rc = sqlite3_bind_int64(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_double(int index, double value) noexcept {
  const int rc = sqlite3_bind_double(statement_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) noexcept {
  // A non-null pointer even for "" so SQLite stores an empty string, not NULL.
  const int rc = sqlite3_bind_text(statement_, index, value.empty() ? "" : value.data(),
                                   static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::bind_null(int index) noexcept {
  const int rc = sqlite3_bind_null(statement_, index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

int Statement::step() noexcept {
  if (bind_error_ != 0) return bind_error_;
  return sqlite3_step(statement_);
}

int Statement::execute() noexcept {
  int rc = step();
  while (rc == SQLITE_ROW)
    rc = sqlite3_step(statement_);
  reset();
  return rc;
}

void Statement::reset() noexcept {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
  bind_error_ = 0;
}

int64_t Statement::column_int64(int column) const noexcept {
  return sqlite3_column_int64(statement_, column);
}

double Statement::column_double(int column) const noexcept {
  return sqlite3_column_double(statement_, column);
}

std::string_view Statement::column_text(int column) const noexcept {
  const auto* text = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(size)};
}

bool Statement::column_is_null(int column) const noexcept {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

}  // namespace pmx
