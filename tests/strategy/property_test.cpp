// Properties over a few thousand random books: every emitted opportunity has a positive expected
// value net of fees, agrees with the books it came from, and asks no leg for more than the book
// holds at or below the leg's limit price.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "pmx/model/fees.h"
#include "pmx/strategy/depth.h"

#include "random_world.h"

namespace pmx {
namespace {

constexpr int kBooks = 3000;

class RandomBooks : public ::testing::Test {
 protected:
  // Checks what every emitted opportunity must satisfy; `payout` is what the size pays.
  void check(const Opportunity& o, Money payout, const char* what) {
    SCOPED_TRACE(what);
    ++emitted;
    ASSERT_GE(o.leg_count, 1);
    ASSERT_LE(o.leg_count, Opportunity::kMaxLegs);
    EXPECT_GT(o.size.units, 0);
    EXPECT_GT(o.expected_value.micros, 0) << "negative or zero EV emitted";
    EXPECT_EQ(o.expected_value, payout - o.total_cost - o.total_fees);
    EXPECT_GT(o.ev_per_dollar, 0.0);
    Money cost{};
    Money fees{};
    for (size_t i = 0; i < o.leg_count; ++i) {
      const OpportunityLeg& leg = o.legs[i];
      EXPECT_EQ(leg.qty, o.size);
      const Qty available = buy_size_up_to(world.books, leg.instrument, leg.outcome, leg.limit_price);
      EXPECT_LE(leg.qty, available) << "leg " << i << " exceeds the depth at its limit";
      const WalkResult walk = buy_walk(world.books, leg.instrument, leg.outcome, leg.qty);
      EXPECT_EQ(walk.filled, leg.qty);
      EXPECT_EQ(walk.cost, leg.cost);
      EXPECT_EQ(walk.worst_price, leg.limit_price);
      EXPECT_LE(leg.average_price, leg.limit_price);
      cost = cost + leg.cost;
      fees = fees + leg.fee;
    }
    EXPECT_EQ(cost, o.total_cost);
    EXPECT_EQ(fees, o.total_fees);
  }

  test::RandomWorld world;
  std::mt19937_64 rng{20260829};
  int emitted = 0;
};

TEST_F(RandomBooks, NoArbitrageOpportunityHasNegativeEvOrExceedsTheDepth) {
  ArbitrageParams config;
  config.min_leg_liquidity = Money::dollars(1);  // small, so that plenty of sets get through
  BundleArbitrage bundles(world.universe, config);
  CrossVenueArbitrage cross(world.universe, {CrossVenuePair{"X", "X", "1001", "1002", "", "", {}, {}}},
                            config);
  MonotonicityArbitrage ladders(world.universe, config);
  int by_kind[3] = {};
  for (int i = 0; i < kBooks; ++i) {
    world.randomize(rng);
    Opportunity o;
    if (bundles.detect(0, world.books, world.kNow, o) == Verdict::emitted) {
      check(o, Money{o.size.units}, "bundle");
      EXPECT_LT(Int128{o.outlay().micros} * Qty::kUnitsPerContract,
                Int128{(Money::dollars(1) - config.min_profit_per_set).micros} * o.size.units);
      ++by_kind[0];
    }
    if (cross.detect(0, world.books, world.kNow, o) == Verdict::emitted) {
      check(o, Money{o.size.units}, "cross-venue");
      ++by_kind[1];
    }
    if (ladders.detect_ladder(0, world.books, world.kNow, o) == Verdict::emitted) {
      check(o, Money{o.size.units}, "monotonicity");
      ++by_kind[2];
    }
    if (HasFatalFailure()) return;
  }
  // The property is only worth something if each detector actually fired many times.
  EXPECT_GT(by_kind[0], 100);
  EXPECT_GT(by_kind[1], 100);
  EXPECT_GT(by_kind[2], 100);
}

TEST_F(RandomBooks, NoGrindingOpportunityHasNegativeEvOrExceedsTheDepth) {
  GrindingConfig config;
  config.min_liquidity = Money::dollars(1);
  GrindingDetector grinding(config);
  const MarketInfo& market = *world.universe.market(world.grind);
  std::uniform_real_distribution<double> probability(0.95, 1.0);
  std::uniform_int_distribution<int64_t> capital(100, 100'000);
  for (int i = 0; i < kBooks; ++i) {
    world.randomize(rng);
    for (const Outcome outcome : {Outcome::yes, Outcome::no}) {
      const double p = probability(rng);
      Opportunity o;
      if (grinding.detect(world.books, market, outcome, p, Money::dollars(capital(rng)), world.kNow, o) ==
          Verdict::emitted) {
        check(o, Money{static_cast<int64_t>(std::floor(p * static_cast<double>(o.size.units)))}, "grinding");
        EXPECT_EQ(o.probability, p);
      }
    }
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(emitted, 100);
}

}  // namespace
}  // namespace pmx
