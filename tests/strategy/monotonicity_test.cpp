#include "pmx/strategy/monotonicity.h"

#include <gtest/gtest.h>

#include "strategy_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;

using test::kNow;

// "Above X" markets of one Kalshi event, added in a shuffled order to check the sorting.
struct Ladder {
  MarketUniverse universe;
  BookSet books{false};
  InstrumentId above_90k, above_100k, above_110k;

  explicit Ladder(StrikeType type = StrikeType::greater) {
    above_110k = add("KXBTC-26DEC31-T110000", 110'000, type);
    above_90k = add("KXBTC-26DEC31-T90000", 90'000, type);
    above_100k = add("KXBTC-26DEC31-T100000", 100'000, StrikeType::greater_or_equal);
    // A "below" market of the same event and a market of another event: not rungs.
    add("KXBTC-26DEC31-B80000", 80'000, StrikeType::less);
    MarketInfo other = test::market(Venue::kalshi, "KXETH-26DEC31-T5000", "KXETH-26DEC31");
    other.strike_type = StrikeType::greater;
    other.floor_strike = 5000;
    universe.add_market(other);
  }
  InstrumentId add(std::string ticker, double strike, StrikeType type) {
    MarketInfo m = test::market(Venue::kalshi, std::move(ticker), "KXBTC-26DEC31",
                                WallNanos{kNow.ns + 48 * test::kHour});
    m.strike_type = type;
    m.floor_strike = strike;
    const InstrumentId id = universe.add_market(m);
    books.ensure(id, Venue::kalshi, Price::from_ticks(100));
    return id;
  }
};

TEST(Monotonicity, BuildsOneLadderPerEventOrderedByStrike) {
  Ladder l;
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  ASSERT_EQ(detector.ladder_count(), 1u);  // KXETH has one strike: no ladder
  EXPECT_EQ(detector.event_key(0), "KXBTC-26DEC31");
  ASSERT_EQ(detector.rung_count(0), 3u);
  EXPECT_EQ(detector.rung(0, 0), l.above_90k);
  EXPECT_EQ(detector.rung(0, 1), l.above_100k);
  EXPECT_EQ(detector.rung(0, 2), l.above_110k);
}

TEST(Monotonicity, BuysYesOnTheLowerStrikeAndNoOnTheHigherWhenTheLowerIsCheaper) {
  Ladder l;
  // Above 90k: YES ask 0.50 (NO bid 0.50). Above 100k: YES bid 0.60 (NO ask 0.40). 0.50 + 0.40 = 0.90.
  test::kalshi_snapshot(l.books, l.above_90k, {{0.45, 1000}}, {{0.50, 1000}});
  test::kalshi_snapshot(l.books, l.above_100k, {{0.60, 800}}, {{0.35, 1000}});
  test::kalshi_snapshot(l.books, l.above_110k, {{0.20, 1000}}, {{0.75, 1000}});
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  Opportunity o;
  ASSERT_EQ(detector.detect_for(l.above_100k, l.books, kNow, o), Verdict::emitted);
  EXPECT_EQ(o.strategy, StrategyKind::monotonicity);
  ASSERT_EQ(o.leg_count, 2);
  EXPECT_EQ(o.legs[0].instrument, l.above_90k);
  EXPECT_EQ(o.legs[0].outcome, Outcome::yes);
  EXPECT_EQ(o.legs[0].limit_price, dollars(0.50));
  EXPECT_EQ(o.legs[1].instrument, l.above_100k);
  EXPECT_EQ(o.legs[1].outcome, Outcome::no);
  EXPECT_EQ(o.legs[1].limit_price, dollars(0.40));
  EXPECT_EQ(o.size, contracts(800));
  // 800 x 0.90 = 720; fees 0.07 x 800 x (0.25 + 0.24) = 27.44; payout at least 800.
  EXPECT_EQ(o.total_cost, Money::dollars(720));
  EXPECT_EQ(o.total_fees, Money::from_micros(27'440'000));
  EXPECT_EQ(o.expected_value, Money::from_micros(800'000'000 - 720'000'000 - 27'440'000));
  EXPECT_EQ(o.expiry, WallNanos{kNow.ns + 48 * test::kHour});
}

TEST(Monotonicity, AConsistentLadderHasNoEdge) {
  Ladder l;
  test::kalshi_snapshot(l.books, l.above_90k, {{0.70, 1000}}, {{0.28, 1000}});  // YES ask 0.72
  test::kalshi_snapshot(l.books, l.above_100k, {{0.50, 1000}}, {{0.48, 1000}});
  test::kalshi_snapshot(l.books, l.above_110k, {{0.20, 1000}}, {{0.78, 1000}});
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  Opportunity o;
  EXPECT_EQ(detector.detect_ladder(0, l.books, kNow, o), Verdict::no_edge);
}

TEST(Monotonicity, AViolationSmallerThanTheFeesIsNotTraded) {
  Ladder l;
  // YES ask 0.50 on 90k below YES bid 0.51 on 100k: one cent, less than the ~3.5¢ of fees.
  test::kalshi_snapshot(l.books, l.above_90k, {{0.45, 1000}}, {{0.50, 1000}});
  test::kalshi_snapshot(l.books, l.above_100k, {{0.51, 1000}}, {{0.40, 1000}});
  test::kalshi_snapshot(l.books, l.above_110k, {{0.20, 1000}}, {{0.75, 1000}});
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  Opportunity o;
  EXPECT_EQ(detector.detect_for(l.above_90k, l.books, kNow, o), Verdict::no_edge);
}

TEST(Monotonicity, ChecksStrikesThatAreNotNeighbours) {
  Ladder l;
  // 90k YES ask 0.30 under 110k YES bid 0.45; 100k is consistent with both.
  test::kalshi_snapshot(l.books, l.above_90k, {{0.25, 1000}}, {{0.70, 1000}});
  test::kalshi_snapshot(l.books, l.above_100k, {{0.28, 1000}}, {{0.50, 1000}});
  test::kalshi_snapshot(l.books, l.above_110k, {{0.45, 1000}}, {{0.50, 1000}});
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  Opportunity o;
  ASSERT_EQ(detector.detect_for(l.above_110k, l.books, kNow, o), Verdict::emitted);
  EXPECT_EQ(o.legs[0].instrument, l.above_90k);
  EXPECT_EQ(o.legs[1].instrument, l.above_110k);
}

TEST(Monotonicity, NeverPairsEqualStrikes) {
  MarketUniverse universe;
  BookSet books(false);
  InstrumentId ids[2];
  for (int i = 0; i < 2; ++i) {
    MarketInfo m = test::market(Venue::kalshi, "KXEQ-T" + std::to_string(i), "KXEQ");
    m.strike_type = StrikeType::greater;
    m.floor_strike = 50;
    ids[i] = universe.add_market(m);
  }
  EXPECT_EQ(MonotonicityArbitrage(universe, ArbitrageParams{}).ladder_count(), 0u);
}

TEST(Monotonicity, AnInstrumentOutsideEveryLadderIsBadInput) {
  Ladder l;
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  Opportunity o;
  EXPECT_EQ(detector.detect_for(InstrumentId{3}, l.books, kNow, o),
            Verdict::bad_input);  // the "below" market
  EXPECT_EQ(detector.detect_for(InstrumentId{}, l.books, kNow, o), Verdict::bad_input);
}

TEST(Monotonicity, AStaleRungIsNotTraded) {
  Ladder l;
  test::kalshi_snapshot(l.books, l.above_90k, {{0.45, 1000}}, {{0.50, 1000}});
  MonotonicityArbitrage detector(l.universe, ArbitrageParams{});
  Opportunity o;
  EXPECT_EQ(detector.detect_for(l.above_90k, l.books, kNow, o), Verdict::stale_book);
}

}  // namespace
}  // namespace pmx
