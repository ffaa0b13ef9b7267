#include "pmx/risk/position.h"

#include <algorithm>

namespace pmx {
namespace {

constexpr int64_t magnitude(int64_t v) noexcept {
  return v < 0 ? -v : v;
}

// Adds `qty` on `side` to a flat position or one already on that side.
void open_or_add(Position& p, Side side, Price price, Qty qty, Money& cash) noexcept {
  const Money cost = notional(price, qty);
  if (side == Side::buy) {
    p.cost_basis = p.cost_basis + cost;
    p.qty = p.qty + qty;
    cash = cash - cost;
  } else {
    p.cost_basis = p.cost_basis - cost;
    p.qty = p.qty - qty;
    cash = cash + cost;
  }
}

void start_round_trip(Position& p) noexcept {
  p.round_trip_pnl = Money{};
  p.round_trip_fees = Money{};
}

}  // namespace

Money Position::exposure() const noexcept {
  if (qty.units >= 0) return cost_basis;
  // Short: owes $1 per contract at worst; the proceeds (-cost_basis) are already in cash.
  return Money{notional(Price::one_dollar(), Qty{-qty.units}).micros + cost_basis.micros};
}

Price Position::average_price() const noexcept {
  if (qty.units == 0) return Price{};
  // $ per contract = cost micros / qty units (both scaled by 10^6), so ticks = cost x 10^4 / units.
  const Int128 numerator = static_cast<Int128>(magnitude(cost_basis.micros)) * Price::kTicksPerDollar *
                           Qty::kUnitsPerContract / Money::kMicrosPerDollar;
  const Int128 denominator = magnitude(qty.units);
  return Price{static_cast<int32_t>((numerator + denominator / 2) / denominator)};
}

TradeEffect apply_trade(Position& p, Side side, Price price, Qty qty, Money fee) noexcept {
  TradeEffect effect;
  if (qty.units <= 0) return effect;
  const bool was_open = p.is_open();
  const Money exposure_before = p.exposure();
  if (!was_open) start_round_trip(p);

  const bool adds = !was_open || ((p.qty.units > 0) == (side == Side::buy));
  Qty remainder{};  // what a flip opens the other way once the position is flat
  if (adds) {
    open_or_add(p, side, price, qty, effect.cash_delta);
    effect.opened = !was_open;
  } else {
    const int64_t held = magnitude(p.qty.units);
    const Qty closing{std::min(qty.units, held)};
    // Cost removed at the average price; the whole basis when the position closes fully.
    const Money removed{
        static_cast<int64_t>(static_cast<Int128>(p.cost_basis.micros) * closing.units / held)};
    const Money closing_cash = side == Side::sell ? notional(price, closing) : -notional(price, closing);
    effect.realized_delta = closing_cash - removed;
    effect.cash_delta = closing_cash;
    p.cost_basis = p.cost_basis - removed;
    p.qty = side == Side::sell ? p.qty - closing : p.qty + closing;
    p.realized_pnl = p.realized_pnl + effect.realized_delta;
    p.round_trip_pnl = p.round_trip_pnl + effect.realized_delta;
    effect.closed = !p.is_open();
    remainder = qty - closing;
  }

  // The whole fee belongs to the round trip the trade adds to or closes.
  effect.cash_delta = effect.cash_delta - fee;
  p.fees_paid = p.fees_paid + fee;
  p.round_trip_pnl = p.round_trip_pnl - fee;
  p.round_trip_fees = p.round_trip_fees + fee;
  if (effect.closed) effect.closed_round_trip_pnl = p.round_trip_pnl;
  if (remainder.units > 0) {
    start_round_trip(p);
    open_or_add(p, side, price, remainder, effect.cash_delta);
    effect.opened = true;
  }
  effect.exposure_delta = p.exposure() - exposure_before;
  return effect;
}

}  // namespace pmx
