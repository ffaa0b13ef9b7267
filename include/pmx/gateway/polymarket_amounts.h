// Polymarket makerAmount / takerAmount of a limit order from price and size, by the published
// rounding rules (REFERENCES.md §3.13, identical in V1, V2 and V3), in exact integer arithmetic.
//
//   round config per tick size {price, size, amount} decimals:
//     0.1 -> {1,2,3}  0.01 -> {2,2,4}  0.001 -> {3,2,5}  0.0001 -> {4,2,6}  0.005 -> {3,2,5}  0.0025 ->
//     {4,2,6}
//   price'  = price rounded half-up to `price` decimals
//   shares  = size rounded down to `size` decimals (2: hundredths of a share)
//   cash    = shares × price', rounded down to `amount` decimals
//   BUY:  maker = cash (collateral), taker = shares      SELL: maker = shares, taker = cash
//   both in token base units (6 decimals for pUSD/USDC and for outcome tokens)
//
// The reference clients compute in binary floating point, then "round up to amount + 4
// decimals" to repair float error before rounding down; with exact integers that step is a
// no-op (shares × price' has at most 6 decimals), so cash is simply floored. Example: BUY 100
// shares at 0.50, tick 0.01 -> maker 50000000, taker 100000000.
#pragma once

#include <cstdint>

#include "pmx/core/types.h"
#include "pmx/gateway/gateway_error.h"

namespace pmx::gateway {

struct PolymarketAmounts {
  uint64_t maker_amount = 0;
  uint64_t taker_amount = 0;
  friend bool operator==(const PolymarketAmounts&, const PolymarketAmounts&) = default;
};

// `price` and `tick` in Price ticks ($0.0001), `size` in Qty units (millionths of a share).
// Errors: unknown_tick_size; bad_price (outside [tick, $1 - tick]); bad_size (rounds to zero
// shares or zero cash).
GatewayError polymarket_limit_amounts(Side side, Price price, Qty size, Price tick,
                                      PolymarketAmounts& out) noexcept;

}  // namespace pmx::gateway
