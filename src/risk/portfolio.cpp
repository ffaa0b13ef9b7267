#include "pmx/risk/portfolio.h"

#include "pmx/feed/market_event.h"
#include "pmx/risk/risk_math.h"

namespace pmx {
namespace {

const Position kFlat{};

constexpr bool is_fill(ExecType t) noexcept {
  return t == ExecType::partial_fill || t == ExecType::fill;
}

}  // namespace

Portfolio::Portfolio(size_t instrument_count, Money starting_capital, WallNanos now)
    : slots_(instrument_count * 2, Slot{Position{}, {kNoPrice, kNoPrice}, {Money{}, Money{}}}),
      starting_capital_(starting_capital),
      cash_(starting_capital),
      peak_(starting_capital),
      day_(utc_day(now)),
      day_start_equity_(starting_capital) {}

TradeEffect Portfolio::trade(Slot& slot, Side side, Price price, Qty qty, Money fee) noexcept {
  const Money cost_before = slot.position.cost_basis;
  const TradeEffect effect = apply_trade(slot.position, side, price, qty, fee);
  cash_ = cash_ + effect.cash_delta;
  realized_ = realized_ + effect.realized_delta;
  realized_today_ = realized_today_ + effect.realized_delta;
  fees_ = fees_ + fee;
  fees_today_ = fees_today_ + fee;
  exposure_ = exposure_ + effect.exposure_delta;
  cost_basis_ = cost_basis_ + (slot.position.cost_basis - cost_before);
  // A flip both closes and opens: the count is unchanged.
  if (effect.opened && !effect.closed) ++position_count_;
  if (effect.closed && !effect.opened) --position_count_;
  revalue(slot);
  return effect;
}

// Recomputes the slot's marked values and moves the totals by the difference.
void Portfolio::revalue(Slot& slot) noexcept {
  for (int k = 0; k < kMarkKindCount; ++k) {
    const Price mark = slot.marks[k];
    const Money value = mark == kNoPrice ? slot.position.cost_basis : notional(mark, slot.position.qty);
    marked_total_[k] = marked_total_[k] + (value - slot.marked_value[k]);
    slot.marked_value[k] = value;
  }
}

void Portfolio::update_peak() noexcept {
  const Money now_equity = equity(MarkKind::mid);
  if (now_equity > peak_) peak_ = now_equity;
}

bool Portfolio::restore_round_trip(InstrumentId instrument, Outcome outcome, Money round_trip_pnl,
                                   Money round_trip_fees) noexcept {
  if (!known(instrument)) return false;
  Position& p = slots_[slot_index(instrument, outcome)].position;
  if (!p.is_open()) return false;
  p.round_trip_pnl = round_trip_pnl;
  p.round_trip_fees = round_trip_fees;
  return true;
}

TradeEffect Portfolio::apply_fill(const ExecReport& report, WallNanos now) noexcept {
  if (!is_fill(report.type) || report.fill_qty.units <= 0 || !known(report.instrument)) {
    ++ignored_reports_;
    return TradeEffect{};
  }
  roll_day(now);
  Slot& slot = slots_[slot_index(report.instrument, report.outcome)];
  const TradeEffect effect = trade(slot, report.side, report.fill_price, report.fill_qty, report.fee);
  update_peak();
  return effect;
}

SettlementEffect Portfolio::settle(InstrumentId instrument, Outcome winner, WallNanos now) noexcept {
  return settle_at(instrument, winner == Outcome::yes ? Price::one_dollar() : Price{}, now);
}

SettlementEffect Portfolio::settle_at(InstrumentId instrument, Price yes_value, WallNanos now) noexcept {
  SettlementEffect effects{};
  if (!known(instrument)) return effects;
  roll_day(now);
  for (const Outcome outcome : {Outcome::yes, Outcome::no}) {
    Slot& slot = slots_[slot_index(instrument, outcome)];
    const Price payout = outcome == Outcome::yes ? yes_value : Price::one_dollar() - yes_value;
    slot.marks = {payout, payout};
    const Qty held = slot.position.qty;
    if (held.units > 0) {
      effects[static_cast<size_t>(outcome)] = trade(slot, Side::sell, payout, held, Money{});
    } else if (held.units < 0) {
      effects[static_cast<size_t>(outcome)] = trade(slot, Side::buy, payout, Qty{-held.units}, Money{});
    } else {
      revalue(slot);
    }
  }
  update_peak();
  return effects;
}

void Portfolio::mark(InstrumentId instrument, MarkKind kind, Price yes_price, WallNanos now) noexcept {
  if (!known(instrument)) return;
  roll_day(now);
  const auto k = static_cast<size_t>(kind);
  Slot& yes = slots_[slot_index(instrument, Outcome::yes)];
  Slot& no = slots_[slot_index(instrument, Outcome::no)];
  yes.marks[k] = yes_price;
  no.marks[k] = yes_price == kNoPrice ? kNoPrice : Price::one_dollar() - yes_price;
  revalue(yes);
  revalue(no);
  update_peak();
}

void Portfolio::roll_day(WallNanos now) noexcept {
  const int64_t today = utc_day(now);
  if (today <= day_) return;  // same day, or a clock that stepped back: keep today's figures
  day_ = today;
  day_start_equity_ = equity(MarkKind::mid);
  realized_today_ = Money{};
  fees_today_ = Money{};
}

void Portfolio::reset_peak() noexcept {
  peak_ = equity(MarkKind::mid);
}

const Position& Portfolio::position(InstrumentId instrument, Outcome outcome) const noexcept {
  return known(instrument) ? slots_[slot_index(instrument, outcome)].position : kFlat;
}

Price Portfolio::mark_of(InstrumentId instrument, Outcome outcome, MarkKind kind) const noexcept {
  return known(instrument) ? slots_[slot_index(instrument, outcome)].marks[static_cast<size_t>(kind)]
                           : kNoPrice;
}

Money Portfolio::unrealized_pnl(InstrumentId instrument, Outcome outcome, MarkKind kind) const noexcept {
  if (!known(instrument)) return Money{};
  const Slot& slot = slots_[slot_index(instrument, outcome)];
  return slot.marked_value[static_cast<size_t>(kind)] - slot.position.cost_basis;
}

Money Portfolio::equity(MarkKind kind) const noexcept {
  return cash_ + marked_total_[static_cast<size_t>(kind)];
}

Money Portfolio::unrealized_pnl(MarkKind kind) const noexcept {
  return marked_total_[static_cast<size_t>(kind)] - cost_basis_;
}

Money Portfolio::drawdown() const noexcept {
  const Money gap = peak_ - equity(MarkKind::mid);
  return gap.micros > 0 ? gap : Money{};
}

double Portfolio::drawdown_pct() const noexcept {
  return peak_.micros > 0 ? 100.0 * static_cast<double>(drawdown().micros) / static_cast<double>(peak_.micros)
                          : 0.0;
}

bool Portfolio::drawdown_at_least(double pct) const noexcept {
  return peak_.micros > 0 && drawdown() >= threshold_of(peak_, pct);
}

}  // namespace pmx
