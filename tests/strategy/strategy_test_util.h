// Test helpers: books written through BookSet's own events (as the feeds write them), and
// markets added to a MarketUniverse in one line.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>

#include "pmx/book/book_set.h"
#include "pmx/feed/market_info.h"

namespace pmx::test {

// A price in dollars with up to 4 decimals ("0.4800" -> 4800 ticks): tests spell prices the way
// a trader reads them.
inline Price dollars(double d) {
  return Price::from_ticks(static_cast<int32_t>(d * 10'000.0 + (d >= 0 ? 0.5 : -0.5)));
}
inline Qty contracts(double c) {
  return Qty::from_units(static_cast<int64_t>(c * 1e6 + 0.5));
}

struct PriceSize {
  double price;
  double size;
};

// Replaces a Kalshi book with a snapshot of YES bids and NO bids (each in its outcome's prices).
inline void kalshi_snapshot(BookSet& books, InstrumentId id, std::initializer_list<PriceSize> yes_bids,
                            std::initializer_list<PriceSize> no_bids) {
  MarketEvent e;
  e.venue = Venue::kalshi;
  e.instrument = id;
  e.type = EventType::snapshot_begin;
  books.apply(e);
  e.type = EventType::snapshot_level;
  e.book_side = BookSide::bid;
  for (const auto& [outcome, levels] : {std::pair{Outcome::yes, yes_bids}, std::pair{Outcome::no, no_bids}}) {
    for (const PriceSize& level : levels) {
      e.outcome = outcome;
      e.price = dollars(level.price);
      e.qty = contracts(level.size);
      books.apply(e);
    }
  }
  e.type = EventType::snapshot_end;
  books.apply(e);
}

// Replaces a Polymarket token's book with a snapshot of bids and asks.
inline void polymarket_snapshot(BookSet& books, InstrumentId id, std::initializer_list<PriceSize> bids,
                                std::initializer_list<PriceSize> asks) {
  MarketEvent e;
  e.venue = Venue::polymarket;
  e.instrument = id;
  e.type = EventType::snapshot_begin;
  books.apply(e);
  e.type = EventType::snapshot_level;
  e.outcome = Outcome::yes;
  for (const auto& [side, levels] : {std::pair{BookSide::bid, bids}, std::pair{BookSide::ask, asks}}) {
    for (const PriceSize& level : levels) {
      e.book_side = side;
      e.price = dollars(level.price);
      e.qty = contracts(level.size);
      books.apply(e);
    }
  }
  e.type = EventType::snapshot_end;
  books.apply(e);
}

inline MarketInfo market(Venue venue, std::string key, std::string event_key = {}, WallNanos close = {}) {
  MarketInfo m;
  m.venue = venue;
  m.key = std::move(key);
  m.event_key = std::move(event_key);
  m.close_time = close;
  return m;
}

inline constexpr int64_t kHour = 3'600'000'000'000;
inline constexpr WallNanos kNow{1'800'000'000'000'000'000};  // 2027-01-15, the tests' clock

}  // namespace pmx::test
