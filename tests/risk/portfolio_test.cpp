// Portfolio accounting: worked examples of fills, marks, settlement, peak and daily figures.
#include "pmx/risk/portfolio.h"

#include <gtest/gtest.h>

#include "pmx/feed/market_event.h"

#include "risk_test_util.h"

namespace pmx {
namespace {

using test::cents;
using test::fill;
using test::kNoon;
using test::kSecond;
using test::usd;

using test::kA;
using test::kB;

class PortfolioTest : public ::testing::Test {
 protected:
  Portfolio portfolio{4, Money::dollars(10'000), kNoon};

  // The worked example: buy 10 YES at $0.40 paying $0.17 (Kalshi taker fee of 0.168, rounded up).
  void buy_ten_at_forty() {
    portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(10), usd(0.17)), kNoon);
  }
  // Then sell 4 at $0.55 paying $0.07 (0.0693 rounded up).
  void sell_four_at_fifty_five() {
    portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(55), Qty::contracts(4), usd(0.07)), kNoon);
  }
};

TEST_F(PortfolioTest, BuyingTakesCostAndFeeFromCash) {
  buy_ten_at_forty();
  const Position& p = portfolio.position(kA, Outcome::yes);
  EXPECT_EQ(p.qty, Qty::contracts(10));
  EXPECT_EQ(p.cost_basis, usd(4.00));
  EXPECT_EQ(p.average_price(), cents(40));
  EXPECT_EQ(portfolio.cash(), usd(9995.83));
  EXPECT_EQ(portfolio.fees_paid(), usd(0.17));
  EXPECT_EQ(portfolio.position_count(), 1);
  EXPECT_EQ(portfolio.open_exposure(), usd(4.00));
}

TEST_F(PortfolioTest, PartialSellRealizesAtTheAveragePrice) {
  buy_ten_at_forty();
  const TradeEffect effect = portfolio.apply_fill(
      fill(kA, Side::sell, Outcome::yes, cents(55), Qty::contracts(4), usd(0.07)), kNoon);
  EXPECT_EQ(effect.realized_delta, usd(0.60));  // 4 x (0.55 - 0.40)
  EXPECT_FALSE(effect.closed);
  const Position& p = portfolio.position(kA, Outcome::yes);
  EXPECT_EQ(p.qty, Qty::contracts(6));
  EXPECT_EQ(p.cost_basis, usd(2.40));
  EXPECT_EQ(p.average_price(), cents(40));
  EXPECT_EQ(portfolio.cash(), usd(9997.96));  // 9995.83 + 2.20 - 0.07
  EXPECT_EQ(portfolio.realized_pnl(), usd(0.60));
  EXPECT_EQ(portfolio.open_exposure(), usd(2.40));
}

TEST_F(PortfolioTest, SettlingYesPaysOneDollarPerYesContract) {
  buy_ten_at_forty();
  sell_four_at_fifty_five();
  const SettlementEffect effects = portfolio.settle(kA, Outcome::yes, kNoon);
  EXPECT_TRUE(effects[0].closed);
  EXPECT_EQ(effects[0].realized_delta, usd(3.60));  // 6 x (1.00 - 0.40)
  EXPECT_EQ(portfolio.cash(), usd(10'003.96));
  EXPECT_EQ(portfolio.realized_pnl(), usd(4.20));
  EXPECT_EQ(portfolio.fees_paid(), usd(0.24));
  EXPECT_EQ(portfolio.equity(), usd(10'003.96));
  EXPECT_EQ(portfolio.position_count(), 0);
  EXPECT_EQ(portfolio.open_exposure(), Money{});
  EXPECT_FALSE(portfolio.position(kA, Outcome::yes).is_open());
}

TEST_F(PortfolioTest, SettlingNoPaysYesHoldersNothing) {
  buy_ten_at_forty();
  portfolio.settle(kA, Outcome::no, kNoon);
  EXPECT_EQ(portfolio.realized_pnl(), usd(-4.00));
  EXPECT_EQ(portfolio.cash(), usd(9995.83));
}

TEST_F(PortfolioTest, NoPositionSettledNoPaysOneDollarPerContract) {
  portfolio.apply_fill(fill(kB, Side::buy, Outcome::no, cents(30), Qty::contracts(5), usd(0.08)), kNoon);
  const SettlementEffect effects = portfolio.settle(kB, Outcome::no, kNoon);
  EXPECT_TRUE(effects[1].closed);
  EXPECT_EQ(effects[1].realized_delta, usd(3.50));  // 5 x (1.00 - 0.30)
  EXPECT_EQ(effects[1].closed_round_trip_pnl, usd(3.42));
  EXPECT_EQ(portfolio.cash(), usd(10'003.42));
}

TEST_F(PortfolioTest, NoPositionSettledYesLosesItsCost) {
  portfolio.apply_fill(fill(kB, Side::buy, Outcome::no, cents(30), Qty::contracts(5)), kNoon);
  portfolio.settle(kB, Outcome::yes, kNoon);
  EXPECT_EQ(portfolio.realized_pnl(), usd(-1.50));
  EXPECT_EQ(portfolio.cash(), Money::dollars(10'000) - usd(1.50));
}

TEST_F(PortfolioTest, AveragePriceBlendsSuccessiveBuys) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(10)), kNoon);
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(50), Qty::contracts(10)), kNoon);
  EXPECT_EQ(portfolio.position(kA, Outcome::yes).average_price(), cents(45));
  const TradeEffect effect =
      portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(60), Qty::contracts(5)), kNoon);
  EXPECT_EQ(effect.realized_delta, usd(0.75));  // 5 x (0.60 - 0.45)
}

TEST_F(PortfolioTest, UnmarkedPositionIsValuedAtItsCost) {
  buy_ten_at_forty();
  EXPECT_EQ(portfolio.unrealized_pnl(), Money{});
  EXPECT_EQ(portfolio.equity(), Money::dollars(10'000) - usd(0.17));
}

TEST_F(PortfolioTest, MidAndFairValueMarksAreKeptApart) {
  buy_ten_at_forty();
  portfolio.mark(kA, MarkKind::mid, cents(50), kNoon);
  portfolio.mark(kA, MarkKind::fair, cents(45), kNoon);
  EXPECT_EQ(portfolio.unrealized_pnl(MarkKind::mid), usd(1.00));
  EXPECT_EQ(portfolio.unrealized_pnl(MarkKind::fair), usd(0.50));
  EXPECT_EQ(portfolio.equity(MarkKind::mid), usd(10'000.83));
  EXPECT_EQ(portfolio.equity(MarkKind::fair), usd(10'000.33));
}

TEST_F(PortfolioTest, NoPositionIsMarkedAtOneMinusTheYesPrice) {
  portfolio.apply_fill(fill(kB, Side::buy, Outcome::no, cents(30), Qty::contracts(10)), kNoon);
  portfolio.mark(kB, MarkKind::mid, cents(60), kNoon);  // NO worth 0.40
  EXPECT_EQ(portfolio.mark_of(kB, Outcome::no, MarkKind::mid), cents(40));
  EXPECT_EQ(portfolio.unrealized_pnl(kB, Outcome::no, MarkKind::mid), usd(1.00));
}

TEST_F(PortfolioTest, ClearingAMarkValuesThePositionAtCostAgain) {
  buy_ten_at_forty();
  portfolio.mark(kA, MarkKind::mid, cents(50), kNoon);
  portfolio.mark(kA, MarkKind::mid, kNoPrice, kNoon);
  EXPECT_EQ(portfolio.unrealized_pnl(), Money{});
}

TEST_F(PortfolioTest, PeakFollowsEquityAtMidAndDrawdownIsMeasuredFromIt) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(50), Qty::contracts(100)), kNoon);
  portfolio.mark(kA, MarkKind::mid, cents(60), kNoon);
  EXPECT_EQ(portfolio.peak_equity(), Money::dollars(10'010));
  portfolio.mark(kA, MarkKind::mid, cents(40), kNoon);
  EXPECT_EQ(portfolio.peak_equity(), Money::dollars(10'010));
  EXPECT_EQ(portfolio.drawdown(), Money::dollars(20));
  EXPECT_DOUBLE_EQ(portfolio.drawdown_pct(), 100.0 * 20.0 / 10'010.0);
}

TEST_F(PortfolioTest, FairValueMarksDoNotMoveThePeak) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(50), Qty::contracts(100)), kNoon);
  portfolio.mark(kA, MarkKind::fair, cents(90), kNoon);
  EXPECT_EQ(portfolio.peak_equity(), Money::dollars(10'000));
}

TEST_F(PortfolioTest, ResetPeakStartsDrawdownFromCurrentEquity) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(50), Qty::contracts(100)), kNoon);
  portfolio.mark(kA, MarkKind::mid, cents(40), kNoon);
  EXPECT_EQ(portfolio.drawdown(), Money::dollars(10));
  portfolio.reset_peak();
  EXPECT_EQ(portfolio.drawdown(), Money{});
}

TEST_F(PortfolioTest, DrawdownAtLeastUsesTheExactThreshold) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(50), Qty::contracts(1000)), kNoon);
  portfolio.mark(kA, MarkKind::mid, Price{4001}, kNoon);  // loss 99.90: 0.999 % of 10,000
  EXPECT_FALSE(portfolio.drawdown_at_least(1.0));
  portfolio.mark(kA, MarkKind::mid, Price{4000}, kNoon);  // loss 100.00: exactly 1 %
  EXPECT_TRUE(portfolio.drawdown_at_least(1.0));
}

TEST_F(PortfolioTest, DailyFiguresResetAtTheUtcDayBoundary) {
  const WallNanos midnight{(kNoon.ns / (86'400 * kSecond) + 1) * 86'400 * kSecond};
  buy_ten_at_forty();
  sell_four_at_fifty_five();
  portfolio.roll_day(WallNanos{midnight.ns - 1});
  EXPECT_EQ(portfolio.realized_today(), usd(0.60));
  EXPECT_EQ(portfolio.fees_today(), usd(0.24));
  EXPECT_EQ(portfolio.day_start_equity(), Money::dollars(10'000));

  portfolio.roll_day(midnight);
  EXPECT_EQ(portfolio.realized_today(), Money{});
  EXPECT_EQ(portfolio.fees_today(), Money{});
  EXPECT_EQ(portfolio.day_start_equity(), portfolio.equity());
  EXPECT_EQ(portfolio.realized_pnl(), usd(0.60));  // lifetime figures stay
}

TEST_F(PortfolioTest, AFillOnANewDayCountsForThatDay) {
  const WallNanos tomorrow{kNoon.ns + 86'400 * kSecond};
  buy_ten_at_forty();
  portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(55), Qty::contracts(4), usd(0.07)), tomorrow);
  EXPECT_EQ(portfolio.realized_today(), usd(0.60));
  EXPECT_EQ(portfolio.fees_today(), usd(0.07));
  EXPECT_EQ(portfolio.day_start_equity(), usd(9999.83));
}

TEST_F(PortfolioTest, SellingWithoutAHoldingOpensAShortWhoseExposureIsItsMaxLoss) {
  portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(30), Qty::contracts(10)), kNoon);
  const Position& p = portfolio.position(kA, Outcome::yes);
  EXPECT_EQ(p.qty, Qty::contracts(-10));
  EXPECT_EQ(p.cost_basis, usd(-3.00));
  EXPECT_EQ(p.exposure(), usd(7.00));
  EXPECT_EQ(portfolio.cash(), usd(10'003.00));
  portfolio.settle(kA, Outcome::no, kNoon);
  EXPECT_EQ(portfolio.realized_pnl(), usd(3.00));
  EXPECT_EQ(portfolio.equity(), usd(10'003.00));
}

TEST_F(PortfolioTest, ASellLargerThanTheHoldingFlipsToShort) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(5)), kNoon);
  const TradeEffect effect =
      portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(50), Qty::contracts(8)), kNoon);
  EXPECT_TRUE(effect.closed);
  EXPECT_TRUE(effect.opened);
  EXPECT_EQ(effect.realized_delta, usd(0.50));
  EXPECT_EQ(portfolio.position(kA, Outcome::yes).qty, Qty::contracts(-3));
  EXPECT_EQ(portfolio.position(kA, Outcome::yes).cost_basis, usd(-1.50));
  EXPECT_EQ(portfolio.position_count(), 1);
}

TEST_F(PortfolioTest, ClosingReportsTheRoundTripNetOfEveryFee) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(10), usd(0.17)), kNoon);
  portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(45), Qty::contracts(4), usd(0.07)), kNoon);
  const TradeEffect effect = portfolio.apply_fill(
      fill(kA, Side::sell, Outcome::yes, cents(35), Qty::contracts(6), usd(0.10)), kNoon);
  EXPECT_TRUE(effect.closed);
  EXPECT_EQ(effect.closed_round_trip_pnl, usd(0.20 - 0.30 - 0.34));
}

TEST_F(PortfolioTest, ClosedPositionKeepsItsRoundTripUntilItReopens) {
  buy_ten_at_forty();
  portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(55), Qty::contracts(10), usd(0.17)), kNoon);
  const Position& p = portfolio.position(kA, Outcome::yes);
  EXPECT_FALSE(p.is_open());
  EXPECT_EQ(p.round_trip_pnl, usd(1.50 - 0.34));
  EXPECT_EQ(p.round_trip_fees, usd(0.34));
}

TEST_F(PortfolioTest, ReopeningStartsANewRoundTrip) {
  buy_ten_at_forty();
  portfolio.apply_fill(fill(kA, Side::sell, Outcome::yes, cents(55), Qty::contracts(10), usd(0.17)), kNoon);
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(50), Qty::contracts(2), usd(0.05)), kNoon);
  const Position& p = portfolio.position(kA, Outcome::yes);
  EXPECT_EQ(p.round_trip_pnl, usd(-0.05));
  EXPECT_EQ(p.round_trip_fees, usd(0.05));
}

TEST_F(PortfolioTest, FlipGivesTheWholeFeeToTheClosedRoundTripAndStartsTheNextAtZero) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(5), usd(0.09)), kNoon);
  const TradeEffect effect = portfolio.apply_fill(
      fill(kA, Side::sell, Outcome::yes, cents(50), Qty::contracts(8), usd(0.14)), kNoon);
  EXPECT_EQ(effect.closed_round_trip_pnl, usd(0.50 - 0.09 - 0.14));
  const Position& p = portfolio.position(kA, Outcome::yes);
  EXPECT_EQ(p.round_trip_pnl, Money{});
  EXPECT_EQ(p.round_trip_fees, Money{});
}

TEST_F(PortfolioTest, RestoredRoundTripCarriesOnIntoTheClose) {
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(6)), kNoon);  // a restart
  ASSERT_TRUE(portfolio.restore_round_trip(kA, Outcome::yes, usd(-0.04), usd(0.24)));
  const TradeEffect effect = portfolio.apply_fill(
      fill(kA, Side::sell, Outcome::yes, cents(50), Qty::contracts(6), usd(0.10)), kNoon);
  EXPECT_EQ(effect.closed_round_trip_pnl, usd(-0.04 + 0.60 - 0.10));
  EXPECT_EQ(portfolio.position(kA, Outcome::yes).round_trip_fees, usd(0.34));
  EXPECT_EQ(portfolio.realized_pnl(), usd(0.60)) << "the account's figures are this run's";
}

TEST_F(PortfolioTest, RestoringTheRoundTripOfAFlatPositionChangesNothing) {
  EXPECT_FALSE(portfolio.restore_round_trip(kA, Outcome::yes, usd(1.00), usd(0.10)));
  EXPECT_FALSE(portfolio.restore_round_trip(InstrumentId{99}, Outcome::yes, usd(1.00), usd(0.10)));
  EXPECT_EQ(portfolio.position(kA, Outcome::yes).round_trip_pnl, Money{});
}

TEST_F(PortfolioTest, ReportsThatAreNotFillsChangeNothing) {
  portfolio.apply_fill(
      fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(10), Money{}, ExecType::accepted), kNoon);
  portfolio.apply_fill(fill(InstrumentId{99}, Side::buy, Outcome::yes, cents(40), Qty::contracts(1)), kNoon);
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty{}), kNoon);
  EXPECT_EQ(portfolio.ignored_reports(), 3U);
  EXPECT_EQ(portfolio.cash(), Money::dollars(10'000));
  EXPECT_EQ(portfolio.position_count(), 0);
}

TEST_F(PortfolioTest, PartialFillsAccumulate) {
  portfolio.apply_fill(
      fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(3), Money{}, ExecType::partial_fill),
      kNoon);
  portfolio.apply_fill(fill(kA, Side::buy, Outcome::yes, cents(40), Qty::contracts(7)), kNoon);
  EXPECT_EQ(portfolio.position(kA, Outcome::yes).qty, Qty::contracts(10));
  EXPECT_EQ(portfolio.position_count(), 1);
}

}  // namespace
}  // namespace pmx
