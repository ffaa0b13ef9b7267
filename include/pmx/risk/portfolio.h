// Portfolio accounting in fixed point: every position by (instrument, outcome), cash, equity
// marked at mid and at fair value, peak, drawdown, today's figures and settlement.
//
//   cash    = starting capital - cost of buys - fees + proceeds of sells + settlement payouts
//   equity  = cash + marked value of every position      (one figure per MarkKind)
//   identity, exact to the micro-dollar at every moment:
//     equity(kind) = starting capital + realized P&L + unrealized P&L(kind) - fees paid
//
// A position with no mark yet is valued at its cost basis (unrealized P&L 0). Peak equity and
// drawdown follow equity at mid, the price we could trade at; fair value is a model's opinion.
// Kalshi YES and NO holdings of one market are separate positions here (the venue nets them into
// $1 per pair; the final P&L is the same, only the timing of cash differs).
//
// Single-threaded (the strategy thread). Allocation-free after construction: positions live in
// one array of 2 x instrument_count slots; totals are kept incrementally so every figure is O(1).
// The clock is injected: each mutator takes `now` and first rolls the UTC day if it changed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/risk/position.h"

namespace pmx {

enum class MarkKind : uint8_t { mid = 0, fair = 1 };
inline constexpr int kMarkKindCount = 2;
constexpr std::string_view to_string(MarkKind k) noexcept {
  return k == MarkKind::mid ? "mid" : "fair";
}

// The effect of one settlement on the YES and NO positions of the instrument, by Outcome.
using SettlementEffect = std::array<TradeEffect, 2>;

class Portfolio {
 public:
  Portfolio(size_t instrument_count, Money starting_capital, WallNanos now);

  // Applies the fill carried by a partial_fill or fill report (fill_qty > 0, fee). Any other
  // report, an unknown instrument or a non-positive quantity changes nothing and is counted in
  // ignored_reports().
  TradeEffect apply_fill(const ExecReport& report, WallNanos now) noexcept;

  // The market resolved: YES pays $1 when `winner` is yes, NO pays $1 when it is no. Every
  // position of the instrument closes at its payout, with no fee.
  SettlementEffect settle(InstrumentId instrument, Outcome winner, WallNanos now) noexcept;
  // A scalar or partial resolution: YES pays `yes_value`, NO pays $1 - yes_value.
  SettlementEffect settle_at(InstrumentId instrument, Price yes_value, WallNanos now) noexcept;

  // Marks the instrument at `yes_price` (the YES view, as books and fair values are kept): the YES
  // position at yes_price and the NO position at $1 - yes_price. kNoPrice clears the mark.
  void mark(InstrumentId instrument, MarkKind kind, Price yes_price, WallNanos now) noexcept;

  // Start-up after a restart: the round trip so far of a position just restored (its P&L net of
  // fees, and its fees, as the positions table kept them), so that its records carry on from them
  // instead of from zero. The account's figures are this run's and do not change. False (nothing
  // changed) for an unknown instrument or a flat position.
  bool restore_round_trip(InstrumentId instrument, Outcome outcome, Money round_trip_pnl,
                          Money round_trip_fees) noexcept;

  // Starts a new day's figures if `now` is in a later UTC day than the current one.
  void roll_day(WallNanos now) noexcept;

  // Forgets the old peak (a resume after a drawdown halt): peak = current equity at mid.
  void reset_peak() noexcept;

  const Position& position(InstrumentId instrument, Outcome outcome) const noexcept;
  Price mark_of(InstrumentId instrument, Outcome outcome, MarkKind kind) const noexcept;
  Money unrealized_pnl(InstrumentId instrument, Outcome outcome, MarkKind kind) const noexcept;

  Money starting_capital() const noexcept { return starting_capital_; }
  Money cash() const noexcept { return cash_; }
  Money equity(MarkKind kind = MarkKind::mid) const noexcept;
  Money unrealized_pnl(MarkKind kind = MarkKind::mid) const noexcept;
  Money realized_pnl() const noexcept { return realized_; }
  Money fees_paid() const noexcept { return fees_; }
  Money open_exposure() const noexcept { return exposure_; }  // sum of Position::exposure()
  Money cost_basis() const noexcept { return cost_basis_; }   // sum of open positions' cost basis
  int position_count() const noexcept { return position_count_; }

  Money peak_equity() const noexcept { return peak_; }
  Money drawdown() const noexcept;       // peak - equity at mid, >= 0
  double drawdown_pct() const noexcept;  // of peak; for display and models (Kelly recovery mode)
  // Drawdown from peak >= pct % of peak, by the same exact threshold as the circuit breaker.
  bool drawdown_at_least(double pct) const noexcept;

  int64_t day() const noexcept { return day_; }  // UTC day number of today's figures
  Money day_start_equity() const noexcept { return day_start_equity_; }
  Money realized_today() const noexcept { return realized_today_; }
  Money fees_today() const noexcept { return fees_today_; }
  Money pnl_today() const noexcept { return equity() - day_start_equity_; }  // marked at mid

  size_t instrument_count() const noexcept { return slots_.size() / 2; }
  uint64_t ignored_reports() const noexcept { return ignored_reports_; }

 private:
  struct Slot {
    Position position;
    std::array<Price, kMarkKindCount> marks;
    std::array<Money, kMarkKindCount> marked_value;  // cached: what this position adds to equity
  };

  static size_t slot_index(InstrumentId instrument, Outcome outcome) noexcept {
    return static_cast<size_t>(instrument.value) * 2 + static_cast<size_t>(outcome);
  }
  bool known(InstrumentId instrument) const noexcept { return instrument.value < instrument_count(); }
  TradeEffect trade(Slot& slot, Side side, Price price, Qty qty, Money fee) noexcept;
  void revalue(Slot& slot) noexcept;
  void update_peak() noexcept;

  std::vector<Slot> slots_;
  Money starting_capital_{};
  Money cash_{};
  std::array<Money, kMarkKindCount> marked_total_{};
  Money realized_{};
  Money fees_{};
  Money exposure_{};
  Money cost_basis_{};
  int position_count_ = 0;
  Money peak_{};
  int64_t day_ = 0;
  Money day_start_equity_{};
  Money realized_today_{};
  Money fees_today_{};
  uint64_t ignored_reports_ = 0;
};

}  // namespace pmx
