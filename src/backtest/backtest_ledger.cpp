#include "pmx/backtest/backtest_ledger.h"

#include <algorithm>
#include <string_view>

#include "pmx/engine/strategy_stage.h"
#include "pmx/gateway/order_gateway.h"

namespace pmx {
namespace {

uint64_t position_key(InstrumentId id, Outcome outcome) noexcept {
  return uint64_t{id.value} * 2 + static_cast<uint64_t>(outcome);
}

std::string row_name(size_t row) {
  return row < static_cast<size_t>(kStrategyKindCount)
             ? std::string(to_string(static_cast<StrategyKind>(row)))
             : std::string("unwind");
}

}  // namespace

BacktestLedger::BacktestLedger(const MarketUniverse& universe, Money starting_capital,
                               BacktestLedgerOptions options)
    : universe_(universe),
      starting_capital_(starting_capital),
      options_(options),
      mirror_(universe.markets().size(), starting_capital, WallNanos{}),
      drawdown_(starting_capital) {}

size_t BacktestLedger::row_of_intent(uint64_t intent_id, uint64_t group_id) const noexcept {
  // The gateway's own orders (unwinds of a failed arbitrage group) carry kGatewayIntentBit, whether
  // or not they were recorded as orders (their record names the strategy of the intent they undo).
  if ((intent_id & kGatewayIntentBit) != 0) return kUnwind;
  if (const auto it = intent_strategy_.find(intent_id); it != intent_strategy_.end()) return it->second;
  if (const auto it = intent_strategy_.find(group_id); group_id != 0 && it != intent_strategy_.end())
    return it->second;
  return static_cast<size_t>(StrategyKind::manual);
}

void BacktestLedger::on_fill(const ExecReport& r) {
  const size_t row = row_of_intent(r.intent_id, r.group_id);
  TradeRow t;
  t.time = r.ts;
  t.venue = r.venue;
  t.instrument = std::string(universe_.instruments().key(r.instrument));
  t.side = r.side;
  t.outcome = r.outcome;
  t.price = r.fill_price;
  t.size = r.fill_qty;
  t.fee = r.fee;
  t.strategy = row_name(row);
  t.liquidity = r.liquidity;
  t.intent_id = r.intent_id;
  trades_.push_back(std::move(t));
  // Round trips from a mirror of the engine's positions (the same fills in the same order): the
  // effect of the closing fill carries the trip's P&L net of fees; the opening fill names its strategy.
  const TradeEffect effect = mirror_.apply_fill(r, r.ts);
  const uint64_t key = position_key(r.instrument, r.outcome);
  if (effect.closed) {
    const auto it = position_strategy_.find(key);
    const size_t opener = it != position_strategy_.end() ? it->second : row;
    round_trips_by_row_[opener].push_back(effect.closed_round_trip_pnl);
    position_strategy_.erase(key);
  }
  if (effect.opened) position_strategy_[key] = static_cast<uint8_t>(row);
  ++fills_by_row_[row];
  fees_by_row_[row] = fees_by_row_[row] + r.fee;
  fill_this_round_ = true;
}

void BacktestLedger::on_ops_event(const OpsEvent& event) {
  switch (event.kind) {
    case OpsEventKind::order_submitted: {
      const OrderIntent& intent = event.payload.order_submitted.intent;
      intents_.push_back(intent);
      const bool unwind = (intent.intent_id & kGatewayIntentBit) != 0;  // a gateway-made order
      const auto row = static_cast<uint8_t>(unwind ? kUnwind : static_cast<size_t>(intent.strategy));
      intent_strategy_[intent.intent_id] = row;
      ++intents_by_row_[row];
      break;
    }
    case OpsEventKind::exec_report: {
      const ExecReport& r = event.payload.exec_report;
      if (r.fill_qty.units > 0) on_fill(r);
      rejected_ += r.type == ExecType::rejected ? 1 : 0;
      cancelled_ += r.type == ExecType::cancelled ? 1 : 0;
      break;
    }
    case OpsEventKind::opportunity: {
      const OpportunityRecord& o = event.payload.opportunity;
      opportunities_.push_back(o);
      ++opportunities_by_row_[static_cast<size_t>(o.strategy)];
      opportunities_acted_ += o.acted != 0 ? 1 : 0;
      break;
    }
    case OpsEventKind::audit: {
      const AuditRecord& a = event.payload.audit;
      if (a.kind == AuditKind::decision) {
        ++decisions_;
      } else if (a.kind == AuditKind::refusal) {
        ++refusals_[std::string(text_view(a.reason))];
      } else {
        ++other_audit_;
      }
      break;
    }
    default:
      break;
  }
}

void BacktestLedger::add_curve_point(WallNanos now, Money equity) {
  curve_.push_back(EquityPoint{now, equity, drawdown_.drawdown()});
}

void BacktestLedger::on_round(WallNanos now, const Portfolio& portfolio) {
  const Money equity = portfolio.equity(MarkKind::mid);
  drawdown_.add(equity);
  const int64_t day = utc_day(now);
  if (day_closes_.empty() || day_closes_.back().day != day) {
    day_closes_.push_back(DayClose{day, equity});
  } else {
    day_closes_.back().equity = equity;
  }
  if (!any_round_) {
    first_round_ = now;
    any_round_ = true;
    add_curve_point(now, equity);
  } else if (fill_this_round_ || (now.ns - curve_.back().time.ns >= options_.curve_interval_ns &&
                                  equity != curve_.back().equity)) {
    add_curve_point(now, equity);
  }
  fill_this_round_ = false;
  last_round_ = now;
}

void BacktestLedger::finish(const Portfolio& portfolio, BacktestReport& report) const {
  report.start = first_round_;
  report.end = last_round_;
  report.starting_capital = starting_capital_;
  report.final_capital = portfolio.equity(MarkKind::mid);
  report.realized_pnl = portfolio.realized_pnl();
  report.unrealized_pnl = portfolio.unrealized_pnl(MarkKind::mid);
  report.fees_paid = portfolio.fees_paid();
  report.total_return_pct =
      starting_capital_.micros != 0
          ? 100.0 * static_cast<double>(report.final_capital.micros - starting_capital_.micros) /
                static_cast<double>(starting_capital_.micros)
          : 0.0;

  // Round trips: the closed ones, then every open position at the final mark.
  std::array<std::vector<Money>, kRows> trips = round_trips_by_row_;
  report.open_positions = 0;
  for (uint32_t i = 0; i < portfolio.instrument_count(); ++i) {
    for (const Outcome outcome : {Outcome::yes, Outcome::no}) {
      const Position& p = portfolio.position(InstrumentId{i}, outcome);
      if (!p.is_open()) continue;
      ++report.open_positions;
      const auto it = position_strategy_.find(position_key(InstrumentId{i}, outcome));
      const size_t row =
          it != position_strategy_.end() ? it->second : static_cast<size_t>(StrategyKind::manual);
      trips[row].push_back(p.round_trip_pnl +
                           portfolio.unrealized_pnl(InstrumentId{i}, outcome, MarkKind::mid));
    }
  }
  std::vector<Money> all;
  report.strategies.clear();
  for (size_t row = 0; row < kRows; ++row) {
    all.insert(all.end(), trips[row].begin(), trips[row].end());
    StrategyBreakdown b;
    b.strategy = row_name(row);
    b.opportunities = opportunities_by_row_[row];
    b.intents = intents_by_row_[row];
    b.trades = fills_by_row_[row];
    b.round_trips = trips[row].size();
    for (const Money pnl : trips[row])
      b.pnl = b.pnl + pnl;
    b.fees = fees_by_row_[row];
    b.win_loss = win_loss(trips[row]);
    report.strategies.push_back(std::move(b));
  }
  report.round_trips = all.size();
  report.win_loss = win_loss(all);
  report.drawdown = drawdown_.stats();
  report.daily_returns = daily_returns(day_closes_, starting_capital_);
  report.sharpe_ratio = annualized_sharpe(report.daily_returns);
  report.trades = trades_;

  // The curve, thinned to at most max_curve_points (every k-th point, the last always kept).
  report.equity_curve.clear();
  const size_t n = curve_.size();
  const size_t keep = std::max<size_t>(options_.max_curve_points, 2);
  const size_t stride = n <= keep ? 1 : (n + keep - 2) / (keep - 1);
  for (size_t i = 0; i < n; i += stride)
    report.equity_curve.push_back(curve_[i]);
  if (n > 0 && (n - 1) % stride != 0) report.equity_curve.push_back(curve_.back());
  if (any_round_ && (report.equity_curve.empty() || report.equity_curve.back().time != last_round_))
    report.equity_curve.push_back(EquityPoint{last_round_, report.final_capital, drawdown_.drawdown()});

  uint64_t opportunities = 0, intents = 0;
  for (size_t row = 0; row < kRows; ++row) {
    opportunities += opportunities_by_row_[row];
    intents += intents_by_row_[row];
  }
  uint64_t refusals = 0;
  for (const auto& [reason, count] : refusals_)
    refusals += count;
  report.counts.emplace_back("opportunities", opportunities);
  report.counts.emplace_back("opportunities_acted", opportunities_acted_);
  report.counts.emplace_back("intents", intents);
  report.counts.emplace_back("decisions", decisions_);
  report.counts.emplace_back("refusals", refusals);
  for (const auto& [reason, count] : refusals_)
    report.counts.emplace_back("refusals." + reason, count);
  report.counts.emplace_back("fills", trades_.size());
  report.counts.emplace_back("orders_rejected", rejected_);
  report.counts.emplace_back("orders_cancelled", cancelled_);
}

}  // namespace pmx
