// A universe with every kind of decision in it, and a seeded stream of random book updates over
// it: the ground for the engine's property test and its no-allocation test.
//
//   bundles      3 Kalshi mutually exclusive events of 3 markets, 1 Polymarket neg-risk event of 3 tokens
//   cross-venue  2 pairs: Kalshi Xi <-> Polymarket tokens XYi (YES, with a fee rate) / XNi (NO)
//   ladders      2 Kalshi "above" ladders of 3 strikes
//   grinding     3 Kalshi markets and 1 Polymarket token closing within 24 h, books near $1
//
// The stream is generated up front from a shadow of the intended books (so feeding it allocates
// nothing): snapshots of every book, then level changes (Kalshi signed deltas, Polymarket absolute
// sizes), trades, the odd stale book and the snapshot that rebuilds it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/cross_venue_mapping.h"

#include "engine_test_util.h"

namespace pmx::test {

struct TimedEvent {
  MarketEvent event;
  WallNanos now;
};

class RandomEngineWorld {
 public:
  MarketUniverse universe;
  std::vector<CrossVenuePair> pairs;
  std::vector<InstrumentId> all;
  std::vector<uint8_t> near_one;  // by id: a grinding market (books near $1)

  RandomEngineWorld() {
    const WallNanos week{kNoon.ns + 168 * kHour};
    for (int b = 0; b < 3; ++b) {
      const std::string event_key = "BUN" + std::to_string(b);
      EventInfo event{Venue::kalshi, event_key, event_key, true, {}};
      for (int i = 0; i < 3; ++i)
        event.members.push_back(add(kalshi_market(event_key + "-" + std::to_string(i), event_key, week)));
      universe.add_event(event);
    }
    {
      EventInfo event{Venue::polymarket, "negrisk", "negrisk", true, {}};
      for (int i = 0; i < 3; ++i)
        event.members.push_back(add(polymarket_token("77" + std::to_string(i), "negrisk", week)));
      universe.add_event(event);
    }
    for (int p = 0; p < 2; ++p) {
      const std::string n = std::to_string(p);
      add(kalshi_market("X" + n, "XE" + n, week));
      MarketInfo yes = polymarket_token("90" + n, "xe" + n, week);
      yes.fees.polymarket_rate = 0.02;
      const InstrumentId yes_id = add(yes);
      MarketInfo no = polymarket_token("91" + n, "xe" + n, week);
      no.complement = yes_id;
      const InstrumentId no_id = add(no);
      universe.mutable_market(yes_id)->complement = no_id;
      pairs.push_back(CrossVenuePair{"pair" + n, "X" + n, "90" + n, "91" + n, "src", "src", week, week});
    }
    for (int l = 0; l < 2; ++l) {
      const std::string event_key = "LAD" + std::to_string(l);
      for (int i = 0; i < 3; ++i) {
        MarketInfo m = kalshi_market(event_key + "-" + std::to_string(i), event_key, week);
        m.strike_type = StrikeType::greater;
        m.floor_strike = 10.0 * (i + 1);
        add(m);
      }
    }
    for (int g = 0; g < 3; ++g) {
      const InstrumentId id = add(kalshi_market("G" + std::to_string(g), "GE" + std::to_string(g),
                                                WallNanos{kNoon.ns + (2 + 7 * g) * kHour}));
      near_one[id.value] = 1;
    }
    const InstrumentId token = add(polymarket_token("8800", "ge-poly", WallNanos{kNoon.ns + 3 * kHour}));
    near_one[token.value] = 1;
  }

  // `steps` random changes after an initial snapshot of every book, from `start`.
  std::vector<TimedEvent> stream(uint64_t seed, int steps, WallNanos start) {
    std::mt19937_64 rng(seed);
    std::vector<TimedEvent> out;
    out.reserve(static_cast<size_t>(steps) * 2 + 1000);
    WallNanos now = start;
    shadow_.clear();
    std::vector<uint8_t> stale(near_one.size(), 0);
    for (const InstrumentId id : all) {
      for (int side = 0; side < 2; ++side) {
        const int levels = 1 + static_cast<int>(rng() % 4);
        for (int l = 0; l < levels; ++l)
          shadow_[key(id, side)][random_price(rng, id, side)] = random_units(rng, id);
      }
      snapshot(id, now, out);
    }
    for (int step = 0; step < steps; ++step) {
      now = WallNanos{now.ns + static_cast<int64_t>(1 + rng() % 20) * kMilli};
      const InstrumentId id = all[rng() % all.size()];
      const uint64_t roll = rng() % 1000;
      if (roll < 3) {  // the book goes stale (a gap)
        MarketEvent e = base(id, EventType::stale);
        e.stale_reason = StaleReason::sequence_gap;
        out.push_back({e, now});
        stale[id.value] = 1;
      } else if (roll < 15) {  // a snapshot rebuilds a stale book
        for (const InstrumentId s : all) {
          if (stale[s.value] == 0) continue;
          snapshot(s, now, out);
          stale[s.value] = 0;
          break;
        }
      } else if (roll < 60) {  // a trade
        MarketEvent e = base(id, EventType::trade);
        e.price = Price{random_price(rng, id, 1)};
        e.qty = Qty{random_units(rng, id)};
        out.push_back({e, now});
      } else {
        level_change(rng, id, now, out);
      }
    }
    return out;
  }

 private:
  using Side = std::map<int32_t, int64_t>;  // price ticks -> size units

  InstrumentId add(const MarketInfo& m) {
    const InstrumentId id = universe.add_market(m);
    all.push_back(id);
    if (near_one.size() <= id.value) near_one.resize(id.value + 1, 0);
    return id;
  }
  Venue venue_of(InstrumentId id) const { return universe.market(id)->venue; }
  static uint64_t key(InstrumentId id, int side) {
    return uint64_t{id.value} * 2 + static_cast<uint64_t>(side);
  }

  MarketEvent base(InstrumentId id, EventType type) const {
    MarketEvent e;
    e.type = type;
    e.venue = venue_of(id);
    e.instrument = id;
    return e;
  }

  // side 0: YES bids (Kalshi) / bids (Polymarket); side 1: NO bids in NO prices / asks.
  int32_t random_price(std::mt19937_64& rng, InstrumentId id, int side) const {
    if (near_one[id.value] == 0) return static_cast<int32_t>(10 + rng() % 999 * 10);
    // Near $1: YES bids 0.85-0.99; YES asks 0.90-0.999 (Kalshi: NO bids 0.001-0.10).
    const int32_t yes = side == 0 ? static_cast<int32_t>(8500 + rng() % 141 * 10)
                                  : static_cast<int32_t>(9000 + rng() % 100 * 10);
    return side == 1 && venue_of(id) == Venue::kalshi ? Price::kTicksPerDollar - yes : yes;
  }
  // Kalshi: whole 0.01 contracts; Polymarket: multiples of 0.0001 (the set walk floors to lots).
  int64_t random_units(std::mt19937_64& rng, InstrumentId id) const {
    return venue_of(id) == Venue::kalshi ? static_cast<int64_t>(1 + rng() % 300'000) * 10'000
                                         : static_cast<int64_t>(1 + rng() % 30'000'000) * 100;
  }

  MarketEvent level_event(InstrumentId id, int side, int32_t price, int64_t units) const {
    MarketEvent e = base(id, venue_of(id) == Venue::kalshi ? EventType::level_delta : EventType::level_set);
    e.price = Price{price};
    e.qty = Qty{units};
    if (e.venue == Venue::kalshi) {
      e.outcome = side == 0 ? Outcome::yes : Outcome::no;
      e.book_side = BookSide::bid;
    } else {
      e.book_side = side == 0 ? BookSide::bid : BookSide::ask;
    }
    return e;
  }

  void level_change(std::mt19937_64& rng, InstrumentId id, WallNanos now, std::vector<TimedEvent>& out) {
    const int side = static_cast<int>(rng() % 2);
    Side& levels = shadow_[key(id, side)];
    int32_t price = 0;
    int64_t size = 0;
    if (!levels.empty() && (levels.size() >= 8 || rng() % 10 < 4)) {  // remove a level
      auto it = levels.begin();
      std::advance(it, static_cast<long>(rng() % levels.size()));
      price = it->first;
    } else {
      price = random_price(rng, id, side);
      size = random_units(rng, id);
    }
    const int64_t old = levels.count(price) != 0 ? levels[price] : 0;
    if (size == 0) {
      levels.erase(price);
    } else {
      levels[price] = size;
    }
    const int64_t change = venue_of(id) == Venue::kalshi ? size - old : size;
    if (venue_of(id) == Venue::kalshi && change == 0) return;
    out.push_back({level_event(id, side, price, change), now});
  }

  void snapshot(InstrumentId id, WallNanos now, std::vector<TimedEvent>& out) {
    out.push_back({base(id, EventType::snapshot_begin), now});
    for (int side = 0; side < 2; ++side) {
      for (const auto& [price, units] : shadow_[key(id, side)]) {
        MarketEvent e = level_event(id, side, price, units);
        e.type = EventType::snapshot_level;
        out.push_back({e, now});
      }
    }
    out.push_back({base(id, EventType::snapshot_end), now});
  }

  std::map<uint64_t, Side> shadow_;
};

}  // namespace pmx::test
