// Venue trading fees, from each market's FeeParams (pmx/feed/market_info.h). Every edge, EV and
// Kelly input in pmx is net of these.
//
// Kalshi (../shared/REFERENCES.md §2.10): fee = round up to the next cent of
//   coefficient x multiplier x C x P x (1 - P),  coefficient 0.07 taker, 0.0175 maker
// (maker fees only on series that charge them). Computed in exact integer arithmetic: P in ticks
// of $0.0001 and C in millionths make the product an integer over 10^14 micro-dollars, and the
// coefficient x multiplier is taken in parts per million. Worked example: 10 contracts at $0.50
// cost $0.175 -> $0.18 taker, $0.04375 -> $0.05 maker. The venue's per-fill rounding to $0.0001
// with a per-order accumulator refunds part of the cent rounding later; charging the cent up front
// makes every estimate here conservative (never below what the venue will charge).
//
// Polymarket (§3.15): fee = rate x (p(1-p))^exponent per share bought, rounded up to the
// micro-dollar; zero where the market has no fee rate (most markets). Makers pay none.
#pragma once

#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/feed/market_info.h"

namespace pmx {

inline constexpr double kKalshiTakerCoefficient = 0.07;
inline constexpr double kKalshiMakerCoefficient = 0.0175;

// Fee for trading `qty` at `price` (the price of the outcome traded, $0-$1). Zero for qty <= 0.
Money kalshi_fee(Price price, Qty qty, Liquidity liquidity, const FeeParams& fees) noexcept;
Money polymarket_fee(Price price, Qty qty, Liquidity liquidity, const FeeParams& fees) noexcept;
Money trading_fee(Venue venue, Price price, Qty qty, Liquidity liquidity, const FeeParams& fees) noexcept;

}  // namespace pmx
