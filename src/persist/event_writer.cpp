#include "pmx/persist/event_writer.h"

#include <cstdio>
#include <utility>

#include <sqlite3.h>

#include "pmx/core/json_string.h"

namespace pmx {

namespace {

constexpr std::string_view order_status(ExecType type) noexcept {
  switch (type) {
    case ExecType::accepted:
      return "open";
    case ExecType::partial_fill:
      return "partially_filled";
    case ExecType::fill:
      return "filled";
    case ExecType::cancelled:
      return "cancelled";
    case ExecType::rejected:
      return "rejected";
    case ExecType::expired:
      return "expired";
    case ExecType::failed:
      return "failed";
  }
  return "failed";
}

constexpr std::string_view to_string(Liquidity l) noexcept {
  return l == Liquidity::maker ? "maker" : "taker";
}

// "2026-11-24" from 20261124.
std::string date_text(int32_t yyyymmdd) {
  const int y = yyyymmdd / 10'000;
  const int m = yyyymmdd / 100 % 100;
  const int d = yyyymmdd % 100;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
  return text;
}

}  // namespace

EventWriter::EventWriter(Database& db, InstrumentNamer namer)
    : db_(db),
      namer_(std::move(namer)),
      insert_order_(db.prepare("INSERT INTO orders (client_order_id, intent_id, venue, ticker, side, "
                               "outcome, time_in_force, strategy, "
                               "limit_price_ticks, decision_price_ticks, qty_units, expected_value_micros, "
                               "group_id, flags, status, "
                               "decision_ts_ns, submitted_ts_ns, updated_ts_ns) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                               "'submitted', ?15, ?16, ?16)")),
      // A late non-terminal report never overwrites a terminal status.
      update_order_(db.prepare(
          "UPDATE orders SET "
          "status = CASE WHEN status IN ('filled', 'cancelled', 'rejected', 'expired', 'failed') THEN status "
          "ELSE ?1 END, "
          "filled_qty_units = max(filled_qty_units, ?2), fees_micros = fees_micros + ?3, "
          "reject_reason = coalesce(?4, reject_reason), updated_ts_ns = ?5 WHERE intent_id = ?6")),
      insert_fill_(db.prepare("INSERT INTO fills (intent_id, client_order_id, venue, ticker, side, outcome, "
                              "price_ticks, qty_units, "
                              "fee_micros, liquidity, ts_ns) "
                              "VALUES (?1, (SELECT client_order_id FROM orders WHERE intent_id = ?1), ?2, "
                              "?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                              "?10)")),
      update_position_(
          db.prepare("UPDATE positions SET qty_units = ?1, average_price_ticks = ?2, mark_price_ticks = ?3, "
                     "realized_pnl_micros = ?4, fees_micros = ?5, updated_ts_ns = ?6, "
                     "status = CASE WHEN ?1 = 0 THEN 'closed' ELSE 'open' END, "
                     "closed_ts_ns = CASE WHEN ?1 = 0 THEN ?6 ELSE NULL END "
                     "WHERE venue = ?7 AND ticker = ?8 AND outcome = ?9 AND status = 'open'")),
      insert_position_(db.prepare("INSERT INTO positions (venue, ticker, outcome, strategy, qty_units, "
                                  "average_price_ticks, mark_price_ticks, "
                                  "realized_pnl_micros, fees_micros, status, opened_ts_ns, updated_ts_ns) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open', ?10, ?10)")),
      insert_opportunity_(db.prepare("INSERT INTO opportunities (ts_ns, strategy, leg_count, legs, "
                                     "expected_value_micros, size_units, acted) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")),
      insert_audit_(db.prepare(
          "INSERT INTO audit (ts_ns, kind, strategy, venue, ticker, intent_id, code, amount_micros, reason) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")),
      insert_price_(db.prepare("INSERT INTO price_history (venue, ticker, ts_ns, bid_ticks, ask_ticks, "
                               "bid_size_units, ask_size_units, "
                               "fair_value_ticks) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")),
      upsert_state_(db.prepare(
          "INSERT INTO system_state (key, value, updated_ts_ns) VALUES (?1, ?2, ?3) "
          "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ts_ns = excluded.updated_ts_ns")),
      upsert_daily_(db.prepare(
          "INSERT OR REPLACE INTO daily_snapshots (date, ts_ns, equity_micros, cash_micros, "
          "realized_pnl_micros, "
          "unrealized_pnl_micros, fees_micros, max_drawdown_micros, trades, wins, losses, open_positions, "
          "opportunities) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")) {}

WriteResult EventWriter::write(const OpsEvent& event) noexcept {
  bool ok = false;
  const auto& p = event.payload;
  switch (event.kind) {
    case OpsEventKind::order_submitted:
      ok = write_order_submitted(p.order_submitted);
      break;
    case OpsEventKind::exec_report:
      ok = write_exec_report(p.exec_report);
      break;
    case OpsEventKind::position:
      ok = write_position(p.position);
      break;
    case OpsEventKind::opportunity:
      ok = write_opportunity(p.opportunity);
      break;
    case OpsEventKind::audit:
      ok = write_audit(p.audit);
      break;
    case OpsEventKind::price_sample:
      ok = write_price_sample(p.price_sample);
      break;
    case OpsEventKind::system_state:
      ok = write_system_state(p.system_state);
      break;
    case OpsEventKind::daily_snapshot:
      ok = write_daily_snapshot(p.daily_snapshot);
      break;
    case OpsEventKind::alert:
      ok = write_alert(p.alert);
      break;
  }
  ++(ok ? counters_.written : counters_.failed);
  return ok ? WriteResult::ok : WriteResult::failed;
}

InstrumentName EventWriter::name_of(InstrumentId id) noexcept {
  InstrumentName name = namer_ ? namer_(id) : InstrumentName{};
  if (name.key.empty()) {
    ++counters_.unknown_instruments;
    unknown_name_ = "#" + std::to_string(id.value);
    name.key = unknown_name_;
  }
  return name;
}

bool EventWriter::done(Statement& statement) noexcept {
  const int rc = statement.execute();
  if (rc == SQLITE_DONE) return true;
  last_error_ = db_.last_error();
  return false;
}

bool EventWriter::write_order_submitted(const OrderSubmittedRecord& r) noexcept {
  const OrderIntent& i = r.intent;
  const InstrumentName name = name_of(i.instrument);
  insert_order_.bind_text(1, r.client_order_id.view())
      .bind_int64(2, static_cast<int64_t>(i.intent_id))
      .bind_text(3, to_string(name.venue))
      .bind_text(4, name.key)
      .bind_text(5, to_string(i.side))
      .bind_text(6, to_string(i.outcome))
      .bind_text(7, to_string(i.tif))
      .bind_text(8, to_string(i.strategy))
      .bind_int64(9, i.limit_price.ticks)
      .bind_int64(10, i.decision_price.ticks)
      .bind_int64(11, i.qty.units)
      .bind_int64(12, i.expected_value.micros)
      .bind_int64(13, static_cast<int64_t>(i.group_id))
      .bind_int64(14, i.flags)
      .bind_int64(15, i.decision_ts.ns)
      .bind_int64(16, r.submitted_ts.ns);
  return done(insert_order_);
}

bool EventWriter::write_exec_report(const ExecReport& r) noexcept {
  update_order_.bind_text(1, order_status(r.type))
      .bind_int64(2, r.cumulative_qty.units)
      .bind_int64(3, r.fee.micros)
      .bind_int64(5, r.ts.ns)
      .bind_int64(6, static_cast<int64_t>(r.intent_id));
  if (r.reason != RejectReason::none)
    update_order_.bind_text(4, to_string(r.reason));
  else
    update_order_.bind_null(4);
  if (!done(update_order_)) return false;
  if (sqlite3_changes(db_.handle()) == 0) ++counters_.orphan_exec_reports;

  if (r.type != ExecType::fill && r.type != ExecType::partial_fill) return true;
  const InstrumentName name = name_of(r.instrument);
  insert_fill_.bind_int64(1, static_cast<int64_t>(r.intent_id))
      .bind_text(2, to_string(name.venue))
      .bind_text(3, name.key)
      .bind_text(4, to_string(r.side))
      .bind_text(5, to_string(r.outcome))
      .bind_int64(6, r.fill_price.ticks)
      .bind_int64(7, r.fill_qty.units)
      .bind_int64(8, r.fee.micros)
      .bind_text(9, to_string(r.liquidity))
      .bind_int64(10, r.ts.ns);
  return done(insert_fill_);
}

bool EventWriter::write_position(const PositionRecord& r) noexcept {
  const InstrumentName name = name_of(r.instrument);
  update_position_.bind_int64(1, r.qty.units)
      .bind_int64(2, r.average_price.ticks)
      .bind_int64(4, r.realized_pnl.micros)
      .bind_int64(5, r.fees.micros)
      .bind_int64(6, r.ts.ns)
      .bind_text(7, to_string(name.venue))
      .bind_text(8, name.key)
      .bind_text(9, to_string(r.outcome));
  if (r.mark_price.ticks > 0)
    update_position_.bind_int64(3, r.mark_price.ticks);
  else
    update_position_.bind_null(3);
  if (!done(update_position_)) return false;
  if (sqlite3_changes(db_.handle()) > 0 || r.qty.is_zero()) return true;  // updated, or nothing open to close

  insert_position_.bind_text(1, to_string(name.venue))
      .bind_text(2, name.key)
      .bind_text(3, to_string(r.outcome))
      .bind_text(4, to_string(r.strategy))
      .bind_int64(5, r.qty.units)
      .bind_int64(6, r.average_price.ticks)
      .bind_int64(8, r.realized_pnl.micros)
      .bind_int64(9, r.fees.micros)
      .bind_int64(10, r.ts.ns);
  if (r.mark_price.ticks > 0)
    insert_position_.bind_int64(7, r.mark_price.ticks);
  else
    insert_position_.bind_null(7);
  return done(insert_position_);
}

bool EventWriter::write_opportunity(const OpportunityRecord& r) noexcept {
  // [{"venue":"kalshi","ticker":"KXFOO-26","outcome":"yes","price_ticks":4200}, ...]
  const int legs = r.leg_count < OpportunityRecord::kMaxLegs ? r.leg_count : OpportunityRecord::kMaxLegs;
  legs_.assign("[");
  for (int k = 0; k < legs; ++k) {
    const InstrumentName name = name_of(r.instruments[k]);
    if (k > 0) legs_ += ',';
    legs_ += "{\"venue\":\"";
    legs_ += to_string(name.venue);
    legs_ += "\",\"ticker\":";
    append_json_string(legs_, name.key);
    legs_ += ",\"outcome\":\"";
    legs_ += to_string(r.outcomes[k]);
    legs_ += "\",\"price_ticks\":";
    legs_ += std::to_string(r.prices[k].ticks);
    legs_ += '}';
  }
  legs_ += ']';
  insert_opportunity_.bind_int64(1, r.ts.ns)
      .bind_text(2, to_string(r.strategy))
      .bind_int64(3, legs)
      .bind_text(4, legs_)
      .bind_int64(5, r.expected_value.micros)
      .bind_int64(6, r.size.units)
      .bind_int64(7, r.acted);
  return done(insert_opportunity_);
}

bool EventWriter::write_audit(const AuditRecord& r) noexcept {
  insert_audit_.bind_int64(1, r.ts.ns)
      .bind_text(2, to_string(r.kind))
      .bind_text(3, to_string(r.strategy))
      .bind_int64(7, r.code)
      .bind_int64(8, r.amount.micros)
      .bind_text(9, text_view(r.reason));
  if (r.instrument.valid()) {
    const InstrumentName name = name_of(r.instrument);
    insert_audit_.bind_text(4, to_string(name.venue)).bind_text(5, name.key);
  } else {
    insert_audit_.bind_null(4).bind_null(5);
  }
  if (r.intent_id != 0)
    insert_audit_.bind_int64(6, static_cast<int64_t>(r.intent_id));
  else
    insert_audit_.bind_null(6);
  return done(insert_audit_);
}

// An alert is kept in the audit trail: kind "alert_<severity>", the title and text as the reason.
bool EventWriter::write_alert(const AlertRecord& r) noexcept {
  char kind[24];
  std::snprintf(kind, sizeof kind, "alert_%s", to_string(r.severity).data());
  char reason[sizeof r.title + sizeof r.text + 2];
  std::snprintf(reason, sizeof reason, "%s: %s", r.title, r.text);
  insert_audit_.bind_int64(1, r.ts.ns)
      .bind_text(2, kind)
      .bind_text(3, to_string(StrategyKind::manual))
      .bind_null(4)
      .bind_null(5)
      .bind_null(6)
      .bind_int64(7, static_cast<int64_t>(r.severity))
      .bind_int64(8, 0)
      .bind_text(9, reason);
  return done(insert_audit_);
}

bool EventWriter::write_price_sample(const PriceSampleRecord& r) noexcept {
  const InstrumentName name = name_of(r.instrument);
  insert_price_.bind_text(1, to_string(name.venue)).bind_text(2, name.key).bind_int64(3, r.ts.ns);
  // A missing side or model value is NULL, not a price of zero.
  const auto price_or_null = [this](int index, Price price) {
    if (price.ticks > 0)
      insert_price_.bind_int64(index, price.ticks);
    else
      insert_price_.bind_null(index);
  };
  price_or_null(4, r.bid);
  price_or_null(5, r.ask);
  price_or_null(8, r.fair_value);
  insert_price_.bind_int64(6, r.bid_size.units).bind_int64(7, r.ask_size.units);
  return done(insert_price_);
}

bool EventWriter::write_system_state(const SystemStateRecord& r) noexcept {
  const auto state = [this, &r](std::string_view key, std::string_view value) {
    upsert_state_.bind_text(1, key).bind_text(2, value).bind_int64(3, r.ts.ns);
    return done(upsert_state_);
  };
  // halt_reason keeps the last halt's reason after a resume: the audit row says who resumed.
  bool ok = state("trading_halted", r.halted ? "1" : "0") && state("trading_mode", to_string(r.mode));
  if (ok && r.halted) ok = state("halt_reason", text_view(r.reason));
  if (!ok) return false;
  insert_audit_.bind_int64(1, r.ts.ns)
      .bind_text(2, r.halted ? "halted" : "resumed")
      .bind_text(3, to_string(StrategyKind::manual))
      .bind_null(4)
      .bind_null(5)
      .bind_null(6)
      .bind_int64(7, 0)
      .bind_int64(8, 0)
      .bind_text(9, text_view(r.reason));
  return done(insert_audit_);
}

bool EventWriter::write_daily_snapshot(const DailySnapshotRecord& r) noexcept {
  upsert_daily_.bind_text(1, date_text(r.date_yyyymmdd))
      .bind_int64(2, r.ts.ns)
      .bind_int64(3, r.equity.micros)
      .bind_int64(4, r.cash.micros)
      .bind_int64(5, r.realized_pnl.micros)
      .bind_int64(6, r.unrealized_pnl.micros)
      .bind_int64(7, r.fees.micros)
      .bind_int64(8, r.max_drawdown.micros)
      .bind_int64(9, r.trades)
      .bind_int64(10, r.wins)
      .bind_int64(11, r.losses)
      .bind_int64(12, r.open_positions)
      .bind_int64(13, r.opportunities);
  return done(upsert_daily_);
}

}  // namespace pmx
