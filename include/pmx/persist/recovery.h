// The recovery load at start-up: what the database says was true when the engine last stopped
// (cleanly or not). Reconciling it against the venue (or the paper simulator) is the engine's
// job; this only reads. Start-up code: throws DatabaseError.
//
// Instruments come back as (venue, ticker): map them to this run's InstrumentIds through the
// instrument table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/persist/database.h"

namespace pmx {

struct RecoveredPosition {
  Venue venue = Venue::kalshi;
  std::string ticker;
  Outcome outcome = Outcome::yes;
  std::string strategy;  // StrategyKind name of what opened it
  Qty qty{};
  Price average_price{};
  Price mark_price{};  // 0 = unknown
  Money realized_pnl{};
  Money fees{};
  WallNanos opened_ts{};
  WallNanos updated_ts{};
};

// An order not known to be terminal: submitted (perhaps never acknowledged), open or partly filled.
struct RecoveredOrder {
  std::string client_order_id;
  uint64_t intent_id = 0;
  Venue venue = Venue::kalshi;
  std::string ticker;
  Side side = Side::buy;
  Outcome outcome = Outcome::yes;
  std::string time_in_force;
  std::string strategy;
  std::string status;  // "submitted", "open" or "partially_filled"
  Price limit_price{};
  Qty qty{};
  Qty filled_qty{};
  Money fees{};
  uint64_t group_id = 0;
  WallNanos submitted_ts{};
  WallNanos updated_ts{};
};

struct RecoveredState {
  std::vector<RecoveredPosition> open_positions;
  std::vector<RecoveredOrder> open_orders;  // oldest first
  bool trading_halted = false;              // survives restarts until resumed
  std::string halt_reason;                  // the last halt's reason ("" if never halted)
  std::string trading_mode;                 // "paper"/"live" last recorded, "" if never
  uint64_t database_epoch = 0;              // the <epoch> of this database's client order ids
  // No client order id sequence at or above this was ever handed out (the reserved high-water mark).
  uint64_t client_order_id_next = 0;
};

RecoveredState load_recovery_state(Database& db);

}  // namespace pmx
