// BacktestLedger: the ops records of a replay turned into trades, round trips and counts.
#include "pmx/backtest/backtest_ledger.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

class Ledger : public ::testing::Test {
 protected:
  static MarketUniverse one_market() {
    MarketUniverse u;
    MarketInfo m;
    m.venue = Venue::kalshi;
    m.key = m.market_key = "KXTEST-1";
    u.add_market(m);
    return u;
  }

  void submit(uint64_t intent_id, StrategyKind strategy) {
    OrderSubmittedRecord record;
    record.intent.intent_id = intent_id;
    record.intent.instrument = id;
    record.intent.strategy = strategy;
    ledger.on_ops_event(OpsEvent::of(record));
  }
  // A whole fill of `contracts` at `price` ticks with `fee` micro-dollars, to the ledger and to
  // `engine` (what the engine's portfolio holds at the end).
  void fill(uint64_t intent_id, Side side, int32_t price, int64_t contracts, int64_t fee) {
    ExecReport r;
    r.intent_id = intent_id;
    r.instrument = id;
    r.venue = Venue::kalshi;
    r.side = side;
    r.type = ExecType::fill;
    r.fill_price = Price::from_ticks(price);
    r.fill_qty = r.cumulative_qty = Qty::contracts(contracts);
    r.fee = Money::from_micros(fee);
    r.ts = WallNanos{1'000};
    ledger.on_ops_event(OpsEvent::of(r));
    engine.apply_fill(r, r.ts);
    ledger.on_round(r.ts, engine);
  }
  const StrategyBreakdown& row(const BacktestReport& report, StrategyKind kind) {
    return report.strategies[static_cast<size_t>(kind)];
  }

  MarketUniverse universe = one_market();  // complete before the ledger is built from it
  InstrumentId id{0};
  Portfolio engine{8, Money::dollars(1'000), WallNanos{}};
  BacktestLedger ledger{universe, Money::dollars(1'000)};
};

TEST_F(Ledger, ClosedRoundTripIsAWinNetOfFeesForTheStrategyThatOpenedIt) {
  submit(1, StrategyKind::grinding);
  submit(2, StrategyKind::exit);
  fill(1, Side::buy, 4'000, 10, 100'000);   // $4.00 + $0.10
  fill(2, Side::sell, 5'000, 10, 100'000);  // $5.00 - $0.10
  BacktestReport report;
  ledger.finish(engine, report);
  EXPECT_EQ(report.round_trips, 1u);
  EXPECT_EQ(report.win_loss.wins, 1u);
  EXPECT_EQ(report.win_loss.avg_win, Money::from_micros(800'000));
  EXPECT_EQ(row(report, StrategyKind::grinding).pnl, Money::from_micros(800'000));
  EXPECT_EQ(row(report, StrategyKind::grinding).trades, 1u);
  EXPECT_EQ(row(report, StrategyKind::exit).trades, 1u);
  EXPECT_EQ(row(report, StrategyKind::exit).round_trips, 0u);
}

TEST_F(Ledger, ClosedRoundTripBelowItsCostIsALoss) {
  submit(1, StrategyKind::grinding);
  submit(2, StrategyKind::exit);
  fill(1, Side::buy, 4'000, 10, 0);
  fill(2, Side::sell, 3'800, 10, 0);
  BacktestReport report;
  ledger.finish(engine, report);
  EXPECT_EQ(report.win_loss.losses, 1u);
  EXPECT_EQ(report.win_loss.avg_loss, Money::from_micros(-200'000));
}

TEST_F(Ledger, OpenPositionCountsAtTheFinalMark) {
  submit(1, StrategyKind::grinding);
  fill(1, Side::buy, 4'000, 10, 0);
  engine.mark(id, MarkKind::mid, Price::from_ticks(4'500), WallNanos{2'000});
  BacktestReport report;
  ledger.finish(engine, report);
  EXPECT_EQ(report.open_positions, 1u);
  EXPECT_EQ(report.win_loss.avg_win, Money::from_micros(500'000));
}

TEST_F(Ledger, FillOfAGatewayUnwindIsItsOwnRow) {
  ExecReport r;
  r.intent_id = (uint64_t{1} << 63) | 5;
  r.instrument = id;
  r.type = ExecType::fill;
  r.side = Side::sell;
  r.fill_price = Price::from_ticks(100);
  r.fill_qty = r.cumulative_qty = Qty::contracts(1);
  ledger.on_ops_event(OpsEvent::of(r));
  BacktestReport report;
  ledger.finish(engine, report);
  ASSERT_EQ(report.trades.size(), 1u);
  EXPECT_EQ(report.trades[0].strategy, "unwind");
  EXPECT_EQ(report.strategies.back().trades, 1u);
}

TEST_F(Ledger, RefusalsAreCountedByReason) {
  AuditRecord audit;
  audit.kind = AuditKind::refusal;
  copy_text(audit.reason, "trade_cooldown");
  ledger.on_ops_event(OpsEvent::of(audit));
  ledger.on_ops_event(OpsEvent::of(audit));
  BacktestReport report;
  ledger.finish(engine, report);
  bool found = false;
  for (const auto& [name, value] : report.counts) {
    if (name != "refusals.trade_cooldown") continue;
    found = true;
    EXPECT_EQ(value, 2u);
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace pmx
