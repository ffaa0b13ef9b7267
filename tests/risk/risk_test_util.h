// Builders shared by the risk tests: fills, intents and small market universes.
#pragma once

#include <cstdint>
#include <string>

#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/feed/market_info.h"

namespace pmx::test {

inline constexpr int64_t kSecond = 1'000'000'000;
// 2026-03-02 12:00:00 UTC: a midday time, far from a day boundary.
inline constexpr WallNanos kNoon{1'772'452'800LL * kSecond};

// Two instruments for tests that need a pair.
inline constexpr InstrumentId kA{0};
inline constexpr InstrumentId kB{1};

inline Money usd(double dollars) {
  return Money{static_cast<int64_t>(dollars * 1e6 + (dollars >= 0 ? 0.5 : -0.5))};
}
inline Price cents(int c) {
  return Price{c * 100};
}

inline ExecReport fill(InstrumentId instrument, Side side, Outcome outcome, Price price, Qty qty,
                       Money fee = Money{}, ExecType type = ExecType::fill, uint64_t intent_id = 0) {
  ExecReport r;
  r.intent_id = intent_id;
  r.instrument = instrument;
  r.side = side;
  r.outcome = outcome;
  r.type = type;
  r.fill_price = price;
  r.fill_qty = qty;
  r.cumulative_qty = qty;
  r.fee = fee;
  return r;
}

inline MarketInfo kalshi_market(std::string key, std::string event_key, std::string category = "",
                                WallNanos close = WallNanos{}) {
  MarketInfo m;
  m.venue = Venue::kalshi;
  m.key = key;
  m.market_key = key;
  m.event_key = std::move(event_key);
  m.category = std::move(category);
  m.close_time = close;
  m.tick = cents(1);
  return m;
}

inline MarketInfo polymarket_token(std::string key, std::string event_key) {
  MarketInfo m;
  m.venue = Venue::polymarket;
  m.key = std::move(key);
  m.event_key = std::move(event_key);
  m.tick = cents(1);
  return m;
}

}  // namespace pmx::test
