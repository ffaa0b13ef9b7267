// Monotonicity (Dutch book) on strike ladders: for the "above X" markets of one Kalshi event
// (strike_type greater or greater_or_equal), P(above a lower strike) >= P(above a higher one).
// When the lower strike's YES ask is below the higher strike's YES bid, buying YES on the lower
// strike and NO on the higher (NO ask = $1 - that YES bid) costs less than $1 and pays at least
// $1 in every state:
//
//   outcome below both strikes     YES lower 0 + NO higher 1 = $1
//   between the strikes            YES lower 1 + NO higher 1 = $2
//   above both strikes             YES lower 1 + NO higher 0 = $1
//
// It is traded as a full set (pmx/strategy/set_walk.h) when cost plus fees stays below
// $1 - min_profit_per_set; the expected value counts the guaranteed $1 only.
//
// Ladders are built once from the MarketUniverse at construction: markets grouped by event,
// ordered by floor_strike; an event with fewer than two distinct strikes is no ladder. Equal
// strikes are never paired. ("Below X" ladders, strike_type less/less_or_equal, are not checked.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/full_set_arbitrage.h"
#include "pmx/strategy/instrument_index.h"
#include "pmx/strategy/opportunity.h"
#include "pmx/strategy/set_walk.h"

namespace pmx {

class MonotonicityArbitrage {
 public:
  // Start-up: builds the ladders and sizes the scratch buffers; throws std::invalid_argument for
  // an unusable config.
  MonotonicityArbitrage(const MarketUniverse& universe, const ArbitrageParams& config);

  size_t ladder_count() const noexcept { return ladders_.size(); }
  size_t rung_count(size_t ladder) const noexcept { return ladders_[ladder].rung_count; }
  const std::string& event_key(size_t ladder) const noexcept { return ladders_[ladder].event_key; }
  // The ladder's instruments, lowest strike first.
  InstrumentId rung(size_t ladder, size_t index) const noexcept {
    return rungs_[ladders_[ladder].first_rung + index].id;
  }

  // The best violation involving `updated` (its book just moved): it against every other rung of
  // its ladder. Fills `out` only when emitted. Allocation-free.
  Verdict detect_for(InstrumentId updated, const BookSet& books, WallNanos now, Opportunity& out) noexcept;
  // The best violation among every pair of rungs of one ladder.
  Verdict detect_ladder(size_t ladder, const BookSet& books, WallNanos now, Opportunity& out) noexcept;

  const VerdictCounters& counters() const noexcept { return counters_; }

 private:
  struct Ladder {
    std::string event_key;
    uint32_t first_rung = 0;
    uint32_t rung_count = 0;
  };
  struct Rung {
    InstrumentId id{};
    double strike = 0.0;
    FeeParams fees;
    WallNanos close_time{};
  };

  // Evaluates lower (YES) against higher (NO); keeps the better of it and `best` in out.
  Verdict check_pair(const Rung& lower, const Rung& higher, const BookSet& books, Opportunity& out,
                     bool& have_best) noexcept;
  Verdict finish(Verdict verdict, bool have_best, WallNanos now, Opportunity& out) noexcept;

  ArbitrageParams config_;
  std::vector<Ladder> ladders_;
  std::vector<Rung> rungs_;
  std::vector<uint32_t> ladder_of_rung_;
  InstrumentIndex index_;  // instrument -> its rung (global index into rungs_)
  std::vector<Level> scratch_;
  Opportunity candidate_{};
  OpportunitySequence ids_{StrategyKind::monotonicity};
  VerdictCounters counters_;
};

}  // namespace pmx
