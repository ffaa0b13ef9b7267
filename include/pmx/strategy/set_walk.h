// The full-set walk shared by the arbitrage detectors: buy one unit of every leg ("a set") whose
// payout is guaranteed (bundle: exactly one outcome of the event pays $1; cross-venue: YES here
// plus NO there; monotonicity: YES on the lower strike plus NO on the higher), and find how many
// sets the books allow at a profit.
//
// The walk goes through the legs' levels together, cheapest first. Between two level boundaries
// every extra set costs the same: the sum of each leg's current level price plus each leg's
// marginal fee. It keeps adding sets while that marginal set costs less than
//
//     payout - min_profit_per_set
//
// and stops at the first segment where it does not, or when a leg runs out of copied levels.
// The answer is then floored to whole lots and priced exactly (depth-walked cost, per-level
// rounded fees); it is returned only if the exact totals still satisfy
//
//     cost + fees < (payout - min_profit_per_set) x sets      (strictly; so EV > 0 always)
//
// and otherwise the walk falls back to the largest earlier segment boundary that does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "pmx/book/book_types.h"
#include "pmx/core/types.h"
#include "pmx/feed/market_info.h"

namespace pmx {

// Parameters every arbitrage detector takes (bundle, cross-venue, monotonicity). Start-up data;
// not (yet) keys of pmx::Config.
struct ArbitrageParams {
  Money min_profit_per_set = Money::from_micros(10'000);  // $0.01 on a $1 set
  Money min_leg_liquidity = Money::dollars(100);          // each leg, at or below its limit price
  Qty lot = Qty::from_units(10'000);                      // sizes are whole 0.01 contracts
  size_t max_levels = 32;                                 // levels copied per leg
};

struct SetLeg {
  std::span<const Level> levels;  // the leg's buy levels, cheapest first (buy_levels)
  Venue venue = Venue::kalshi;
  const FeeParams* fees = nullptr;  // must be set
};

struct SetLegFill {
  WalkResult walk;  // cost and worst price of this leg for `sets`
  Money fee{};
};

struct SetWalkResult {
  Qty sets{};  // 0: no profitable size
  Money cost{};
  Money fees{};
  bool any_edge = false;  // the first set alone was below payout before min_profit
};

struct SetWalkLimits {
  Money payout_per_set = Money::dollars(1);
  Money min_profit_per_set{};
  Qty lot = Qty::from_units(10'000);
  Qty max_sets{INT64_MAX};
};

// `fills` must hold legs.size() entries; fills[i] is leg i's fill for the returned size.
// Allocation-free; at most one pass over the copied levels plus one exact pricing per fallback.
SetWalkResult walk_full_sets(std::span<const SetLeg> legs, const SetWalkLimits& limits,
                             std::span<SetLegFill> fills) noexcept;

}  // namespace pmx
