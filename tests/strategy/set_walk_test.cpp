#include "pmx/strategy/set_walk.h"

#include <array>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/strategy/full_set_arbitrage.h"

#include "strategy_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;

// Polymarket legs with no fee rate: the arithmetic of the walk without fees.
const FeeParams kNoFees{};
FeeParams kalshi_fees() {
  return FeeParams{};
}

SetWalkLimits limits(double min_profit = 0.0) {
  SetWalkLimits l;
  l.min_profit_per_set = Money::from_micros(std::llround(min_profit * 1e6));
  return l;
}

SetWalkResult walk(const std::vector<std::vector<Level>>& books, Venue venue, const FeeParams& fees,
                   const SetWalkLimits& l, std::array<SetLegFill, 8>& fills) {
  std::array<SetLeg, 8> legs{};
  for (size_t i = 0; i < books.size(); ++i)
    legs[i] = SetLeg{books[i], venue, &fees};
  return walk_full_sets(std::span(legs).first(books.size()), l, std::span(fills).first(books.size()));
}

TEST(SetWalk, BuysAsManySetsAsTheThinnestLegAllows) {
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk(
      {{{dollars(0.30), contracts(100)}}, {{dollars(0.40), contracts(7)}}, {{dollars(0.20), contracts(50)}}},
      Venue::polymarket, kNoFees, limits(0.01), fills);
  EXPECT_EQ(r.sets, contracts(7));
  EXPECT_EQ(r.cost, Money::from_micros(6'300'000));  // 7 x 0.90
  EXPECT_EQ(fills[1].walk.filled, contracts(7));
}

TEST(SetWalk, StopsWhenTheMarginalSetIsNoLongerProfitable) {
  // Leg A: 10 at 0.45, then 0.56. Leg B: 30 at 0.50. First 10 sets cost 0.95; the next cost 1.06.
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk(
      {{{dollars(0.45), contracts(10)}, {dollars(0.56), contracts(100)}}, {{dollars(0.50), contracts(30)}}},
      Venue::polymarket, kNoFees, limits(0.01), fills);
  EXPECT_EQ(r.sets, contracts(10));
  EXPECT_EQ(fills[0].walk.worst_price, dollars(0.45));
}

TEST(SetWalk, WalksDeeperLevelsWhileTheyStillPay) {
  // Sets 1-10 cost 0.95, sets 11-30 cost 0.98, then 1.06.
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r =
      walk({{{dollars(0.45), contracts(10)}, {dollars(0.48), contracts(20)}, {dollars(0.56), contracts(100)}},
            {{dollars(0.50), contracts(100)}}},
           Venue::polymarket, kNoFees, limits(0.01), fills);
  EXPECT_EQ(r.sets, contracts(30));
  EXPECT_EQ(r.cost, Money::from_micros(10 * 950'000 + 20 * 980'000));
  EXPECT_EQ(fills[0].walk.worst_price, dollars(0.48));
}

TEST(SetWalk, ASetCostingExactlyOneDollarLessMinProfitIsNotBought) {
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk({{{dollars(0.49), contracts(10)}}, {{dollars(0.50), contracts(10)}}},
                               Venue::polymarket, kNoFees, limits(0.01), fills);
  EXPECT_EQ(r.sets, Qty{});
  EXPECT_TRUE(r.any_edge);  // below $1, but not by more than the minimum profit
}

TEST(SetWalk, ASetAtOrAboveOneDollarHasNoEdge) {
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk({{{dollars(0.50), contracts(10)}}, {{dollars(0.50), contracts(10)}}},
                               Venue::polymarket, kNoFees, limits(0.0), fills);
  EXPECT_EQ(r.sets, Qty{});
  EXPECT_FALSE(r.any_edge);
}

TEST(SetWalk, FeesCountAgainstEverySet) {
  // 0.45 + 0.50 = 0.95 before fees; Kalshi fees 0.07 x p(1-p): 0.0173 + 0.0175 = 0.0348 per set,
  // so a set costs 0.9848: profitable at a 1¢ minimum, not at 2¢.
  const FeeParams fees = kalshi_fees();
  std::array<SetLegFill, 8> fills{};
  const std::vector<std::vector<Level>> books{{{dollars(0.45), contracts(100)}},
                                              {{dollars(0.50), contracts(100)}}};
  EXPECT_EQ(walk(books, Venue::kalshi, fees, limits(0.01), fills).sets, contracts(100));
  EXPECT_EQ(walk(books, Venue::kalshi, fees, limits(0.02), fills).sets, Qty{});
}

TEST(SetWalk, TheVenuesCentRoundingCanEraseASmallEdge) {
  // One contract each at 0.45 and 0.50: fees round up to 2¢ each, 0.95 + 0.04 = 0.99, which is
  // not below 1 - 0.01 even though the unrounded marginal set (0.9848) is.
  const FeeParams fees = kalshi_fees();
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk({{{dollars(0.45), contracts(1)}}, {{dollars(0.50), contracts(1)}}},
                               Venue::kalshi, fees, limits(0.01), fills);
  EXPECT_EQ(r.sets, Qty{});
  EXPECT_TRUE(r.any_edge);
}

TEST(SetWalk, FallsBackToAnEarlierSizeWhenRoundingSpoilsTheLast) {
  // One set at 0.40 + 0.50 costs 0.90 + fees 0.02 + 0.02 = 0.94, below the 0.945 bar. A tail of
  // 0.01 contract at 0.41 passes the marginal test (0.41 + 0.50 + 0.0344 of fee rates = 0.9444)
  // but its own fill's fee rounds up a whole cent: 1.01 sets would cost 0.9591 > 0.945 x 1.01.
  // The walk settles on the one set.
  const FeeParams fees = kalshi_fees();
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk(
      {{{dollars(0.40), contracts(1)}, {dollars(0.41), contracts(0.01)}}, {{dollars(0.50), contracts(2)}}},
      Venue::kalshi, fees, limits(0.055), fills);
  EXPECT_EQ(r.sets, contracts(1));
  EXPECT_EQ(r.cost + r.fees, Money::from_micros(940'000));
}

TEST(SetWalk, SizesAreWholeLots) {
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r = walk({{{dollars(0.30), contracts(7.123456)}}, {{dollars(0.40), contracts(50)}}},
                               Venue::polymarket, kNoFees, limits(0.01), fills);
  EXPECT_EQ(r.sets, contracts(7.12));
}

TEST(SetWalk, AnEmptyLegMeansNoSet) {
  std::array<SetLegFill, 8> fills{};
  const SetWalkResult r =
      walk({{{dollars(0.30), contracts(10)}}, {}}, Venue::polymarket, kNoFees, limits(0.01), fills);
  EXPECT_EQ(r.sets, Qty{});
}

TEST(SetWalk, RespectsTheMaximumNumberOfSets) {
  std::array<SetLegFill, 8> fills{};
  SetWalkLimits l = limits(0.01);
  l.max_sets = contracts(3);
  const SetWalkResult r = walk({{{dollars(0.30), contracts(10)}}, {{dollars(0.30), contracts(10)}}},
                               Venue::polymarket, kNoFees, l, fills);
  EXPECT_EQ(r.sets, contracts(3));
}

TEST(ArbitrageParamsFromConfig, TakesEveryDetectorParameterWithTheLotInMillionths) {
  ArbitrageConfig config;
  config.min_profit_per_set = Money::from_micros(25'000);
  config.min_leg_liquidity = Money::dollars(40);
  config.lot = 0.5;
  config.max_levels = 12;
  const ArbitrageParams params = arbitrage_params(config);
  EXPECT_EQ(params.min_profit_per_set, Money::from_micros(25'000));
  EXPECT_EQ(params.min_leg_liquidity, Money::dollars(40));
  EXPECT_EQ(params.lot, Qty::from_units(500'000));
  EXPECT_EQ(params.max_levels, 12U);
}

TEST(ArbitrageParamsFromConfig, DefaultsMatchTheDetectorsDefaults) {
  const ArbitrageParams params = arbitrage_params(ArbitrageConfig{});
  const ArbitrageParams defaults{};
  EXPECT_EQ(params.min_profit_per_set, defaults.min_profit_per_set);
  EXPECT_EQ(params.min_leg_liquidity, defaults.min_leg_liquidity);
  EXPECT_EQ(params.lot, defaults.lot);
  EXPECT_EQ(params.max_levels, defaults.max_levels);
}

}  // namespace
}  // namespace pmx
