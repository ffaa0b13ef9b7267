#include "pmx/persist/market_store.h"

#include <sqlite3.h>

namespace pmx {

namespace {

// Runs `write(row)` for each row inside one transaction; rolls back and throws on the first failure.
template <typename Row, typename Write>
void in_transaction(Database& db, std::span<const Row> rows, const char* table, Write write) {
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const Row& row : rows)
      if (write(row) != SQLITE_DONE)
        throw DatabaseError(db.path().string() + ": cannot write " + table + ": " + db.last_error());
    db.exec("COMMIT");
  } catch (...) {
    db.try_exec("ROLLBACK");
    throw;
  }
}

}  // namespace

void upsert_markets(Database& db, std::span<const MarketRow> markets, WallNanos now) {
  Statement upsert = db.prepare(
      "INSERT INTO markets (venue, ticker, event_ticker, series_ticker, title, category, outcome_name, "
      "status, "
      "tick_ticks, close_ts_ns, mutually_exclusive, updated_ts_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
      "ON CONFLICT (venue, ticker) DO UPDATE SET event_ticker = excluded.event_ticker, "
      "series_ticker = excluded.series_ticker, title = excluded.title, category = excluded.category, "
      "outcome_name = excluded.outcome_name, status = excluded.status, tick_ticks = excluded.tick_ticks, "
      "close_ts_ns = excluded.close_ts_ns, mutually_exclusive = excluded.mutually_exclusive, "
      "updated_ts_ns = excluded.updated_ts_ns");
  in_transaction(db, markets, "markets", [&](const MarketRow& m) {
    upsert.bind_text(1, to_string(m.venue))
        .bind_text(2, m.ticker)
        .bind_text(3, m.event_ticker)
        .bind_text(4, m.series_ticker)
        .bind_text(5, m.title)
        .bind_text(6, m.category)
        .bind_text(7, m.outcome_name)
        .bind_text(8, m.status)
        .bind_int64(9, m.tick.ticks)
        .bind_int64(11, m.mutually_exclusive ? 1 : 0)
        .bind_int64(12, now.ns);
    if (m.close_time.ns != 0)
      upsert.bind_int64(10, m.close_time.ns);
    else
      upsert.bind_null(10);
    return upsert.execute();
  });
}

void upsert_correlations(Database& db, std::span<const CorrelationRow> correlations, WallNanos now) {
  Statement upsert = db.prepare(
      "INSERT INTO correlations (venue_a, ticker_a, venue_b, ticker_b, correlation, samples, updated_ts_ns) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT (venue_a, ticker_a, venue_b, ticker_b) DO UPDATE SET correlation = excluded.correlation, "
      "samples = excluded.samples, updated_ts_ns = excluded.updated_ts_ns");
  in_transaction(db, correlations, "correlations", [&](const CorrelationRow& c) {
    return upsert.bind_text(1, to_string(c.venue_a))
        .bind_text(2, c.ticker_a)
        .bind_text(3, to_string(c.venue_b))
        .bind_text(4, c.ticker_b)
        .bind_double(5, c.correlation)
        .bind_int64(6, c.samples)
        .bind_int64(7, now.ns)
        .execute();
  });
}

}  // namespace pmx
