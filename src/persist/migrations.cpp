#include "pmx/persist/migrations.h"

#include <string>

#include <sqlite3.h>

#include "pmx/core/clock.h"
#include "pmx/persist/database.h"

namespace pmx {

namespace {

// Migration 1: the original spec's tables, plus fills, audit and opportunities, and the
// system_state keys the engine relies on from the first start.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE markets (
  venue TEXT NOT NULL,
  ticker TEXT NOT NULL,
  event_ticker TEXT NOT NULL DEFAULT '',
  series_ticker TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  outcome_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  tick_ticks INTEGER NOT NULL DEFAULT 100,
  close_ts_ns INTEGER,
  mutually_exclusive INTEGER NOT NULL DEFAULT 0,
  updated_ts_ns INTEGER NOT NULL,
  PRIMARY KEY (venue, ticker)
);
CREATE TABLE positions (
  id INTEGER PRIMARY KEY,
  venue TEXT NOT NULL,
  ticker TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('yes', 'no')),
  strategy TEXT NOT NULL,
  qty_units INTEGER NOT NULL CHECK (qty_units >= 0),
  average_price_ticks INTEGER NOT NULL,
  mark_price_ticks INTEGER,
  realized_pnl_micros INTEGER NOT NULL DEFAULT 0,
  fees_micros INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_ts_ns INTEGER NOT NULL,
  updated_ts_ns INTEGER NOT NULL,
  closed_ts_ns INTEGER
);
CREATE UNIQUE INDEX positions_one_open ON positions (venue, ticker, outcome) WHERE status = 'open';
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  client_order_id TEXT UNIQUE NOT NULL,
  intent_id INTEGER NOT NULL,
  venue TEXT NOT NULL,
  ticker TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
  outcome TEXT NOT NULL CHECK (outcome IN ('yes', 'no')),
  time_in_force TEXT NOT NULL,
  strategy TEXT NOT NULL,
  limit_price_ticks INTEGER NOT NULL,
  decision_price_ticks INTEGER NOT NULL,
  qty_units INTEGER NOT NULL,
  filled_qty_units INTEGER NOT NULL DEFAULT 0,
  fees_micros INTEGER NOT NULL DEFAULT 0,
  expected_value_micros INTEGER NOT NULL DEFAULT 0,
  group_id INTEGER NOT NULL DEFAULT 0,
  flags INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  reject_reason TEXT,
  decision_ts_ns INTEGER NOT NULL,
  submitted_ts_ns INTEGER NOT NULL,
  updated_ts_ns INTEGER NOT NULL
);
CREATE INDEX orders_intent ON orders (intent_id);
CREATE INDEX orders_open ON orders (status) WHERE status IN ('submitted', 'open', 'partially_filled');
CREATE TABLE fills (
  id INTEGER PRIMARY KEY,
  intent_id INTEGER NOT NULL,
  client_order_id TEXT,
  venue TEXT NOT NULL,
  ticker TEXT NOT NULL,
  side TEXT NOT NULL,
  outcome TEXT NOT NULL,
  price_ticks INTEGER NOT NULL,
  qty_units INTEGER NOT NULL,
  fee_micros INTEGER NOT NULL,
  liquidity TEXT NOT NULL,
  ts_ns INTEGER NOT NULL
);
CREATE INDEX fills_intent ON fills (intent_id);
CREATE TABLE price_history (
  venue TEXT NOT NULL,
  ticker TEXT NOT NULL,
  ts_ns INTEGER NOT NULL,
  bid_ticks INTEGER,
  ask_ticks INTEGER,
  bid_size_units INTEGER,
  ask_size_units INTEGER,
  fair_value_ticks INTEGER
);
CREATE INDEX price_history_instrument ON price_history (venue, ticker, ts_ns);
CREATE TABLE correlations (
  venue_a TEXT NOT NULL,
  ticker_a TEXT NOT NULL,
  venue_b TEXT NOT NULL,
  ticker_b TEXT NOT NULL,
  correlation REAL NOT NULL,
  samples INTEGER NOT NULL,
  updated_ts_ns INTEGER NOT NULL,
  PRIMARY KEY (venue_a, ticker_a, venue_b, ticker_b)
);
CREATE TABLE daily_snapshots (
  date TEXT PRIMARY KEY,
  ts_ns INTEGER NOT NULL,
  equity_micros INTEGER NOT NULL,
  cash_micros INTEGER NOT NULL,
  realized_pnl_micros INTEGER NOT NULL,
  unrealized_pnl_micros INTEGER NOT NULL,
  fees_micros INTEGER NOT NULL,
  max_drawdown_micros INTEGER NOT NULL,
  trades INTEGER NOT NULL,
  wins INTEGER NOT NULL,
  losses INTEGER NOT NULL,
  open_positions INTEGER NOT NULL,
  opportunities INTEGER NOT NULL
);
CREATE TABLE system_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_ts_ns INTEGER NOT NULL
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  ts_ns INTEGER NOT NULL,
  kind TEXT NOT NULL,
  strategy TEXT NOT NULL,
  venue TEXT,
  ticker TEXT,
  intent_id INTEGER,
  code INTEGER NOT NULL,
  amount_micros INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX audit_ts ON audit (ts_ns);
CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY,
  ts_ns INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  leg_count INTEGER NOT NULL,
  legs TEXT NOT NULL,
  expected_value_micros INTEGER NOT NULL,
  size_units INTEGER NOT NULL,
  acted INTEGER NOT NULL
);
CREATE INDEX opportunities_ts ON opportunities (ts_ns);
INSERT INTO system_state (key, value, updated_ts_ns) VALUES
  ('database_epoch', CAST(strftime('%s', 'now') AS TEXT), 0),
  ('client_order_id_next', '1', 0),
  ('trading_halted', '0', 0),
  ('halt_reason', '', 0);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema", kSchemaV1},
};

std::string where(const Database& db) {
  return db.path().string() + ": ";
}

bool table_exists(Database& db, std::string_view name) {
  Statement query = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  query.bind_text(1, name);
  return query.step() == SQLITE_ROW;
}

int user_table_count(Database& db) {
  Statement query =
      db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  return query.step() == SQLITE_ROW ? static_cast<int>(query.column_int64(0)) : 0;
}

}  // namespace

std::span<const Migration> schema_migrations() noexcept {
  return kMigrations;
}

int latest_schema_version() noexcept {
  return kMigrations[std::size(kMigrations) - 1].version;
}

void migrate(Database& db, bool apply) {
  // One write transaction for the check and the migrations: two engines starting on one file
  // cannot both apply migration N.
  db.exec("BEGIN IMMEDIATE");
  try {
    if (!table_exists(db, "schema_version")) {
      if (user_table_count(db) > 0)
        throw DatabaseError(where(db) +
                            "has tables but no schema_version: not a pmx database; refusing to touch it");
      db.exec(
          "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
          "applied_ts_ns INTEGER NOT NULL)");
    }
    const int current = db.schema_version();
    const int latest = latest_schema_version();
    if (current > latest)
      throw DatabaseError(where(db) + "schema version " + std::to_string(current) +
                          " is newer than this build supports (" + std::to_string(latest) +
                          "); refusing to open it: upgrade pmx or use another database file");
    if (current < latest && !apply)
      throw DatabaseError(where(db) + "schema version " + std::to_string(current) + " is older than " +
                          std::to_string(latest) + " and migrations are disabled");
    for (const Migration& m : kMigrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      Statement record =
          db.prepare("INSERT INTO schema_version (version, description, applied_ts_ns) VALUES (?, ?, ?)");
      record.bind_int64(1, m.version).bind_text(2, m.description).bind_int64(3, wall_now().ns);
      if (record.execute() != SQLITE_DONE)
        throw DatabaseError(where(db) + "cannot record migration " + std::to_string(m.version) + ": " +
                            db.last_error());
    }
    db.exec("COMMIT");
  } catch (...) {
    db.try_exec("ROLLBACK");
    throw;
  }
}

}  // namespace pmx
