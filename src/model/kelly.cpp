#include "pmx/model/kelly.h"

#include <algorithm>
#include <cmath>

#include "pmx/model/fees.h"

namespace pmx {
namespace {

// Large enough that the venue's per-order rounding (a cent on Kalshi) is below a micro-dollar
// per contract, small enough that the fee cannot overflow.
constexpr int64_t kMarginalFeeContracts = 10'000;
// Each round sheds at least one step and the excess is a few cents at most, so this is never
// reached in practice; it only bounds the loop.
constexpr int kMaxShrinkRounds = 32;
// 4.6 million million contracts: keeps qty, notional and fee far inside int64 whatever the step.
constexpr int64_t kMaxQtyUnits = int64_t{1} << 62;

KellySize refuse(KellySize size, KellyReason reason) noexcept {
  size.qty = Qty{};
  size.cost = Money{};
  size.fee = Money{};
  size.reason = reason;
  return size;
}

}  // namespace

double full_kelly_fraction(double win_probability, double cost_per_contract,
                           double payout_per_contract) noexcept {
  const double p = win_probability;
  const double c = cost_per_contract;
  const double w = payout_per_contract;
  if (!(p >= 0.0 && p <= 1.0) || !(c > 0.0) || !(w > c) || !std::isfinite(w)) return 0.0;
  const double f = (p * w - c) / (w - c);
  return f > 0.0 ? f : 0.0;
}

double kelly_multiplier(const KellyConfig& config, double drawdown_pct) noexcept {
  return drawdown_pct >= config.recovery_drawdown_pct ? config.recovery_fraction : config.fraction;
}

double marginal_fee_per_contract(Venue venue, Price price, Liquidity liquidity,
                                 const FeeParams& fees) noexcept {
  const Money fee = trading_fee(venue, price, Qty::contracts(kMarginalFeeContracts), liquidity, fees);
  return fee.as_double() / static_cast<double>(kMarginalFeeContracts);
}

KellySize kelly_size(const KellyInputs& in, const KellyConfig& config) noexcept {
  KellySize size;
  const double p = in.win_probability;
  const double price = in.price.as_double();
  const double payout = in.payout_per_contract.as_double();
  if (!(p > 0.0 && p < 1.0) || in.price.ticks <= 0 || !(price < payout) || in.capital.micros <= 0 ||
      in.qty_step.units <= 0) {
    return refuse(size, KellyReason::invalid_input);
  }

  // 1. f* at the marginal fee.
  const double cost_per_contract =
      price + marginal_fee_per_contract(in.venue, in.price, in.liquidity, in.fees);
  size.full_kelly = full_kelly_fraction(p, cost_per_contract, payout);
  if (size.full_kelly <= 0.0) return refuse(size, KellyReason::no_edge);

  double fraction = kelly_multiplier(config, in.drawdown_pct) * size.full_kelly;
  size.target_fraction = fraction;
  if (fraction < config.min_trade_fraction) return refuse(size, KellyReason::below_minimum);
  if (fraction > config.max_trade_fraction) {
    fraction = config.max_trade_fraction;
    size.capped = true;
    size.target_fraction = fraction;
  }

  // 2. Budget -> whole steps at the marginal cost.
  const Money budget{static_cast<int64_t>(std::floor(fraction * static_cast<double>(in.capital.micros)))};
  const double step_cost_micros =
      cost_per_contract * in.qty_step.as_double() * static_cast<double>(Money::kMicrosPerDollar);
  const int64_t max_steps = kMaxQtyUnits / in.qty_step.units;
  const double affordable_steps = std::floor(static_cast<double>(budget.micros) / step_cost_micros);
  int64_t steps =
      affordable_steps >= static_cast<double>(max_steps) ? max_steps : static_cast<int64_t>(affordable_steps);

  // 3. Exact fee of that size; shed whole steps while the order costs more than the budget.
  Money fee{};
  Money cost{};
  bool fits = false;
  for (int round = 0; round < kMaxShrinkRounds && steps > 0; ++round) {
    const Qty qty = Qty::from_units(steps * in.qty_step.units);
    fee = trading_fee(in.venue, in.price, qty, in.liquidity, in.fees);
    cost = notional(in.price, qty) + fee;
    if (cost <= budget) {
      fits = true;
      break;
    }
    const double excess = static_cast<double>((cost - budget).micros);
    steps -= std::max<int64_t>(1, static_cast<int64_t>(std::ceil(excess / step_cost_micros)));
  }
  if (!fits) return refuse(size, KellyReason::below_step);

  // 4. Expected profit at the exact cost.
  const Qty qty = Qty::from_units(steps * in.qty_step.units);
  const double expected_payout_micros =
      p * qty.as_double() * static_cast<double>(in.payout_per_contract.micros);
  if (!(expected_payout_micros > static_cast<double>(cost.micros))) {
    return refuse(size, KellyReason::fee_exceeds_edge);
  }

  size.qty = qty;
  size.cost = cost;
  size.fee = fee;
  size.reason = KellyReason::ok;
  return size;
}

}  // namespace pmx
