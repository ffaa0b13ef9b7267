#include "pmx/backtest/audit_trail.h"

#include <stdexcept>

#include <sqlite3.h>

#include "pmx/core/json_string.h"
#include "pmx/persist/database.h"

namespace pmx {
namespace {

std::string opportunity_text(std::string_view strategy, int64_t leg_count, std::string_view legs, int64_t ev,
                             int64_t size, int64_t acted) {
  return "opportunity " + std::string(strategy) + " legs=" + std::to_string(leg_count) + " " +
         std::string(legs) + " ev=" + std::to_string(ev) + " size=" + std::to_string(size) +
         " acted=" + std::to_string(acted);
}

std::string intent_text(std::string_view strategy, std::string_view venue, std::string_view ticker,
                        std::string_view side, std::string_view outcome, std::string_view tif, int64_t limit,
                        int64_t decision, int64_t qty, int64_t ev, int64_t flags) {
  return "intent " + std::string(strategy) + " " + std::string(venue) + " " + std::string(ticker) + " " +
         std::string(side) + " " + std::string(outcome) + " " + std::string(tif) +
         " limit=" + std::to_string(limit) + " decision=" + std::to_string(decision) +
         " qty=" + std::to_string(qty) + " ev=" + std::to_string(ev) + " flags=" + std::to_string(flags);
}

std::string describe_entry(const std::vector<TrailEntry>& entries, size_t i) {
  if (i >= entries.size()) return "(none)";
  return entries[i].text + " at " + std::to_string(entries[i].ts.ns);
}

}  // namespace

std::string opportunity_legs_text(const OpportunityRecord& r, const MarketUniverse& universe) {
  std::string legs = "[";
  const int n = r.leg_count < OpportunityRecord::kMaxLegs ? r.leg_count : OpportunityRecord::kMaxLegs;
  for (int k = 0; k < n; ++k) {
    if (k > 0) legs += ',';
    legs += "{\"venue\":\"";
    legs += to_string(universe.instruments().venue(r.instruments[k]));
    legs += "\",\"ticker\":";
    append_json_string(legs, universe.instruments().key(r.instruments[k]));
    legs += ",\"outcome\":\"";
    legs += to_string(r.outcomes[k]);
    legs += "\",\"price_ticks\":";
    legs += std::to_string(r.prices[k].ticks);
    legs += '}';
  }
  legs += ']';
  return legs;
}

AuditTrail trail_from_database(const std::filesystem::path& database) {
  if (!std::filesystem::exists(database)) throw std::runtime_error(database.string() + ": no such database");
  DatabaseOptions options;
  options.create_if_missing = false;
  options.migrate = false;
  Database db(database, options);
  AuditTrail trail;
  Statement opportunities = db.prepare(
      "SELECT ts_ns, strategy, leg_count, legs, expected_value_micros, size_units, acted FROM opportunities "
      "ORDER BY id");
  int rc;
  while ((rc = opportunities.step()) == SQLITE_ROW) {
    trail.opportunities.push_back(
        TrailEntry{WallNanos{opportunities.column_int64(0)},
                   opportunity_text(opportunities.column_text(1), opportunities.column_int64(2),
                                    opportunities.column_text(3), opportunities.column_int64(4),
                                    opportunities.column_int64(5), opportunities.column_int64(6))});
  }
  if (rc != SQLITE_DONE)
    throw std::runtime_error(database.string() + ": reading opportunities: " + db.last_error());
  Statement orders = db.prepare(
      "SELECT decision_ts_ns, strategy, venue, ticker, side, outcome, time_in_force, limit_price_ticks, "
      "decision_price_ticks, qty_units, expected_value_micros, flags FROM orders ORDER BY id");
  while ((rc = orders.step()) == SQLITE_ROW) {
    trail.intents.push_back(
        TrailEntry{WallNanos{orders.column_int64(0)},
                   intent_text(orders.column_text(1), orders.column_text(2), orders.column_text(3),
                               orders.column_text(4), orders.column_text(5), orders.column_text(6),
                               orders.column_int64(7), orders.column_int64(8), orders.column_int64(9),
                               orders.column_int64(10), orders.column_int64(11))});
  }
  if (rc != SQLITE_DONE) throw std::runtime_error(database.string() + ": reading orders: " + db.last_error());
  return trail;
}

AuditTrail trail_from_records(const std::vector<OpportunityRecord>& opportunities,
                              const std::vector<OrderIntent>& intents, const MarketUniverse& universe) {
  AuditTrail trail;
  for (const OpportunityRecord& r : opportunities) {
    trail.opportunities.push_back(TrailEntry{
        r.ts, opportunity_text(
                  to_string(r.strategy),
                  r.leg_count < OpportunityRecord::kMaxLegs ? r.leg_count : OpportunityRecord::kMaxLegs,
                  opportunity_legs_text(r, universe), r.expected_value.micros, r.size.units, r.acted)});
  }
  for (const OrderIntent& i : intents) {
    trail.intents.push_back(TrailEntry{
        i.decision_ts,
        intent_text(to_string(i.strategy), to_string(i.venue), universe.instruments().key(i.instrument),
                    to_string(i.side), to_string(i.outcome), to_string(i.tif), i.limit_price.ticks,
                    i.decision_price.ticks, i.qty.units, i.expected_value.micros, i.flags)});
  }
  return trail;
}

TrailComparison compare_trails(const std::vector<TrailEntry>& live, const std::vector<TrailEntry>& replay,
                               int64_t time_tolerance_ns) {
  TrailComparison c;
  c.live = live.size();
  c.replay = replay.size();
  const size_t n = live.size() < replay.size() ? live.size() : replay.size();
  for (; c.matched < n; ++c.matched) {
    const TrailEntry& a = live[c.matched];
    const TrailEntry& b = replay[c.matched];
    const int64_t gap = a.ts.ns > b.ts.ns ? a.ts.ns - b.ts.ns : b.ts.ns - a.ts.ns;
    if (a.text != b.text || gap > time_tolerance_ns) break;
    if (gap > c.max_time_gap_ns) c.max_time_gap_ns = gap;
  }
  if (!c.equal()) {
    c.first_difference = "entry " + std::to_string(c.matched) + ": live " + describe_entry(live, c.matched) +
                         " | replay " + describe_entry(replay, c.matched);
  }
  return c;
}

}  // namespace pmx
