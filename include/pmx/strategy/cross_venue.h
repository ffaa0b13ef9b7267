// Cross-venue arbitrage: a Kalshi market and a Polymarket market that are the same contract (a
// pair of the mapping file, pmx/strategy/cross_venue_mapping.h) pay $1 between them when one
// buys YES on one venue and NO on the other. Both directions are checked:
//
//   Kalshi YES (the NO bids, at $1 - p)  +  Polymarket NO token (its asks)
//   Kalshi NO  (the YES bids, at $1 - p) +  Polymarket YES token (its asks)
//
// and a set is bought when its depth-walked cost plus both venues' fees is below
// $1 - min_profit_per_set (pmx/strategy/set_walk.h). Legs are fill-or-kill and flagged
// kIntentArbitrageLeg: the gateway unwinds a filled leg whose partner did not fill.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/cross_venue_mapping.h"
#include "pmx/strategy/full_set_arbitrage.h"
#include "pmx/strategy/instrument_index.h"
#include "pmx/strategy/opportunity.h"
#include "pmx/strategy/set_walk.h"

namespace pmx {

class CrossVenueArbitrage {
 public:
  // Start-up: resolves each accepted pair's ticker and tokens in the universe. A pair with an
  // instrument the universe does not know is left out and listed in unresolved(). Throws
  // std::invalid_argument for an unusable config.
  CrossVenueArbitrage(const MarketUniverse& universe, const std::vector<CrossVenuePair>& pairs,
                      const ArbitrageParams& config);

  size_t pair_count() const noexcept { return pairs_.size(); }
  std::span<const uint32_t> pairs_containing(InstrumentId instrument) const noexcept {
    return index_.groups_of(instrument);
  }
  const std::vector<RefusedPair>& unresolved() const noexcept { return unresolved_; }

  // Checks both directions of one pair; emits the one with the larger expected value. Fills
  // `out` only when emitted. Allocation-free.
  Verdict detect(size_t pair, const BookSet& books, WallNanos now, Opportunity& out) noexcept;

  const VerdictCounters& counters() const noexcept { return counters_; }

 private:
  struct Pair {
    InstrumentId kalshi{};
    InstrumentId polymarket_yes{};
    InstrumentId polymarket_no{};
    FeeParams kalshi_fees;
    FeeParams polymarket_yes_fees;
    FeeParams polymarket_no_fees;
    WallNanos expiry{};
  };

  ArbitrageParams config_;
  std::vector<Pair> pairs_;
  InstrumentIndex index_;
  std::vector<Level> scratch_;
  Opportunity other_{};  // the second direction's candidate
  std::vector<RefusedPair> unresolved_;
  OpportunitySequence ids_{StrategyKind::cross_venue_arb};
  VerdictCounters counters_;
};

}  // namespace pmx
