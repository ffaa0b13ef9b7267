#include "pmx/engine/app/reconciliation.h"

#include <map>
#include <tuple>

#include <fmt/format.h>
#include <sqlite3.h>

namespace pmx::app {

namespace {

using Key = std::tuple<Venue, std::string, Outcome>;

Venue venue_from(std::string_view text) noexcept {
  return text == to_string(Venue::polymarket) ? Venue::polymarket : Venue::kalshi;
}
Outcome outcome_from(std::string_view text) noexcept {
  return text == "no" ? Outcome::no : Outcome::yes;
}

// Average price in ticks of `cost` for `qty`, exact to the tick (rounded down), without the
// overflow of cost * 10'000: ticks = micros * 1e4 / units, split into quotient and remainder.
Price average_of(Money cost, Qty qty) noexcept {
  if (qty.units <= 0 || cost.micros <= 0) return Price{};
  const int64_t whole = cost.micros / qty.units;
  const int64_t rest = cost.micros % qty.units;
  return Price::from_ticks(static_cast<int32_t>(whole * 10'000 + rest * 10'000 / qty.units));
}

std::string describe(const Key& key) {
  return fmt::format("{} {} {}", to_string(std::get<0>(key)), std::get<1>(key), to_string(std::get<2>(key)));
}

std::string contracts(Qty qty) {
  return fmt::format("{}.{:06d}", qty.units / Qty::kUnitsPerContract, qty.units % Qty::kUnitsPerContract);
}

void expect_done(Database& db, int rc, std::string_view what) {
  if (rc != SQLITE_DONE)
    throw DatabaseError(db.path().string() + ": reconciliation: " + std::string(what) + ": " +
                        db.last_error());
}

}  // namespace

std::string ReconciliationReport::summary() const {
  std::string text =
      fmt::format("positions: {} unchanged, {} corrected, {} closed, {} opened; orders: {} closed", unchanged,
                  corrected, closed, opened, orders_closed);
  if (orders_cancelled > 0) text += fmt::format(", {} cancelled at the venue", orders_cancelled);
  return text;
}

std::vector<VenuePosition> paper_venue_positions(Database& db) {
  struct Holding {
    Qty qty{};
    Money cost{};  // cost basis of what is held
  };
  std::map<Key, Holding> holdings;
  Statement fills =
      db.prepare("SELECT venue, ticker, outcome, side, price_ticks, qty_units FROM fills ORDER BY id");
  int rc;
  while ((rc = fills.step()) == SQLITE_ROW) {
    const Key key{venue_from(fills.column_text(0)), std::string(fills.column_text(1)),
                  outcome_from(fills.column_text(2))};
    const bool buy = fills.column_text(3) != "sell";
    const Price price = Price::from_ticks(static_cast<int32_t>(fills.column_int64(4)));
    const Qty qty = Qty::from_units(fills.column_int64(5));
    Holding& h = holdings[key];
    if (buy) {
      h.qty = h.qty + qty;
      h.cost = h.cost + notional(price, qty);
    } else if (h.qty.units > 0) {
      // Average cost: a sale removes its share of the basis; the average stays.
      const Qty sold = qty < h.qty ? qty : h.qty;
      const Money basis_sold = Money::from_micros(h.cost.micros / h.qty.units * sold.units +
                                                  h.cost.micros % h.qty.units * sold.units / h.qty.units);
      h.cost = h.cost - basis_sold;
      h.qty = h.qty - sold;
    }
  }
  expect_done(db, rc, "reading fills");

  std::vector<VenuePosition> out;
  for (const auto& [key, h] : holdings) {
    if (h.qty.units <= 0) continue;
    out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), h.qty, average_of(h.cost, h.qty)});
  }
  return out;
}

ReconciliationReport reconcile_positions(Database& db, std::span<const VenuePosition> venue, WallNanos now,
                                         std::array<bool, kVenueCount> reconciled) {
  ReconciliationReport report;
  std::map<Key, const VenuePosition*> held;
  for (const VenuePosition& p : venue)
    if (p.qty.units > 0 && reconciled[static_cast<size_t>(p.venue)])
      held[{p.venue, p.ticker, p.outcome}] = &p;

  db.exec("BEGIN IMMEDIATE");
  try {
    Statement audit = db.prepare(
        "INSERT INTO audit (ts_ns, kind, strategy, venue, ticker, intent_id, code, amount_micros, reason) "
        "VALUES (?1, 'reconciliation', 'manual', ?2, ?3, NULL, 0, 0, ?4)");
    const auto log = [&](const Key& key, std::string line) {
      audit.bind_int64(1, now.ns)
          .bind_text(2, to_string(std::get<0>(key)))
          .bind_text(3, std::get<1>(key))
          .bind_text(4, line);
      expect_done(db, audit.execute(), "writing the audit row");
      report.lines.push_back(std::move(line));
    };

    Statement open = db.prepare(
        "SELECT id, venue, ticker, outcome, qty_units FROM positions WHERE status = 'open' ORDER BY id");
    Statement correct = db.prepare(
        "UPDATE positions SET qty_units = ?1, average_price_ticks = ?2, updated_ts_ns = ?3 WHERE id = ?4");
    Statement close = db.prepare(
        "UPDATE positions SET qty_units = 0, status = 'closed', updated_ts_ns = ?1, closed_ts_ns = ?1 "
        "WHERE id = ?2");
    struct Row {
      int64_t id;
      Key key;
      Qty qty;
    };
    std::vector<Row> rows;
    int rc;
    while ((rc = open.step()) == SQLITE_ROW) {
      if (!reconciled[static_cast<size_t>(venue_from(open.column_text(1)))]) continue;
      rows.push_back({open.column_int64(0),
                      Key{venue_from(open.column_text(1)), std::string(open.column_text(2)),
                          outcome_from(open.column_text(3))},
                      Qty::from_units(open.column_int64(4))});
    }
    expect_done(db, rc, "reading positions");
    open.reset();

    for (const Row& row : rows) {
      const auto it = held.find(row.key);
      if (it == held.end()) {
        close.bind_int64(1, now.ns).bind_int64(2, row.id);
        expect_done(db, close.execute(), "closing a position");
        ++report.closed;
        log(row.key, fmt::format("{}: closed elsewhere: database held {}, venue holds nothing; marked closed",
                                 describe(row.key), contracts(row.qty)));
        continue;
      }
      const VenuePosition& v = *it->second;
      if (v.qty != row.qty) {
        correct.bind_int64(1, v.qty.units)
            .bind_int64(2, v.average_price.ticks)
            .bind_int64(3, now.ns)
            .bind_int64(4, row.id);
        expect_done(db, correct.execute(), "correcting a position");
        ++report.corrected;
        log(row.key, fmt::format("{}: quantity mismatch: database {}, venue {}; corrected to the venue's",
                                 describe(row.key), contracts(row.qty), contracts(v.qty)));
      } else {
        ++report.unchanged;
      }
      held.erase(it);
    }

    Statement insert = db.prepare(
        "INSERT INTO positions (venue, ticker, outcome, strategy, qty_units, average_price_ticks, status, "
        "opened_ts_ns, updated_ts_ns) VALUES (?1, ?2, ?3, 'manual', ?4, ?5, 'open', ?6, ?6)");
    for (const auto& [key, v] : held) {
      insert.bind_text(1, to_string(v->venue))
          .bind_text(2, v->ticker)
          .bind_text(3, to_string(v->outcome))
          .bind_int64(4, v->qty.units)
          .bind_int64(5, v->average_price.ticks)
          .bind_int64(6, now.ns);
      expect_done(db, insert.execute(), "inserting a position");
      ++report.opened;
      log(key, fmt::format("{}: held at the venue ({}) but not in the database; opened", describe(key),
                           contracts(v->qty)));
    }
    db.exec("COMMIT");
  } catch (...) {
    db.try_exec("ROLLBACK");
    throw;
  }
  return report;
}

namespace {

int close_working_orders(Database& db, WallNanos now) {
  Statement close = db.prepare(
      "UPDATE orders SET status = 'cancelled', reject_reason = 'engine_restart', updated_ts_ns = ?1 "
      "WHERE status IN ('submitted', 'open', 'partially_filled')");
  close.bind_int64(1, now.ns);
  expect_done(db, close.execute(), "closing orphaned orders");
  return sqlite3_changes(db.handle());
}

}  // namespace

void close_orphaned_paper_orders(Database& db, WallNanos now, ReconciliationReport& report) {
  const int closed = close_working_orders(db, now);
  report.orders_closed += closed;
  if (closed > 0)
    report.lines.push_back(fmt::format(
        "{} working order(s) of the previous run closed as cancelled (the paper venue ended with it)",
        closed));
}

void close_orphaned_live_orders(Database& db, WallNanos now, ReconciliationReport& report) {
  const int closed = close_working_orders(db, now);
  report.orders_closed += closed;
  if (closed > 0)
    report.lines.push_back(
        fmt::format("{} working order(s) of the previous run closed as cancelled (cancelled at the venue if "
                    "still resting)",
                    closed));
}

}  // namespace pmx::app
