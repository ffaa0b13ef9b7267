// Backtest metrics on hand-computed series.
#include "pmx/backtest/metrics.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace pmx {
namespace {

Money usd(double d) {
  return Money::from_micros(static_cast<int64_t>(std::llround(d * 1e6)));
}

// Start $100; closes $110, $99, $108.90: returns +10%, -10%, +10%.
std::vector<DayClose> three_days() {
  return {{20'000, usd(110)}, {20'001, usd(99)}, {20'002, usd(108.9)}};
}

TEST(Metrics, DailyReturnIsEachCloseOverThePreviousOneAndTheFirstOverStartingCapital) {
  const std::vector<DailyReturn> r = daily_returns(three_days(), usd(100));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_NEAR(r[0].return_fraction, 0.10, 1e-12);
  EXPECT_NEAR(r[1].return_fraction, -0.10, 1e-12);
  EXPECT_NEAR(r[2].return_fraction, 0.10, 1e-12);
  EXPECT_EQ(r[2].close, usd(108.9));
}

TEST(Metrics, SharpeIsMeanOverSampleDeviationTimesSqrt365) {
  // mean 1/30, sample variance ((1/15)^2 * 2 + (2/15)^2) / 2 = 1/75: Sharpe = sqrt(75)/30 * sqrt(365).
  const std::vector<DailyReturn> r = daily_returns(three_days(), usd(100));
  const std::optional<double> sharpe = annualized_sharpe(r);
  ASSERT_TRUE(sharpe.has_value());
  EXPECT_NEAR(*sharpe, std::sqrt(75.0 * 365.0) / 30.0, 1e-9);
}

TEST(Metrics, SharpeIsUndefinedWithOneDay) {
  const std::vector<DayClose> one = {{20'000, usd(101)}};
  EXPECT_FALSE(annualized_sharpe(daily_returns(one, usd(100))).has_value());
}

TEST(Metrics, SharpeIsUndefinedWithoutVariance) {
  const std::vector<DayClose> flat = {{1, usd(100)}, {2, usd(100)}, {3, usd(100)}};
  EXPECT_FALSE(annualized_sharpe(daily_returns(flat, usd(100))).has_value());
}

TEST(Metrics, MaxDrawdownIsTheLargestFallFromARunningPeak) {
  // 100 -> 110 -> 99 (-11, 10%) -> 108.9 -> 120 -> 90 (-30, 25%).
  const std::vector<Money> equity = {usd(110), usd(99), usd(108.9), usd(120), usd(90)};
  const DrawdownStats s = max_drawdown(equity, usd(100));
  EXPECT_EQ(s.max_drawdown, usd(30));
  EXPECT_NEAR(s.max_drawdown_pct, 25.0, 1e-12);
}

TEST(Metrics, DrawdownCountsAFallBelowTheStartingCapital) {
  const std::vector<Money> equity = {usd(95)};
  EXPECT_EQ(max_drawdown(equity, usd(100)).max_drawdown, usd(5));
}

TEST(Metrics, NoDrawdownOnARisingSeries) {
  const std::vector<Money> equity = {usd(101), usd(102), usd(103)};
  EXPECT_EQ(max_drawdown(equity, usd(100)).max_drawdown, Money{});
}

TEST(Metrics, WinRateCountsBreakEvenAsNotAWin) {
  const std::vector<Money> trips = {usd(5), usd(-3), usd(0), usd(7), usd(-1)};
  const WinLossStats s = win_loss(trips);
  EXPECT_EQ(s.wins, 2u);
  EXPECT_EQ(s.losses, 3u);
  EXPECT_DOUBLE_EQ(s.win_rate, 0.4);
}

TEST(Metrics, AverageWinAndLossAreExactMicroDollarsTruncated) {
  const std::vector<Money> trips = {usd(5), usd(-3), usd(0), usd(7), usd(-1)};
  const WinLossStats s = win_loss(trips);
  EXPECT_EQ(s.avg_win, usd(6));
  EXPECT_EQ(s.avg_loss, Money::from_micros(-1'333'333));  // -4 / 3, toward zero
}

TEST(Metrics, NoRoundTripsGiveZeroes) {
  const WinLossStats s = win_loss({});
  EXPECT_EQ(s.wins + s.losses, 0u);
  EXPECT_EQ(s.win_rate, 0.0);
}

TEST(Metrics, UtcDayAndDate) {
  const WallNanos noon{1'795'521'600LL * 1'000'000'000};  // 2026-11-24 12:00:00 UTC
  EXPECT_EQ(utc_date_yyyymmdd(utc_day(noon)), 20261124);
  EXPECT_EQ(utc_date_yyyymmdd(0), 19700101);
  EXPECT_EQ(utc_day(WallNanos{-1}), -1) << "a nanosecond before the epoch is the day before";
}

}  // namespace
}  // namespace pmx
