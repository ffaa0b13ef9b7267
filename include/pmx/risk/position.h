// One position: a signed quantity of one outcome of one instrument and what it cost.
//
// Invariants (exact integer arithmetic, no rounding drift):
//   * qty > 0 is long, qty < 0 short (a Kalshi sell without a holding), 0 flat;
//   * cost_basis is what the open quantity cost: > 0 long, < 0 short (the proceeds), 0 flat;
//   * a trade that reduces the position removes cost_basis x closed / |qty| (truncated) and
//     realizes (cash of the closed part) - (cost removed): P&L at the average price. Closing
//     the whole position removes the whole cost basis, so a flat position carries no residue;
//   * realized P&L is gross of fees; fees are kept beside it, so
//       cash flows of every trade = realized - fees - change in cost_basis;
//   * the round trip (round_trip_pnl, round_trip_fees) covers the trades since the position last
//     opened from flat, the closing trade and its whole fee included. It is kept after the close,
//     until the next open, so a reader of the flat position (the position record, the win/loss
//     count) still sees what the round trip made; a flip closes one round trip and starts the
//     next at zero.
// A trade that crosses zero closes the position and opens the remainder the other way.
#pragma once

#include <cstdint>

#include "pmx/core/types.h"

namespace pmx {

struct Position {
  Qty qty{};
  Money cost_basis{};
  Money realized_pnl{};     // lifetime (this run), gross of fees
  Money fees_paid{};        // lifetime (this run)
  Money round_trip_pnl{};   // realized - fees of the current (or, when flat, the last) round trip
  Money round_trip_fees{};  // fees of that round trip

  constexpr bool is_open() const noexcept { return qty.units != 0; }

  // What the position can lose at settlement: the cost of a long; for a short, $1 per contract
  // owed minus the proceeds already received. Never negative.
  Money exposure() const noexcept;

  // |cost_basis| / |qty| rounded to the nearest tick; $0 when flat. For display: P&L is computed
  // from the exact cost basis, not from this rounded price.
  Price average_price() const noexcept;

  friend bool operator==(const Position&, const Position&) = default;
};

// What one trade did to a position.
struct TradeEffect {
  Money cash_delta{};             // - cost of buys + proceeds of sells - fee
  Money realized_delta{};         // gross of the fee
  Money exposure_delta{};         // change of Position::exposure()
  bool opened = false;            // went from flat to open (or flipped sides)
  bool closed = false;            // went from open to flat (or flipped sides)
  Money closed_round_trip_pnl{};  // when `closed`: realized - fees of the finished round trip
};

// Applies a trade of `qty` (> 0) of the position's outcome at `price`, paying `fee`. A qty <= 0
// changes nothing.
TradeEffect apply_trade(Position& position, Side side, Price price, Qty qty, Money fee) noexcept;

}  // namespace pmx
