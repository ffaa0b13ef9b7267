// Reference data the engine writes directly (start-up and the periodic correlation job), outside
// the ops queue: the markets it trades and the correlations the risk checks use. These calls
// block on SQLite: start-up or ops-thread code only. Throw DatabaseError.
#pragma once

#include <span>
#include <string>

#include "pmx/core/types.h"
#include "pmx/persist/database.h"

namespace pmx {

struct MarketRow {
  Venue venue = Venue::kalshi;
  std::string ticker;  // Kalshi market ticker; Polymarket token id
  std::string event_ticker;
  std::string series_ticker;
  std::string title;
  std::string category;
  std::string outcome_name;
  std::string status;  // "open", "closed", ...
  Price tick = Price::from_ticks(100);
  WallNanos close_time{};  // 0 = unknown
  bool mutually_exclusive = false;
};

struct CorrelationRow {
  Venue venue_a = Venue::kalshi;
  std::string ticker_a;
  Venue venue_b = Venue::kalshi;
  std::string ticker_b;
  double correlation = 0.0;  // a statistic, not money
  int64_t samples = 0;
};

// Inserts or updates every row in one transaction.
void upsert_markets(Database& db, std::span<const MarketRow> markets, WallNanos now);
void upsert_correlations(Database& db, std::span<const CorrelationRow> correlations, WallNanos now);

}  // namespace pmx
