#include "pmx/strategy/depth.h"

#include <array>

#include <gtest/gtest.h>

#include "pmx/model/fees.h"

#include "strategy_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;

constexpr InstrumentId kKalshi{0};
constexpr InstrumentId kToken{1};

class DepthTest : public ::testing::Test {
 protected:
  DepthTest() {
    books.ensure(kKalshi, Venue::kalshi, Price::from_ticks(100));
    books.ensure(kToken, Venue::polymarket, Price::from_ticks(10));
    // YES bids 0.40 x 10, 0.38 x 20; NO bids 0.55 x 5, 0.50 x 30 (YES asks 0.45 x 5, 0.50 x 30).
    test::kalshi_snapshot(books, kKalshi, {{0.40, 10}, {0.38, 20}}, {{0.55, 5}, {0.50, 30}});
    test::polymarket_snapshot(books, kToken, {{0.601, 7}}, {{0.612, 4}, {0.615, 100}});
  }
  BookSet books{false};
};

TEST_F(DepthTest, BuyingKalshiYesTakesTheNoBidsAtOneMinusTheirPrice) {
  std::array<Level, 8> levels{};
  ASSERT_EQ(buy_levels(books, kKalshi, Outcome::yes, levels), 2u);
  EXPECT_EQ(levels[0], (Level{dollars(0.45), contracts(5)}));
  EXPECT_EQ(levels[1], (Level{dollars(0.50), contracts(30)}));
}

TEST_F(DepthTest, BuyingKalshiNoTakesTheYesBidsAtOneMinusTheirPrice) {
  std::array<Level, 8> levels{};
  ASSERT_EQ(buy_levels(books, kKalshi, Outcome::no, levels), 2u);
  EXPECT_EQ(levels[0], (Level{dollars(0.60), contracts(10)}));
  EXPECT_EQ(levels[1], (Level{dollars(0.62), contracts(20)}));
}

TEST_F(DepthTest, BuyingAPolymarketTokenTakesItsAsks) {
  std::array<Level, 8> levels{};
  ASSERT_EQ(buy_levels(books, kToken, Outcome::yes, levels), 2u);
  EXPECT_EQ(levels[0], (Level{dollars(0.612), contracts(4)}));
  EXPECT_EQ(levels[1], (Level{dollars(0.615), contracts(100)}));
}

TEST_F(DepthTest, APolymarketTokenHasNoNoSideOfItsOwn) {
  std::array<Level, 8> levels{};
  EXPECT_EQ(buy_levels(books, kToken, Outcome::no, levels), 0u);
  EXPECT_EQ(buy_walk(books, kToken, Outcome::no, contracts(1)).filled, Qty{});
}

TEST_F(DepthTest, CopiesNoMoreLevelsThanTheScratchHolds) {
  std::array<Level, 1> levels{};
  EXPECT_EQ(buy_levels(books, kKalshi, Outcome::yes, levels), 1u);
}

TEST_F(DepthTest, WalkingACopyCostsExactlyWhatWalkingTheBookCosts) {
  std::array<Level, 8> levels{};
  for (const Outcome outcome : {Outcome::yes, Outcome::no}) {
    const size_t n = buy_levels(books, kKalshi, outcome, levels);
    for (const double q : {0.01, 3.0, 5.0, 7.37, 30.0, 35.0, 100.0}) {
      EXPECT_EQ(walk_levels(std::span(levels).first(n), contracts(q)),
                buy_walk(books, kKalshi, outcome, contracts(q)))
          << "outcome " << to_string(outcome) << " qty " << q;
    }
  }
}

TEST_F(DepthTest, KalshiNoCostWalksYesBidsFromTheBest) {
  // 10 at 0.60 + 5 at 0.62 = 6.00 + 3.10 = 9.10
  const WalkResult r = buy_walk(books, kKalshi, Outcome::no, contracts(15));
  EXPECT_EQ(r.filled, contracts(15));
  EXPECT_EQ(r.cost, Money::from_micros(9'100'000));
  EXPECT_EQ(r.worst_price, dollars(0.62));
}

TEST_F(DepthTest, AWalkPastTheBookFillsOnlyWhatRests) {
  const WalkResult r = buy_walk(books, kKalshi, Outcome::yes, contracts(50));
  EXPECT_EQ(r.filled, contracts(35));
}

TEST_F(DepthTest, SizeUpToALimitCountsOnlyLevelsAtOrBelowIt) {
  EXPECT_EQ(buy_size_up_to(books, kKalshi, Outcome::yes, dollars(0.44)), Qty{});
  EXPECT_EQ(buy_size_up_to(books, kKalshi, Outcome::yes, dollars(0.45)), contracts(5));
  EXPECT_EQ(buy_size_up_to(books, kKalshi, Outcome::yes, dollars(0.50)), contracts(35));
  EXPECT_EQ(buy_size_up_to(books, kKalshi, Outcome::no, dollars(0.61)), contracts(10));
  EXPECT_EQ(buy_size_up_to(books, kKalshi, Outcome::no, dollars(0.62)), contracts(30));
  EXPECT_EQ(buy_size_up_to(books, kToken, Outcome::yes, dollars(0.614)), contracts(4));
}

TEST_F(DepthTest, SizeThroughACopyMatchesTheBook) {
  std::array<Level, 8> levels{};
  const size_t n = buy_levels(books, kKalshi, Outcome::no, levels);
  for (const double limit : {0.59, 0.60, 0.61, 0.62, 0.99}) {
    EXPECT_EQ(size_through(std::span(levels).first(n), dollars(limit)),
              buy_size_up_to(books, kKalshi, Outcome::no, dollars(limit)));
  }
}

TEST_F(DepthTest, NotionalThroughALimitIsTheMoneyRestingAtThosePrices) {
  std::array<Level, 8> levels{};
  const size_t n = buy_levels(books, kKalshi, Outcome::yes, levels);
  // 5 x 0.45 + 30 x 0.50 = 2.25 + 15.00
  EXPECT_EQ(notional_through(std::span(levels).first(n), dollars(0.50)), Money::from_micros(17'250'000));
  EXPECT_EQ(notional_through(std::span(levels).first(n), dollars(0.45)), Money::from_micros(2'250'000));
}

TEST_F(DepthTest, AStaleBookOffersNothing) {
  MarketEvent stale;
  stale.type = EventType::stale;
  stale.instrument = kKalshi;
  books.apply(stale);
  std::array<Level, 8> levels{};
  EXPECT_EQ(buy_levels(books, kKalshi, Outcome::yes, levels), 0u);
  EXPECT_EQ(buy_walk(books, kKalshi, Outcome::yes, contracts(1)).filled, Qty{});
  EXPECT_EQ(buy_size_up_to(books, kKalshi, Outcome::yes, dollars(0.99)), Qty{});
  EXPECT_FALSE(best_sell_level(books, kKalshi, Outcome::yes).valid());
}

TEST_F(DepthTest, AnUnknownInstrumentOffersNothing) {
  std::array<Level, 8> levels{};
  EXPECT_EQ(buy_levels(books, InstrumentId{7}, Outcome::yes, levels), 0u);
  EXPECT_EQ(buy_levels(books, InstrumentId{}, Outcome::yes, levels), 0u);
}

TEST_F(DepthTest, TheBestBuyLevelIsTheFirstCopiedLevel) {
  std::array<Level, 8> levels{};
  for (const Outcome outcome : {Outcome::yes, Outcome::no}) {
    ASSERT_GT(buy_levels(books, kKalshi, outcome, levels), 0u);
    EXPECT_EQ(best_buy_level(books, kKalshi, outcome), levels[0]);
  }
  ASSERT_GT(buy_levels(books, kToken, Outcome::yes, levels), 0u);
  EXPECT_EQ(best_buy_level(books, kToken, Outcome::yes), levels[0]);
  EXPECT_FALSE(best_buy_level(books, kToken, Outcome::no).valid());
}

TEST_F(DepthTest, AHolderSellsAtTheBidOfTheOutcomeHeld) {
  EXPECT_EQ(best_sell_level(books, kKalshi, Outcome::yes), (Level{dollars(0.40), contracts(10)}));
  EXPECT_EQ(best_sell_level(books, kKalshi, Outcome::no), (Level{dollars(0.55), contracts(5)}));
  EXPECT_EQ(best_sell_level(books, kToken, Outcome::yes), (Level{dollars(0.601), contracts(7)}));
}

TEST_F(DepthTest, FeesOfAWalkAreChargedLevelByLevel) {
  const FeeParams fees;
  std::array<Level, 8> levels{};
  const size_t n = buy_levels(books, kKalshi, Outcome::yes, levels);
  // 5 at 0.45: 0.07 x 5 x 0.45 x 0.55 = 0.0866 -> 0.09; 5 at 0.50: 0.0875 -> 0.09.
  EXPECT_EQ(taker_fee_of_walk(std::span(levels).first(n), contracts(10), Venue::kalshi, fees),
            Money::from_micros(180'000));
  // One order of 10 at a single price would be 0.07 x 10 x 0.25 = 0.175 -> 0.18: per-level rounding
  // can only charge more, never less.
  EXPECT_GE(taker_fee_of_walk(std::span(levels).first(n), contracts(10), Venue::kalshi, fees),
            kalshi_fee(dollars(0.50), contracts(10), Liquidity::taker, fees));
}

TEST(Depth, MarginalFeeIsTheUnroundedFeePerContract) {
  const FeeParams fees;
  // 0.07 x 0.50 x 0.50 = $0.0175 per contract
  EXPECT_EQ(marginal_fee_micros(Venue::kalshi, dollars(0.50), fees), 17'500);
  // 0.07 x 0.97 x 0.03 = $0.002037
  EXPECT_EQ(marginal_fee_micros(Venue::kalshi, dollars(0.97), fees), 2'037);
  EXPECT_EQ(marginal_fee_micros(Venue::polymarket, dollars(0.50), fees), 0);  // no fee rate
}

TEST(Depth, AveragePriceRoundsUpToATick) {
  EXPECT_EQ(average_price(Money::from_micros(9'100'000), contracts(15)).ticks, 6067);  // 0.60666.. -> 0.6067
  EXPECT_EQ(average_price(Money::from_micros(4'500'000), contracts(10)).ticks, 4500);
  EXPECT_EQ(average_price(Money{}, Qty{}).ticks, 0);
}

}  // namespace
}  // namespace pmx
