// Fee-adjusted fractional Kelly sizing for buying a binary contract.
//
// One contract costs c = price + fee per contract and pays w = $1 - any settlement fee (zero on
// both venues today) if the outcome happens, with probability p (the fair value). The bet risks c
// to win w - c, so the net odds are b = (w - c) / c, and full Kelly, the fraction of capital to
// spend, is
//   f* = (b p - q) / b = (p w - c) / (w - c),   q = 1 - p;   f* <= 0: no edge, no trade.
// We stake f = m x f*, where m = KellyConfig.fraction (half Kelly), or recovery_fraction once the
// drawdown has reached recovery_drawdown_pct; f above max_trade_fraction is capped there, and f
// below min_trade_fraction is no trade.
//
// Size-dependent fees. Kalshi rounds each order's fee up to the cent, so the fee per contract
// depends on the order size (1 contract at $0.50 pays $0.02, 100 pay $1.75). Sizing therefore
//   1. prices f* with the marginal fee per contract (the fee of 10,000 contracts / 10,000: the
//      venue's formula without the order's rounding) - the rate a sizeable order actually pays;
//   2. turns the budget f x capital into a quantity at that cost, rounded down to the venue's
//      quantity step;
//   3. recomputes the exact fee of that quantity (pmx/model/fees.h) and, while price x qty + fee
//      exceeds the budget, sheds the excess in whole steps (bounded, a few rounds at most);
//   4. refuses the trade if the expected profit at that exact cost, p x qty x w - (notional +
//      fee), is not positive: shrinking cannot rescue it, since a smaller order pays more
//      rounding per contract.
// Money is exact integer micro-dollars; p and the fractions are doubles (a model, not accounting).
#pragma once

#include <cstdint>
#include <string_view>

#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/feed/market_info.h"

namespace pmx {

enum class KellyReason : uint8_t {
  ok,                // qty > 0 (possibly capped: see KellySize::capped)
  no_edge,           // f* <= 0 at the marginal fee: the price plus fee is not below p x payout
  below_minimum,     // m x f* below min_trade_fraction of capital
  below_step,        // the stake does not buy one quantity step
  fee_exceeds_edge,  // the exact fee of the chosen size leaves no positive expected profit
  invalid_input,     // p outside (0, 1), price outside ($0, payout), capital or step not positive
};

constexpr std::string_view to_string(KellyReason r) noexcept {
  switch (r) {
    case KellyReason::ok:
      return "ok";
    case KellyReason::no_edge:
      return "no_edge";
    case KellyReason::below_minimum:
      return "below_minimum";
    case KellyReason::below_step:
      return "below_step";
    case KellyReason::fee_exceeds_edge:
      return "fee_exceeds_edge";
    case KellyReason::invalid_input:
      return "invalid_input";
  }
  return "unknown";
}

struct KellyInputs {
  double win_probability = 0.0;  // p, the fair value of the outcome bought
  Venue venue = Venue::kalshi;
  Price price{};  // price of the outcome bought
  Liquidity liquidity = Liquidity::taker;
  FeeParams fees{};
  Money payout_per_contract = Money::dollars(1);  // net of any settlement fee
  Money capital{};
  double drawdown_pct = 0.0;         // current drawdown from peak, 0-100
  Qty qty_step = Qty::contracts(1);  // the venue's quantity increment
};

struct KellySize {
  Qty qty{};                     // zero unless reason == ok
  Money cost{};                  // notional(price, qty) + fee: the capital committed
  Money fee{};                   // exact fee of qty
  double full_kelly = 0.0;       // f* at the marginal fee
  double target_fraction = 0.0;  // m x f*, capped at max_trade_fraction
  bool capped = false;           // m x f* was above max_trade_fraction
  KellyReason reason = KellyReason::invalid_input;
};

// f* = (p w - c) / (w - c) for cost c and payout w per contract (both in dollars); 0 when there
// is no edge or the inputs make no sense (c <= 0, w <= c, p outside [0, 1]).
double full_kelly_fraction(double win_probability, double cost_per_contract,
                           double payout_per_contract) noexcept;

// m: recovery_fraction once drawdown_pct >= recovery_drawdown_pct, else fraction.
double kelly_multiplier(const KellyConfig& config, double drawdown_pct) noexcept;

// The venue's fee per contract without per-order rounding, in dollars.
double marginal_fee_per_contract(Venue venue, Price price, Liquidity liquidity,
                                 const FeeParams& fees) noexcept;

KellySize kelly_size(const KellyInputs& inputs, const KellyConfig& config) noexcept;

}  // namespace pmx
