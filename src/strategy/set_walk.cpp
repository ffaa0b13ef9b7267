#include "pmx/strategy/set_walk.h"

#include <algorithm>
#include <array>

#include "pmx/strategy/depth.h"
#include "pmx/strategy/opportunity.h"

namespace pmx {
namespace {

// Segment boundaries kept for the fallback; a walk stops after this many segments, which only
// makes its answer smaller (never wrong).
constexpr size_t kMaxSegments = 64;
constexpr int64_t kMicrosPerTick = Money::kMicrosPerDollar / Price::kTicksPerDollar;

Qty floor_to_lot(Qty q, Qty lot) noexcept {
  if (lot.units <= 1) return q;
  return Qty{q.units / lot.units * lot.units};
}

// Prices `sets` on every leg exactly; true when cost + fees < (payout - min profit) x sets.
bool price_sets(std::span<const SetLeg> legs, const SetWalkLimits& limits, Qty sets,
                std::span<SetLegFill> fills, SetWalkResult& result) noexcept {
  if (sets.units <= 0) return false;
  Money cost{};
  Money fees{};
  for (size_t i = 0; i < legs.size(); ++i) {
    fills[i].walk = walk_levels(legs[i].levels, sets);
    if (fills[i].walk.filled != sets) return false;  // cannot happen below the walk's own size
    fills[i].fee = taker_fee_of_walk(legs[i].levels, sets, legs[i].venue, *legs[i].fees);
    cost = cost + fills[i].walk.cost;
    fees = fees + fills[i].fee;
  }
  const Int128 spent = static_cast<Int128>((cost + fees).micros) * Qty::kUnitsPerContract;
  const Int128 allowed =
      static_cast<Int128>((limits.payout_per_set - limits.min_profit_per_set).micros) * sets.units;
  if (spent >= allowed) return false;
  result.sets = sets;
  result.cost = cost;
  result.fees = fees;
  return true;
}

}  // namespace

SetWalkResult walk_full_sets(std::span<const SetLeg> legs, const SetWalkLimits& limits,
                             std::span<SetLegFill> fills) noexcept {
  SetWalkResult result;
  const size_t n = legs.size();
  if (n == 0 || n > Opportunity::kMaxLegs || fills.size() < n) return result;

  struct Cursor {
    size_t level = 0;
    int64_t left = 0;        // size left at the current level
    int64_t fee_micros = 0;  // marginal fee per contract at the current level
  };
  std::array<Cursor, Opportunity::kMaxLegs> cursor{};
  for (size_t i = 0; i < n; ++i) {
    if (legs[i].levels.empty() || legs[i].fees == nullptr) return result;
    const Level& first = legs[i].levels[0];
    cursor[i] = Cursor{0, first.qty.units, marginal_fee_micros(legs[i].venue, first.price, *legs[i].fees)};
  }

  const int64_t max_cost_micros = (limits.payout_per_set - limits.min_profit_per_set).micros;
  std::array<int64_t, kMaxSegments> boundary{};
  size_t segments = 0;
  int64_t sets = 0;
  bool first_segment = true;
  while (segments < kMaxSegments && sets < limits.max_sets.units) {
    int64_t marginal = 0;
    int64_t step = limits.max_sets.units - sets;
    for (size_t i = 0; i < n; ++i) {
      marginal +=
          int64_t{legs[i].levels[cursor[i].level].price.ticks} * kMicrosPerTick + cursor[i].fee_micros;
      step = std::min(step, cursor[i].left);
    }
    if (first_segment) {
      result.any_edge = marginal < limits.payout_per_set.micros;
      first_segment = false;
    }
    if (marginal >= max_cost_micros || step <= 0) break;
    sets += step;
    boundary[segments++] = sets;
    bool exhausted = false;
    for (size_t i = 0; i < n; ++i) {
      cursor[i].left -= step;
      if (cursor[i].left > 0) continue;
      if (++cursor[i].level == legs[i].levels.size()) {
        exhausted = true;
        continue;
      }
      const Level& next = legs[i].levels[cursor[i].level];
      cursor[i].left = next.qty.units;
      cursor[i].fee_micros = marginal_fee_micros(legs[i].venue, next.price, *legs[i].fees);
    }
    if (exhausted) break;
  }

  // The largest boundary (floored to the lot) whose exact totals still clear the bar.
  const bool any_edge = result.any_edge;
  Qty previous{-1};
  for (size_t s = segments; s-- > 0;) {
    const Qty candidate = floor_to_lot(Qty{boundary[s]}, limits.lot);
    if (candidate == previous) continue;
    previous = candidate;
    if (price_sets(legs, limits, candidate, fills, result)) return result;
  }
  result = SetWalkResult{};
  result.any_edge = any_edge;
  return result;
}

}  // namespace pmx
