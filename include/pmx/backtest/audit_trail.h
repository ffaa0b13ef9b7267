// The live/replay equivalence check: the sequence of opportunities and intents the engine wrote to
// its database (tables `opportunities` and `orders`, in insertion order) against the sequence the
// backtest's replay of the same session produced.
//
// Each entry is compared by its content, never by its id (the engine's intent ids continue from
// the database's high-water mark; the replay's start at 1) nor exactly by its time: the engine's
// clock is the wall clock when the strategy handled the frame, the replay's is the frame's
// receive time + the header's offset, so the two differ by the engine's own handling delay. Times
// must agree within `time_tolerance_ns`.
//
//   opportunity  strategy, legs (venue, ticker, outcome, price of each), EV, size, acted
//   intent       strategy, venue, ticker, side, outcome, time in force, limit and decision price,
//                size, EV, flags
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pmx/core/order.h"
#include "pmx/feed/market_info.h"
#include "pmx/persist/ops_event.h"

namespace pmx {

struct TrailEntry {
  WallNanos ts{};
  std::string text;  // the content compared (no id, no time)
};

struct AuditTrail {
  std::vector<TrailEntry> opportunities;
  std::vector<TrailEntry> intents;
};

// The engine's database. Throws std::runtime_error (path, SQLite's message).
AuditTrail trail_from_database(const std::filesystem::path& database);
// The replay's records (BacktestLedger::opportunities() and intents()).
AuditTrail trail_from_records(const std::vector<OpportunityRecord>& opportunities,
                              const std::vector<OrderIntent>& intents, const MarketUniverse& universe);

// The legs text the engine's event writer stores: [{"venue":"kalshi","ticker":"...","outcome":"yes",
// "price_ticks":4200},...]
std::string opportunity_legs_text(const OpportunityRecord& record, const MarketUniverse& universe);

struct TrailComparison {
  size_t live = 0;
  size_t replay = 0;
  size_t matched = 0;           // entries equal (content and time within tolerance) from the start
  int64_t max_time_gap_ns = 0;  // over the matched entries
  bool equal() const noexcept { return matched == live && matched == replay; }
  std::string first_difference;  // empty when equal
};

TrailComparison compare_trails(const std::vector<TrailEntry>& live, const std::vector<TrailEntry>& replay,
                               int64_t time_tolerance_ns);

}  // namespace pmx
