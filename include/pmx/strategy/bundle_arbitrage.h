// Bundle arbitrage: in an event whose outcomes are mutually exclusive (Kalshi `mutually_exclusive`
// events; Polymarket neg-risk events), exactly one outcome pays $1, so one YES of every outcome
// (a "set") is worth $1. When the depth-walked cost of a set plus each leg's fee is below
// $1 - min_profit_per_set, buy sets: as many as the thinnest leg allows, walked level by level,
// stopping when the marginal set is no longer profitable (pmx/strategy/set_walk.h). Every leg
// must have at least min_leg_liquidity of notional at or below its limit price.
//
// Caveat the mapping cannot see: the payout is $1 only if the listed outcomes are also
// exhaustive. An event whose winner may be none of its markets pays $0 on that branch.
//
// Bundles are built once from the MarketUniverse at construction: one per mutually exclusive
// event with 2 to Opportunity::kMaxLegs members (Kalshi: each market's YES; Polymarket: each YES
// token). Larger events are skipped and listed in skipped().
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

class BundleArbitrage {
 public:
  // Start-up: allocates every table and scratch buffer; throws std::invalid_argument for an
  // unusable config.
  BundleArbitrage(const MarketUniverse& universe, const ArbitrageParams& config);

  size_t bundle_count() const noexcept { return bundles_.size(); }
  // The bundles `instrument` is a leg of (empty for none): what to re-check after its book moved.
  std::span<const uint32_t> bundles_containing(InstrumentId instrument) const noexcept {
    return index_.groups_of(instrument);
  }
  // The event key of a bundle, for logs and tools.
  const std::string& event_key(size_t bundle) const noexcept { return bundles_[bundle].event_key; }
  // Events not made into bundles, with the reason ("KXFOO-26: 12 markets, more than 8 legs").
  const std::vector<std::string>& skipped() const noexcept { return skipped_; }

  // Checks one bundle against the books; fills `out` only when emitted. Allocation-free.
  Verdict detect(size_t bundle, const BookSet& books, WallNanos now, Opportunity& out) noexcept;

  const VerdictCounters& counters() const noexcept { return counters_; }

 private:
  struct Bundle {
    std::string event_key;
    uint32_t first_leg = 0;
    uint32_t leg_count = 0;
    WallNanos expiry{};
  };

  ArbitrageParams config_;
  std::vector<Bundle> bundles_;
  std::vector<FeeParams> fees_;     // one per leg
  std::vector<ArbitrageLeg> legs_;  // bundles_[b]'s legs are [first_leg, first_leg + leg_count)
  InstrumentIndex index_;           // instrument -> bundles
  std::vector<Level> scratch_;
  std::vector<std::string> skipped_;
  OpportunitySequence ids_{StrategyKind::bundle_arb};
  VerdictCounters counters_;
};

}  // namespace pmx
