// A small market universe with every detector over it, and random books: the ground for the
// property test (no negative EV, no leg beyond the depth) and the no-allocation test.
//
//   bundle      Kalshi event BUNDLE (mutually exclusive): B0 B1 B2
//   cross-venue Kalshi X <-> Polymarket tokens XY (YES, with a fee rate) / XN (NO)
//   ladder      Kalshi event LADDER, "above" 10 / 20 / 30: L0 L1 L2
//   grinding    Kalshi G, closing within 24 h, asks near $1
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/strategy/bundle_arbitrage.h"
#include "pmx/strategy/cross_venue.h"
#include "pmx/strategy/grinding.h"
#include "pmx/strategy/monotonicity.h"

#include "strategy_test_util.h"

namespace pmx::test {

struct RandomWorld {
  static constexpr WallNanos kNow{1'800'000'000'000'000'000};

  MarketUniverse universe;
  BookSet books{false};
  std::array<InstrumentId, 3> bundle{}, ladder{};
  InstrumentId cross{}, cross_yes{}, cross_no{}, grind{};
  std::vector<InstrumentId> all;

  RandomWorld() {
    EventInfo event{Venue::kalshi, "BUNDLE", "bundle", true, {}};
    for (int i = 0; i < 3; ++i) {
      bundle[i] = add(market(Venue::kalshi, "B" + std::to_string(i), "BUNDLE", close(500)));
      event.members.push_back(bundle[i]);
    }
    universe.add_event(event);
    cross = add(market(Venue::kalshi, "X", "XE", close(300)));
    MarketInfo yes = market(Venue::polymarket, "1001", "xe", close(300));
    yes.fees.polymarket_rate = 0.02;  // exercise a Polymarket fee
    cross_yes = add(yes);
    cross_no = add(market(Venue::polymarket, "1002", "xe", close(300)));
    for (int i = 0; i < 3; ++i) {
      MarketInfo m = market(Venue::kalshi, "L" + std::to_string(i), "LADDER", close(200));
      m.strike_type = StrikeType::greater;
      m.floor_strike = 10.0 * (i + 1);
      ladder[i] = add(m);
    }
    grind = add(market(Venue::kalshi, "G", "GE", close(5)));
  }

  static WallNanos close(int hours) { return WallNanos{kNow.ns + hours * kHour}; }

  InstrumentId add(const MarketInfo& m) {
    const InstrumentId id = universe.add_market(m);
    books.ensure(id, m.venue, Price::from_ticks(10));
    all.push_back(id);
    return id;
  }

  // Fresh random books for every instrument. Levels are whole 0.1¢ ticks; Kalshi sizes are whole
  // 0.01 contracts, Polymarket sizes multiples of 0.0001 (so the set walk must floor to its lot).
  void randomize(std::mt19937_64& rng) {
    for (const InstrumentId id : all) {
      const bool near_one = id == grind;
      const Venue venue = books.venue(id);
      MarketEvent e;
      e.venue = venue;
      e.instrument = id;
      e.type = EventType::snapshot_begin;
      books.apply(e);
      e.type = EventType::snapshot_level;
      for (int side = 0; side < 2; ++side) {
        const int levels = static_cast<int>(rng() % 6);
        for (int l = 0; l < levels; ++l) {
          // An ask (or Kalshi NO bid) in [0.001, 0.999]; grinding asks mostly in [0.90, 0.999].
          const int32_t ticks = near_one && side == 1 ? static_cast<int32_t>(9000 + rng() % 999 / 10 * 10)
                                                      : static_cast<int32_t>(10 + rng() % 999 * 10);
          const int64_t units = venue == Venue::kalshi ? static_cast<int64_t>(1 + rng() % 500'000) * 10'000
                                                       : static_cast<int64_t>(1 + rng() % 50'000'000) * 100;
          e.qty = Qty{units};
          if (venue == Venue::kalshi) {
            // side 0: YES bids; side 1: NO bids, i.e. YES asks at $1 - price.
            e.outcome = side == 0 ? Outcome::yes : Outcome::no;
            e.price = side == 0 ? Price{ticks} : Price{Price::kTicksPerDollar - ticks};
          } else {
            e.book_side = side == 0 ? BookSide::bid : BookSide::ask;
            e.price = Price{ticks};
          }
          books.apply(e);
        }
      }
      e.type = EventType::snapshot_end;
      books.apply(e);
    }
  }
};

}  // namespace pmx::test
