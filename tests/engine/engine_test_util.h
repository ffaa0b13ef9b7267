// Test helpers for the strategy engine: hand-built universes, market events written the way the
// feeds write them, and sinks that record what the engine sent.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "pmx/core/order.h"
#include "pmx/engine/strategy_engine.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/opportunity.h"

namespace pmx::test {

inline constexpr int64_t kMilli = 1'000'000;
inline constexpr int64_t kSecond = 1'000'000'000;
inline constexpr int64_t kHour = 3'600 * kSecond;
// 2026-03-02 12:00:00 UTC: midday, far from a day boundary.
inline constexpr WallNanos kNoon{1'772'452'800LL * kSecond};

// Prices and sizes spelled as a trader reads them ("0.96", "500 contracts").
inline Price dollars(double d) {
  return Price::from_ticks(static_cast<int32_t>(d * 10'000.0 + (d >= 0 ? 0.5 : -0.5)));
}
inline Qty contracts(double c) {
  return Qty::from_units(static_cast<int64_t>(c * 1e6 + 0.5));
}

inline MarketInfo kalshi_market(std::string key, std::string event_key, WallNanos close) {
  MarketInfo m;
  m.venue = Venue::kalshi;
  m.key = key;
  m.market_key = std::move(key);
  m.event_key = std::move(event_key);
  m.close_time = close;
  m.tick = Price{10};  // 0.1 cent
  return m;
}

inline MarketInfo polymarket_token(std::string key, std::string event_key, WallNanos close) {
  MarketInfo m;
  m.venue = Venue::polymarket;
  m.key = std::move(key);
  m.event_key = std::move(event_key);
  m.close_time = close;
  m.tick = Price{10};
  return m;
}

// What the engine sent, in order.
struct Recorder {
  std::vector<OrderIntent> intents;
  std::vector<Opportunity> opportunities;

  void clear() {
    intents.clear();
    opportunities.clear();
  }
};

inline void send(StrategyEngine& engine, const MarketEvent& event, WallNanos now, Recorder& out) {
  engine.on_market_event(
      event, now, [&](const OrderIntent& i) { out.intents.push_back(i); },
      [&](const Opportunity& o) { out.opportunities.push_back(o); });
}

struct PriceSize {
  double price;
  double size;
};

// A Kalshi snapshot of YES bids and NO bids, each in its own outcome's prices.
inline void kalshi_snapshot(StrategyEngine& engine, InstrumentId id,
                            std::initializer_list<PriceSize> yes_bids,
                            std::initializer_list<PriceSize> no_bids, WallNanos now, Recorder& out) {
  MarketEvent e;
  e.venue = Venue::kalshi;
  e.instrument = id;
  e.type = EventType::snapshot_begin;
  send(engine, e, now, out);
  e.type = EventType::snapshot_level;
  e.book_side = BookSide::bid;
  for (const auto& [outcome, levels] : {std::pair{Outcome::yes, yes_bids}, std::pair{Outcome::no, no_bids}}) {
    for (const PriceSize& level : levels) {
      e.outcome = outcome;
      e.price = dollars(level.price);
      e.qty = contracts(level.size);
      send(engine, e, now, out);
    }
  }
  e.type = EventType::snapshot_end;
  send(engine, e, now, out);
}

// A Kalshi orderbook_delta: the level's size changes by `change` contracts.
inline void kalshi_delta(StrategyEngine& engine, InstrumentId id, Outcome outcome, double price,
                         double change, WallNanos now, Recorder& out) {
  MarketEvent e;
  e.type = EventType::level_delta;
  e.venue = Venue::kalshi;
  e.instrument = id;
  e.outcome = outcome;
  e.book_side = BookSide::bid;
  e.price = dollars(price);
  e.qty = Qty{change >= 0 ? contracts(change).units : -contracts(-change).units};
  send(engine, e, now, out);
}

inline void mark_stale(StrategyEngine& engine, InstrumentId id, WallNanos now, Recorder& out) {
  MarketEvent e;
  e.type = EventType::stale;
  e.venue = Venue::kalshi;
  e.instrument = id;
  e.stale_reason = StaleReason::sequence_gap;
  send(engine, e, now, out);
}

// The gateway's answer to an intent: filled whole at `price`.
inline ExecReport fill_of(const OrderIntent& intent, Price price, Money fee = Money{}) {
  ExecReport r = report_for(intent, ExecType::fill, WallNanos{});
  r.fill_price = price;
  r.fill_qty = intent.qty;
  r.cumulative_qty = intent.qty;
  r.fee = fee;
  return r;
}

inline ExecReport cancel_of(const OrderIntent& intent) {
  ExecReport r = fill_of(intent, Price{});
  r.type = ExecType::cancelled;
  r.fill_qty = Qty{};
  r.cumulative_qty = Qty{};
  return r;
}

}  // namespace pmx::test
