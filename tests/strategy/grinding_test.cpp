#include "pmx/strategy/grinding.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "pmx/model/fees.h"
#include "pmx/strategy/depth.h"

#include "strategy_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;
using test::kHour;

using test::kNow;
constexpr InstrumentId kMarket{0};

class GrindingTest : public ::testing::Test {
 protected:
  GrindingTest() {
    info.id = kMarket;
    info.venue = Venue::kalshi;
    info.close_time = WallNanos{kNow.ns + 2 * kHour};             // threshold 0.991667
    books.ensure(kMarket, Venue::kalshi, Price::from_ticks(10));  // 0.1¢ ticks
  }
  Verdict detect(double p, Outcome outcome = Outcome::yes, Money capital = Money::dollars(10'000)) {
    return detector.detect(books, info, outcome, p, capital, kNow, opportunity);
  }

  GrindingConfig config;
  GrindingDetector detector{config};
  MarketInfo info;
  BookSet books{false};
  Opportunity opportunity;
};

TEST(GrindingThreshold, ReproducesTheSpecTableAt24And12And6Hours) {
  const GrindingConfig config;
  EXPECT_DOUBLE_EQ(GrindingDetector::threshold(24.0, config), 0.90);
  EXPECT_DOUBLE_EQ(GrindingDetector::threshold(12.0, config), 0.95);
  EXPECT_DOUBLE_EQ(GrindingDetector::threshold(6.0, config), 0.975);
}

TEST(GrindingThreshold, IsTheFormulasValueAtOneHourNotTheTablesRounding) {
  const GrindingConfig config;
  // 0.90 + 0.10 x (1 - 1/24) = 0.995833..., which the spec's table prints as 99.0%.
  EXPECT_NEAR(GrindingDetector::threshold(1.0, config), 0.99583333333, 1e-10);
  EXPECT_GT(GrindingDetector::threshold(1.0, config), 0.995);
}

TEST(GrindingThreshold, MinimumEvGrowsWithSizeOverCapital) {
  const GrindingConfig config;
  EXPECT_DOUBLE_EQ(GrindingDetector::min_ev_fraction(Money{}, Money::dollars(10'000), config), 0.005);
  EXPECT_DOUBLE_EQ(GrindingDetector::min_ev_fraction(Money::dollars(5'000), Money::dollars(10'000), config),
                   0.0075);
}

TEST_F(GrindingTest, BuysANearCertainOutcomeBelowItsProbability) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.03, 500}});  // YES ask 0.97 x 500
  ASSERT_EQ(detect(0.998), Verdict::emitted);
  EXPECT_EQ(opportunity.strategy, StrategyKind::grinding);
  EXPECT_EQ(opportunity.leg_count, 1);
  EXPECT_EQ(opportunity.size, contracts(500));
  EXPECT_EQ(opportunity.total_cost, Money::dollars(485));
  // 0.07 x 500 x 0.97 x 0.03 = 1.0185 -> 1.02
  EXPECT_EQ(opportunity.total_fees, Money::from_micros(1'020'000));
  // 0.998 x 500 - 485 - 1.02 = 12.98
  EXPECT_EQ(opportunity.expected_value, Money::from_micros(12'980'000));
  EXPECT_NEAR(opportunity.ev_per_dollar, 12.98 / 486.02, 1e-12);
  EXPECT_EQ(opportunity.expiry, info.close_time);
  EXPECT_EQ(opportunity.detected_at, kNow);
  const OpportunityLeg& leg = opportunity.legs[0];
  EXPECT_EQ(leg.instrument, kMarket);
  EXPECT_EQ(leg.outcome, Outcome::yes);
  EXPECT_EQ(leg.side, Side::buy);
  EXPECT_EQ(leg.limit_price, dollars(0.97));
  EXPECT_EQ(leg.average_price, dollars(0.97));
}

TEST_F(GrindingTest, BuysKalshiNoAtOneMinusTheYesBid) {
  test::kalshi_snapshot(books, kMarket, {{0.03, 500}}, {});  // NO ask 0.97 x 500
  ASSERT_EQ(detect(0.998, Outcome::no), Verdict::emitted);
  EXPECT_EQ(opportunity.legs[0].outcome, Outcome::no);
  EXPECT_EQ(opportunity.legs[0].limit_price, dollars(0.97));
  EXPECT_EQ(opportunity.size, contracts(500));
}

TEST_F(GrindingTest, SizeStopsWhereTheMinimumEvForThatSizeIsNoLongerMet) {
  // 1 h left (threshold 0.995833), p = 0.997, ask 0.99: EV 0.6366% of the outlay, which clears
  // 0.5% x (1 + outlay / capital) only while outlay <= ~27% of $10,000.
  info.close_time = WallNanos{kNow.ns + kHour};
  test::kalshi_snapshot(books, kMarket, {}, {{0.01, 10'000}});
  ASSERT_EQ(detect(0.997), Verdict::emitted);
  const Money capital = Money::dollars(10'000);
  const auto ev_fraction_ok = [&](Qty q) {
    const Money cost = notional(dollars(0.99), q);
    const Money fee = kalshi_fee(dollars(0.99), q, Liquidity::taker, info.fees);
    const double ev = 0.997 * static_cast<double>(q.units) - static_cast<double>((cost + fee).micros);
    return ev >= GrindingDetector::min_ev_fraction(cost + fee, capital, config) *
                     static_cast<double>((cost + fee).micros);
  };
  EXPECT_LT(opportunity.size, contracts(10'000));
  EXPECT_GT(opportunity.size, contracts(2'500));
  EXPECT_TRUE(ev_fraction_ok(opportunity.size));
  EXPECT_FALSE(ev_fraction_ok(opportunity.size + Qty::from_units(10'000)));
}

TEST_F(GrindingTest, RefusesAnOutcomeAtOrBelowTheThreshold) {
  info.close_time = WallNanos{kNow.ns + 12 * kHour};           // threshold 0.95
  test::kalshi_snapshot(books, kMarket, {}, {{0.10, 5'000}});  // YES ask 0.90
  EXPECT_EQ(detect(0.95), Verdict::below_threshold);
  EXPECT_EQ(detect(0.951), Verdict::emitted);
}

TEST_F(GrindingTest, IgnoresMarketsOutsideTheWindow) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.03, 500}});
  info.close_time = WallNanos{kNow.ns + 25 * kHour};
  EXPECT_EQ(detect(0.999), Verdict::outside_window);
  info.close_time = WallNanos{kNow.ns - 1};
  EXPECT_EQ(detect(0.999), Verdict::outside_window);
}

TEST_F(GrindingTest, FindsNoEdgeWhenTheAskPlusFeeIsAboveTheProbability) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.002, 5'000}});  // YES ask 0.998
  EXPECT_EQ(detect(0.998), Verdict::no_edge);
}

TEST_F(GrindingTest, RequiresTheMinimumLiquidityAtTheLimitPrice) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.03, 50}});  // 50 x 0.97 = $48.50 < $100
  EXPECT_EQ(detect(0.998), Verdict::insufficient_liquidity);
}

TEST_F(GrindingTest, DoesNotTradeAStaleBook) {
  EXPECT_EQ(detect(0.998), Verdict::stale_book);  // no snapshot yet
}

TEST_F(GrindingTest, RefusesAProbabilityThatIsNotOne) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.03, 500}});
  EXPECT_EQ(detect(std::numeric_limits<double>::quiet_NaN()), Verdict::bad_input);
  EXPECT_EQ(detect(1.5), Verdict::bad_input);
  EXPECT_EQ(detect(0.998, Outcome::yes, Money{}), Verdict::bad_input);
}

TEST_F(GrindingTest, CountsEveryVerdict) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.03, 500}});
  detect(0.998);
  detect(0.5);
  EXPECT_EQ(detector.counters()[Verdict::emitted], 1u);
  EXPECT_EQ(detector.counters()[Verdict::below_threshold], 1u);
}

TEST_F(GrindingTest, GivesEachOpportunityANewId) {
  test::kalshi_snapshot(books, kMarket, {}, {{0.03, 500}});
  ASSERT_EQ(detect(0.998), Verdict::emitted);
  const uint64_t first = opportunity.id;
  ASSERT_EQ(detect(0.998), Verdict::emitted);
  EXPECT_NE(opportunity.id, first);
}

TEST(GrindingConfigCheck, RefusesAnUnusableConfig) {
  GrindingConfig config;
  config.base_threshold = 1.0;
  EXPECT_THROW(GrindingDetector{config}, std::invalid_argument);
  config = GrindingConfig{};
  config.window_hours = 0;
  EXPECT_THROW(GrindingDetector{config}, std::invalid_argument);
}

}  // namespace
}  // namespace pmx
