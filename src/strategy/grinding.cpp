#include "pmx/strategy/grinding.h"

#include <cmath>
#include <stdexcept>

#include "pmx/core/clock.h"
#include "pmx/model/fees.h"
#include "pmx/strategy/depth.h"

namespace pmx {
namespace {

constexpr int64_t kMicrosPerTick = Money::kMicrosPerDollar / Price::kTicksPerDollar;

}  // namespace

GrindingDetector::GrindingDetector(const GrindingConfig& config, size_t max_levels, Qty lot)
    : config_(config), lot_(lot), levels_(max_levels) {
  if (!(config.base_threshold >= 0.0 && config.base_threshold < 1.0)) {
    throw std::invalid_argument("grinding.base_threshold must be in [0, 1)");
  }
  if (config.window_hours <= 0) throw std::invalid_argument("grinding.window_hours must be > 0");
  if (!(config.min_ev_base >= 0.0)) throw std::invalid_argument("grinding.min_ev_base must be >= 0");
  if (max_levels == 0) throw std::invalid_argument("GrindingDetector: max_levels must be > 0");
  if (lot.units <= 0) throw std::invalid_argument("GrindingDetector: lot must be > 0");
}

double GrindingDetector::threshold(double hours_to_expiry, const GrindingConfig& config) noexcept {
  const double base = config.base_threshold;
  return base + (1.0 - base) * (1.0 - hours_to_expiry / static_cast<double>(config.window_hours));
}

double GrindingDetector::min_ev_fraction(Money size, Money capital, const GrindingConfig& config) noexcept {
  return config.min_ev_base * (1.0 + size.as_double() / capital.as_double());
}

Verdict GrindingDetector::detect(const BookSet& books, const MarketInfo& market, Outcome outcome,
                                 double probability, Money capital, WallNanos now,
                                 Opportunity& out) noexcept {
  if (!std::isfinite(probability) || probability < 0.0 || probability > 1.0 || capital.micros <= 0 ||
      !market.id.valid()) {
    return counters_.count(Verdict::bad_input);
  }
  const double hours = static_cast<double>(market.close_time - now) / static_cast<double>(kNanosPerHour);
  if (!(hours > 0.0) || hours > static_cast<double>(config_.window_hours)) {
    return counters_.count(Verdict::outside_window);
  }
  if (!(probability > threshold(hours, config_))) return counters_.count(Verdict::below_threshold);

  const size_t n = buy_levels(books, market.id, outcome, levels_);
  if (n == 0) return counters_.count(Verdict::stale_book);
  const std::span<const Level> levels(levels_.data(), n);

  // The first contract's EV: p - ask - fee, in micro-dollars.
  const auto payout_micros = [&](int64_t units) {
    return static_cast<int64_t>(std::floor(probability * static_cast<double>(units)));
  };
  const int64_t first_edge = payout_micros(Qty::kUnitsPerContract) -
                             int64_t{levels[0].price.ticks} * kMicrosPerTick -
                             marginal_fee_micros(market.venue, levels[0].price, market.fees);
  if (first_edge <= 0) return counters_.count(Verdict::no_edge);

  // Is buying Q (ending `take` into `level`, the levels before it taken whole) worth it?
  Money closed_cost{};
  Money closed_fee{};
  const auto worth_it = [&](const Level& level, Qty take, Qty total) {
    const Money cost = closed_cost + level_cost(level.price, take);
    const Money fee =
        closed_fee + trading_fee(market.venue, level.price, take, Liquidity::taker, market.fees);
    const Money outlay = cost + fee;
    const int64_t ev = payout_micros(total.units) - outlay.micros;
    if (ev <= 0 || outlay > capital) return false;
    return static_cast<double>(ev) >=
           min_ev_fraction(outlay, capital, config_) * static_cast<double>(outlay.micros);
  };
  const auto floor_lot = [&](int64_t units) { return units / lot_.units * lot_.units; };

  int64_t taken = 0;  // whole levels taken so far
  int64_t best = 0;
  for (const Level& level : levels) {
    const int64_t whole = floor_lot(taken + level.qty.units);
    if (whole > taken && worth_it(level, Qty{whole - taken}, Qty{whole})) {
      best = whole;
    } else {
      // The largest lot boundary inside this level that is still worth it, if any.
      int64_t lo = floor_lot(taken) / lot_.units + 1;  // in lots
      int64_t hi = whole / lot_.units - 1;
      while (lo <= hi) {
        const int64_t mid = lo + (hi - lo) / 2;
        if (worth_it(level, Qty{mid * lot_.units - taken}, Qty{mid * lot_.units})) {
          best = mid * lot_.units;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      if (whole > taken) break;  // a lot boundary in this level failed: deeper is worse
    }
    taken += level.qty.units;
    closed_cost = closed_cost + level_cost(level.price, level.qty);
    closed_fee =
        closed_fee + trading_fee(market.venue, level.price, level.qty, Liquidity::taker, market.fees);
  }
  if (best == 0) return counters_.count(Verdict::below_min_ev);

  // Exact totals for the chosen size, as the venue would fill it level by level.
  const Qty size{best};
  const WalkResult walk = walk_levels(levels, size);
  const Money fee = taker_fee_of_walk(levels, size, market.venue, market.fees);
  if (notional_through(levels, walk.worst_price) < config_.min_liquidity) {
    return counters_.count(Verdict::insufficient_liquidity);
  }
  const Money expected_value = Money{payout_micros(size.units)} - walk.cost - fee;
  if (expected_value.micros <= 0) return counters_.count(Verdict::no_edge);

  out = Opportunity{};
  out.id = ids_.next();
  out.detected_at = now;
  out.expiry = market.close_time;
  out.strategy = StrategyKind::grinding;
  out.leg_count = 1;
  out.size = size;
  out.total_cost = walk.cost;
  out.total_fees = fee;
  out.expected_value = expected_value;
  out.ev_per_dollar = expected_value.as_double() / (walk.cost + fee).as_double();
  out.probability = probability;
  OpportunityLeg& leg = out.legs[0];
  leg.instrument = market.id;
  leg.venue = market.venue;
  leg.side = Side::buy;
  leg.outcome = outcome;
  leg.tif = TimeInForce::ioc;
  leg.limit_price = walk.worst_price;
  leg.average_price = average_price(walk.cost, size);
  leg.qty = size;
  leg.cost = walk.cost;
  leg.fee = fee;
  return counters_.count(Verdict::emitted);
}

}  // namespace pmx
