#include "pmx/strategy/full_set_arbitrage.h"

#include <array>
#include <cmath>
#include <stdexcept>

#include "pmx/strategy/depth.h"

namespace pmx {

Verdict find_full_set_arbitrage(std::span<const ArbitrageLeg> legs, const BookSet& books,
                                const ArbitrageParams& config, std::span<Level> scratch,
                                StrategyKind strategy, Opportunity& out) noexcept {
  const size_t n = legs.size();
  if (n < 2 || n > Opportunity::kMaxLegs || scratch.size() < n * config.max_levels) return Verdict::bad_input;

  // Most calls end here: the first set, at each leg's best level plus its marginal fee, already
  // misses the bar. Checked from the tops of the books, before copying any depth.
  int64_t first_set_micros = 0;
  for (size_t i = 0; i < n; ++i) {
    const Level best = best_buy_level(books, legs[i].instrument, legs[i].outcome);
    if (!best.valid()) return Verdict::stale_book;
    first_set_micros += int64_t{best.price.ticks} * (Money::kMicrosPerDollar / Price::kTicksPerDollar) +
                        marginal_fee_micros(legs[i].venue, best.price, *legs[i].fees);
  }
  if (first_set_micros >= Money::kMicrosPerDollar) return Verdict::no_edge;
  if (first_set_micros >= (Money::dollars(1) - config.min_profit_per_set).micros)
    return Verdict::below_min_ev;

  std::array<SetLeg, Opportunity::kMaxLegs> set_legs{};
  for (size_t i = 0; i < n; ++i) {
    const std::span<Level> levels = scratch.subspan(i * config.max_levels, config.max_levels);
    const size_t count = buy_levels(books, legs[i].instrument, legs[i].outcome, levels);
    if (count == 0) return Verdict::stale_book;
    set_legs[i] = SetLeg{levels.first(count), legs[i].venue, legs[i].fees};
  }

  SetWalkLimits limits;
  limits.payout_per_set = Money::dollars(1);
  limits.min_profit_per_set = config.min_profit_per_set;
  limits.lot = config.lot;
  std::array<SetLegFill, Opportunity::kMaxLegs> fills{};
  const SetWalkResult sets = walk_full_sets(std::span(set_legs).first(n), limits, std::span(fills).first(n));
  if (sets.sets.units <= 0) return sets.any_edge ? Verdict::below_min_ev : Verdict::no_edge;

  for (size_t i = 0; i < n; ++i) {
    if (notional_through(set_legs[i].levels, fills[i].walk.worst_price) < config.min_leg_liquidity) {
      return Verdict::insufficient_liquidity;
    }
  }

  // $1 per set: Qty units (millionths of a contract) x $1 are micro-dollars.
  const Money expected_value = Money{sets.sets.units} - sets.cost - sets.fees;
  if (expected_value.micros <= 0) return Verdict::no_edge;

  out = Opportunity{};
  out.strategy = strategy;
  out.leg_count = static_cast<uint8_t>(n);
  out.size = sets.sets;
  out.total_cost = sets.cost;
  out.total_fees = sets.fees;
  out.expected_value = expected_value;
  out.ev_per_dollar = expected_value.as_double() / (sets.cost + sets.fees).as_double();
  out.probability = 1.0;
  for (size_t i = 0; i < n; ++i) {
    OpportunityLeg& leg = out.legs[i];
    leg.instrument = legs[i].instrument;
    leg.venue = legs[i].venue;
    leg.side = Side::buy;
    leg.outcome = legs[i].outcome;
    leg.tif = TimeInForce::fok;
    leg.flags = kIntentArbitrageLeg;
    leg.limit_price = fills[i].walk.worst_price;
    leg.average_price = average_price(fills[i].walk.cost, sets.sets);
    leg.qty = sets.sets;
    leg.cost = fills[i].walk.cost;
    leg.fee = fills[i].fee;
  }
  return Verdict::emitted;
}

void validate(const ArbitrageParams& config) {
  if (config.min_profit_per_set.micros < 0) {
    throw std::invalid_argument("ArbitrageParams.min_profit_per_set must be >= 0");
  }
  if (config.min_profit_per_set >= Money::dollars(1)) {
    throw std::invalid_argument("ArbitrageParams.min_profit_per_set must be below $1");
  }
  if (config.min_leg_liquidity.micros < 0) {
    throw std::invalid_argument("ArbitrageParams.min_leg_liquidity must be >= 0");
  }
  if (config.lot.units <= 0) throw std::invalid_argument("ArbitrageParams.lot must be > 0");
  if (config.max_levels == 0) throw std::invalid_argument("ArbitrageParams.max_levels must be > 0");
}

ArbitrageParams arbitrage_params(const ArbitrageConfig& config) noexcept {
  ArbitrageParams params;
  params.min_profit_per_set = config.min_profit_per_set;
  params.min_leg_liquidity = config.min_leg_liquidity;
  params.lot = Qty::from_units(std::llround(config.lot * 1e6));
  params.max_levels = static_cast<size_t>(config.max_levels);
  return params;
}

}  // namespace pmx
