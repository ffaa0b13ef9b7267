#include "pmx/persist/recovery.h"

#include <charconv>

#include <sqlite3.h>

namespace pmx {

namespace {

Venue venue_from(std::string_view text) noexcept {
  return text == to_string(Venue::polymarket) ? Venue::polymarket : Venue::kalshi;
}
Outcome outcome_from(std::string_view text) noexcept {
  return text == "no" ? Outcome::no : Outcome::yes;
}
Side side_from(std::string_view text) noexcept {
  return text == "sell" ? Side::sell : Side::buy;
}

uint64_t number_or_zero(const std::optional<std::string>& text) noexcept {
  uint64_t value = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

void expect_done(Database& db, int rc, const char* what) {
  if (rc != SQLITE_DONE)
    throw DatabaseError(db.path().string() + ": cannot read " + what + ": " + db.last_error());
}

}  // namespace

RecoveredState load_recovery_state(Database& db) {
  RecoveredState state;

  Statement positions = db.prepare(
      "SELECT venue, ticker, outcome, strategy, qty_units, average_price_ticks, coalesce(mark_price_ticks, "
      "0), "
      "realized_pnl_micros, fees_micros, opened_ts_ns, updated_ts_ns FROM positions WHERE status = 'open' "
      "ORDER BY id");
  int rc;
  while ((rc = positions.step()) == SQLITE_ROW) {
    RecoveredPosition p;
    p.venue = venue_from(positions.column_text(0));
    p.ticker = positions.column_text(1);
    p.outcome = outcome_from(positions.column_text(2));
    p.strategy = positions.column_text(3);
    p.qty = Qty::from_units(positions.column_int64(4));
    p.average_price = Price::from_ticks(static_cast<int32_t>(positions.column_int64(5)));
    p.mark_price = Price::from_ticks(static_cast<int32_t>(positions.column_int64(6)));
    p.realized_pnl = Money::from_micros(positions.column_int64(7));
    p.fees = Money::from_micros(positions.column_int64(8));
    p.opened_ts = WallNanos{positions.column_int64(9)};
    p.updated_ts = WallNanos{positions.column_int64(10)};
    state.open_positions.push_back(std::move(p));
  }
  expect_done(db, rc, "positions");

  Statement orders = db.prepare(
      "SELECT client_order_id, intent_id, venue, ticker, side, outcome, time_in_force, strategy, status, "
      "limit_price_ticks, qty_units, filled_qty_units, fees_micros, group_id, submitted_ts_ns, updated_ts_ns "
      "FROM orders WHERE status IN ('submitted', 'open', 'partially_filled') ORDER BY id");
  while ((rc = orders.step()) == SQLITE_ROW) {
    RecoveredOrder o;
    o.client_order_id = orders.column_text(0);
    o.intent_id = static_cast<uint64_t>(orders.column_int64(1));
    o.venue = venue_from(orders.column_text(2));
    o.ticker = orders.column_text(3);
    o.side = side_from(orders.column_text(4));
    o.outcome = outcome_from(orders.column_text(5));
    o.time_in_force = orders.column_text(6);
    o.strategy = orders.column_text(7);
    o.status = orders.column_text(8);
    o.limit_price = Price::from_ticks(static_cast<int32_t>(orders.column_int64(9)));
    o.qty = Qty::from_units(orders.column_int64(10));
    o.filled_qty = Qty::from_units(orders.column_int64(11));
    o.fees = Money::from_micros(orders.column_int64(12));
    o.group_id = static_cast<uint64_t>(orders.column_int64(13));
    o.submitted_ts = WallNanos{orders.column_int64(14)};
    o.updated_ts = WallNanos{orders.column_int64(15)};
    state.open_orders.push_back(std::move(o));
  }
  expect_done(db, rc, "orders");

  state.trading_halted = db.load_state("trading_halted").value_or("0") == "1";
  state.halt_reason = db.load_state("halt_reason").value_or("");
  state.trading_mode = db.load_state("trading_mode").value_or("");
  state.database_epoch = number_or_zero(db.load_state("database_epoch"));
  state.client_order_id_next = number_or_zero(db.load_state("client_order_id_next"));
  return state;
}

}  // namespace pmx
