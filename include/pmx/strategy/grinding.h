// Grinding: near expiry, buy an outcome the model thinks is almost certain, for the small edge
// between its probability and its ask.
//
// Within `window_hours` of the market's close, with h the hours left, the outcome qualifies when
// its probability p (the fair value, passed in) is above
//
//     threshold(h) = base + (1 - base) x (1 - h / window_hours)
//
// (base 0.90, window 24: 90% at 24 h, 95% at 12 h, 97.5% at 6 h, 99.583% at 1 h; the spec's table
// rounds the last to 99.0%, the formula is authoritative). The size is the largest the ask side
// allows while the expected value net of fees stays at or above the minimum, as a fraction of the
// money put down (cost + fees, the "size"):
//
//     EV = p x $1 x Q - cost(Q) - fees(Q)  >=  min_ev_base x (1 + size / capital) x size
//
// and the levels at or below the limit price hold at least `min_liquidity` of notional.
#pragma once

#include <cstddef>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/core/config.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/opportunity.h"

namespace pmx {

class GrindingDetector {
 public:
  // Start-up: sizes the scratch levels; throws std::invalid_argument for an unusable config.
  explicit GrindingDetector(const GrindingConfig& config, size_t max_levels = 32,
                            Qty lot = Qty::from_units(10'000));

  // Buying `outcome` of `market` (a Polymarket token: Outcome::yes; its NO is the complement
  // token, evaluated with 1 - p), given the model's probability of that outcome. Fills `out`
  // only when emitted. Allocation-free.
  Verdict detect(const BookSet& books, const MarketInfo& market, Outcome outcome, double probability,
                 Money capital, WallNanos now, Opportunity& out) noexcept;

  // base + (1 - base) x (1 - hours / window_hours).
  static double threshold(double hours_to_expiry, const GrindingConfig& config) noexcept;
  // min_ev_base x (1 + size / capital).
  static double min_ev_fraction(Money size, Money capital, const GrindingConfig& config) noexcept;

  const VerdictCounters& counters() const noexcept { return counters_; }

 private:
  GrindingConfig config_;
  Qty lot_;
  std::vector<Level> levels_;  // scratch, sized at construction
  OpportunitySequence ids_{StrategyKind::grinding};
  VerdictCounters counters_;
};

}  // namespace pmx
