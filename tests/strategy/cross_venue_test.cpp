#include "pmx/strategy/cross_venue.h"

#include <gtest/gtest.h>

#include "pmx/core/decimal.h"

#include "cross_venue_csv.h"
#include "strategy_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;

using test::kNow;

CrossVenuePair pair(std::string ticker, std::string yes, std::string no) {
  CrossVenuePair p;
  p.name = ticker;
  p.kalshi_ticker = std::move(ticker);
  p.polymarket_yes_token = std::move(yes);
  p.polymarket_no_token = std::move(no);
  return p;
}

// A Kalshi market and a Polymarket market (YES and NO tokens) mapped as one pair.
struct Venues {
  MarketUniverse universe;
  BookSet books{false};
  InstrumentId kalshi, yes, no;

  explicit Venues(FeeParams kalshi_fees = {}) {
    MarketInfo k = test::market(Venue::kalshi, "KXPAIR-1", "KXPAIR", WallNanos{kNow.ns + 100 * test::kHour});
    k.fees = kalshi_fees;
    kalshi = universe.add_market(k);
    yes = universe.add_market(
        test::market(Venue::polymarket, "111", "pair", WallNanos{kNow.ns + 90 * test::kHour}));
    no = universe.add_market(
        test::market(Venue::polymarket, "222", "pair", WallNanos{kNow.ns + 90 * test::kHour}));
    books.ensure(kalshi, Venue::kalshi, Price::from_ticks(10));
    books.ensure(yes, Venue::polymarket, Price::from_ticks(1));
    books.ensure(no, Venue::polymarket, Price::from_ticks(1));
  }
  std::vector<CrossVenuePair> pairs() const { return {pair("KXPAIR-1", "111", "222")}; }
};

TEST(CrossVenueArbitrage, BuysKalshiYesAndPolymarketNoWhenTogetherBelowADollar) {
  Venues v;
  test::kalshi_snapshot(v.books, v.kalshi, {{0.38, 1000}}, {{0.60, 1000}});  // YES ask 0.40, NO ask 0.62
  test::polymarket_snapshot(v.books, v.yes, {}, {{0.63, 1000}});
  test::polymarket_snapshot(v.books, v.no, {}, {{0.55, 1000}});
  CrossVenueArbitrage arbitrage(v.universe, v.pairs(), ArbitrageParams{});
  ASSERT_EQ(arbitrage.pair_count(), 1u);
  Opportunity o;
  ASSERT_EQ(arbitrage.detect(0, v.books, kNow, o), Verdict::emitted);
  EXPECT_EQ(o.strategy, StrategyKind::cross_venue_arb);
  ASSERT_EQ(o.leg_count, 2);
  EXPECT_EQ(o.legs[0].instrument, v.kalshi);
  EXPECT_EQ(o.legs[0].venue, Venue::kalshi);
  EXPECT_EQ(o.legs[0].outcome, Outcome::yes);
  EXPECT_EQ(o.legs[0].limit_price, dollars(0.40));
  EXPECT_EQ(o.legs[1].instrument, v.no);
  EXPECT_EQ(o.legs[1].venue, Venue::polymarket);
  EXPECT_EQ(o.legs[1].limit_price, dollars(0.55));
  EXPECT_EQ(o.size, contracts(1000));
  // 1000 x (1 - 0.95) - Kalshi fee 0.07 x 1000 x 0.40 x 0.60 = 16.80
  EXPECT_EQ(o.total_fees, Money::from_micros(16'800'000));
  EXPECT_EQ(o.expected_value, Money::from_micros(50'000'000 - 16'800'000));
  EXPECT_EQ(o.expiry, WallNanos{kNow.ns + 90 * test::kHour});
}

TEST(CrossVenueArbitrage, BuysKalshiNoAndPolymarketYesTheOtherWayRound) {
  Venues v;
  test::kalshi_snapshot(v.books, v.kalshi, {{0.60, 1000}}, {{0.30, 1000}});  // NO ask 0.40
  test::polymarket_snapshot(v.books, v.yes, {}, {{0.54, 1000}});
  test::polymarket_snapshot(v.books, v.no, {}, {{0.50, 1000}});  // with YES ask 0.70: no edge that way
  CrossVenueArbitrage arbitrage(v.universe, v.pairs(), ArbitrageParams{});
  Opportunity o;
  ASSERT_EQ(arbitrage.detect(0, v.books, kNow, o), Verdict::emitted);
  EXPECT_EQ(o.legs[0].outcome, Outcome::no);
  EXPECT_EQ(o.legs[0].limit_price, dollars(0.40));
  EXPECT_EQ(o.legs[1].instrument, v.yes);
  EXPECT_EQ(o.legs[1].limit_price, dollars(0.54));
}

TEST(CrossVenueArbitrage, LegsAreFillOrKillArbitrageLegs) {
  Venues v;
  test::kalshi_snapshot(v.books, v.kalshi, {{0.38, 1000}}, {{0.60, 1000}});
  test::polymarket_snapshot(v.books, v.no, {}, {{0.55, 1000}});
  test::polymarket_snapshot(v.books, v.yes, {}, {{0.63, 1000}});
  CrossVenueArbitrage arbitrage(v.universe, v.pairs(), ArbitrageParams{});
  Opportunity o;
  ASSERT_EQ(arbitrage.detect(0, v.books, kNow, o), Verdict::emitted);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(o.legs[i].tif, TimeInForce::fok);
    EXPECT_EQ(o.legs[i].flags, kIntentArbitrageLeg);
  }
}

TEST(CrossVenueArbitrage, LeavesOutPairsTheUniverseDoesNotKnow) {
  Venues v;
  CrossVenueArbitrage arbitrage(v.universe, {pair("KXPAIR-1", "111", "333")}, ArbitrageParams{});
  EXPECT_EQ(arbitrage.pair_count(), 0u);
  ASSERT_EQ(arbitrage.unresolved().size(), 1u);
  EXPECT_EQ(arbitrage.unresolved()[0].reason, "not in the market universe: polymarket no_token 333");
}

TEST(CrossVenueArbitrage, FindsThePairsOfEachInstrument) {
  Venues v;
  CrossVenueArbitrage arbitrage(v.universe, v.pairs(), ArbitrageParams{});
  for (const InstrumentId id : {v.kalshi, v.yes, v.no})
    EXPECT_EQ(arbitrage.pairs_containing(id).size(), 1u);
}

// The real JH pair (Josh Hawley, 2028 Republican nominee), one of the two the mapping accepts,
// priced as both venues showed it at 2026-08-29T21:40:16Z: Kalshi YES bid 0.007 / NO bid 0.992
// (YES ask 0.008, NO ask 0.993); Polymarket YES 0.0085, NO 0.9915. The CSV has no sizes; each level
// gets 20,000 contracts.
class RealJhPair : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::cross_venue_csv_path())) {
      GTEST_SKIP() << "shared data absent: " << test::cross_venue_csv_path();
    }
    for (const auto& r : test::read_cross_venue_csv()) {
      if (r.at("kalshi_yes_ticker") == "KXPRESNOMR-28-JH") row = r;
    }
    ASSERT_FALSE(row.empty());
    const CrossVenueMapping mapping = parse_cross_venue_mapping(test::cross_venue_toml({row}), "JH");
    ASSERT_EQ(mapping.pairs.size(), 1u);
    pairs = mapping.pairs;
  }

  Price price(const std::string& column) const {
    Price p;
    EXPECT_EQ(parse_price(row.at(column), p), DecimalError::ok) << column;
    return p;
  }

  // The universe and books for the pair, with the Kalshi series' fee multiplier.
  void build(double kalshi_fee_multiplier) {
    MarketInfo k = test::market(Venue::kalshi, row.at("kalshi_yes_ticker"));
    k.fees.kalshi_multiplier = kalshi_fee_multiplier;
    kalshi = universe.add_market(k);
    yes = universe.add_market(test::market(Venue::polymarket, row.at("polymarket_yes_token_id")));
    no = universe.add_market(test::market(Venue::polymarket, row.at("polymarket_no_token_id")));
    books.ensure(kalshi, Venue::kalshi, Price::from_ticks(10));
    books.ensure(yes, Venue::polymarket, Price::from_ticks(1));
    books.ensure(no, Venue::polymarket, Price::from_ticks(1));
    constexpr double kSize = 20'000;
    test::kalshi_snapshot(books, kalshi, {{price("kalshi_yes_bid").as_double(), kSize}},
                          {{price("kalshi_no_bid").as_double(), kSize}});
    test::polymarket_snapshot(books, yes, {}, {{price("polymarket_yes_price").as_double(), kSize}});
    test::polymarket_snapshot(books, no, {}, {{price("polymarket_no_price").as_double(), kSize}});
  }

  std::map<std::string, std::string> row;
  std::vector<CrossVenuePair> pairs;
  MarketUniverse universe;
  BookSet books{false};
  InstrumentId kalshi, yes, no;
};

TEST_F(RealJhPair, TheGrossEdgeIsErasedByTheKalshiFee) {
  // Kalshi YES 0.008 + Polymarket NO 0.9915 = 0.9995: half a tenth of a cent below $1. The Kalshi
  // taker fee at 0.008 is 0.07 x 0.008 x 0.992 = $0.000556 a contract, so a set costs $1.000056.
  // The other way, Kalshi NO 0.993 + Polymarket YES 0.0085 = 1.0015, is no better.
  build(1.0);
  CrossVenueArbitrage arbitrage(universe, pairs, ArbitrageParams{});
  Opportunity o;
  EXPECT_EQ(arbitrage.detect(0, books, kNow, o), Verdict::no_edge);
}

TEST_F(RealJhPair, WithoutFeesOrMinimumProfitTheSameBooksWouldFire) {
  build(0.0);
  ArbitrageParams config;
  config.min_profit_per_set = Money{};
  CrossVenueArbitrage arbitrage(universe, pairs, config);
  Opportunity o;
  ASSERT_EQ(arbitrage.detect(0, books, kNow, o), Verdict::emitted);
  EXPECT_EQ(o.legs[0].outcome, Outcome::yes);
  EXPECT_EQ(o.legs[0].limit_price, Price::from_ticks(80));
  EXPECT_EQ(o.legs[1].instrument, no);
  EXPECT_EQ(o.legs[1].limit_price, Price::from_ticks(9915));
  EXPECT_EQ(o.size, contracts(20'000));
  EXPECT_EQ(o.expected_value, Money::dollars(10));  // 20,000 x $0.0005
}

TEST_F(RealJhPair, AMinimumProfitOfACentAlsoRefusesIt) {
  build(0.0);
  CrossVenueArbitrage arbitrage(universe, pairs, ArbitrageParams{});
  Opportunity o;
  EXPECT_EQ(arbitrage.detect(0, books, kNow, o), Verdict::below_min_ev);
}

}  // namespace
}  // namespace pmx
