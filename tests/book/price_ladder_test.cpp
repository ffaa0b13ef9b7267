#include "pmx/book/price_ladder.h"

#include <cstdint>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "book_test_util.h"

namespace pmx {

void PrintTo(BookError e, std::ostream* os) {
  *os << to_string(e);
}

namespace {

using book_test::kCent;
using book_test::kDeciCent;
constexpr Price kCentiCent{1};

constexpr Price px(int32_t ticks) {
  return Price{ticks};
}
constexpr Qty contracts(int64_t n) {
  return Qty::contracts(n);
}

template <typename Ladder>
std::vector<Level> levels_of(const Ladder& ladder) {
  std::vector<Level> out;
  ladder.for_each_level(SIZE_MAX, [&](Level l) { out.push_back(l); });
  return out;
}

// ---- storage and grid ----

TEST(PriceLadder, RefusesUpdatesBeforeTheFirstReset) {
  BidLadder ladder;
  EXPECT_EQ(ladder.set(px(5000), contracts(1)), BookError::no_tick);
  EXPECT_TRUE(ladder.empty());
  EXPECT_FALSE(ladder.best().valid());
}

TEST(PriceLadder, AMovedFromLadderIsEmptyWithoutStorage) {
  BidLadder from(kCent);
  from.set(px(4000), contracts(3));
  BidLadder to(std::move(from));
  EXPECT_EQ(to.best(), (Level{px(4000), contracts(3)}));
  EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(from.best(), Level{});
  EXPECT_EQ(from.set(px(5000), contracts(1)), BookError::no_tick);
}

TEST(PriceLadder, AMovedOverLadderTakesTheOtherLaddersLevels) {
  BidLadder from(kCent);
  BidLadder to(kDeciCent);
  to.set(px(6000), contracts(1));
  from.set(px(4000), contracts(3));
  to = std::move(from);
  EXPECT_EQ(to.tick(), kCent);
  EXPECT_EQ(levels_of(to), (std::vector<Level>{{px(4000), contracts(3)}}));
}

TEST(PriceLadder, CoversZeroToOneDollarInclusiveForEachTick) {
  EXPECT_EQ(BidLadder(kCent).capacity(), 101U);
  EXPECT_EQ(BidLadder(kDeciCent).capacity(), 1001U);
  EXPECT_EQ(BidLadder(kCentiCent).capacity(), 10001U);
}

TEST(PriceLadder, RefusesATickThatDoesNotDivideOneDollar) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), contracts(1));
  for (int32_t bad : {0, -100, 3, 7, 10'001}) {
    EXPECT_EQ(ladder.reset(px(bad)), BookError::bad_tick) << bad;
  }
  EXPECT_EQ(ladder.tick(), kCent);
  EXPECT_EQ(ladder.best(), (Level{px(4000), contracts(1)}));
  EXPECT_THROW(AskLadder{px(3)}, std::invalid_argument);
}

TEST(PriceLadder, IndexesEveryPriceOnEveryTickLikeADivision) {
  // The ladder divides by the tick with a multiply; check it against % for all 25 ticks that
  // divide $1 and every price from $0 to $1.
  for (int32_t tick = 1; tick <= Price::kTicksPerDollar; ++tick) {
    if (Price::kTicksPerDollar % tick != 0) continue;
    AskLadder ladder(px(tick));
    for (int32_t t = 0; t <= Price::kTicksPerDollar; ++t) {
      const BookError want = t % tick == 0 ? BookError::ok : BookError::off_grid;
      ASSERT_EQ(ladder.set(px(t), Qty{t + 1}), want) << "tick " << tick << " price " << t;
      if (want == BookError::ok) {
        ASSERT_EQ(ladder.at(px(t)), Qty{t + 1});
        ASSERT_EQ(ladder.best().price, px(0));
      }
    }
    EXPECT_EQ(ladder.level_count(), Price::kTicksPerDollar / tick + 1);
  }
}

TEST(PriceLadder, RefusesAnOffGridPriceAndStaysUnchanged) {
  BidLadder ladder(kCent);
  ASSERT_EQ(ladder.set(px(4000), contracts(5)), BookError::ok);
  EXPECT_EQ(ladder.set(px(4050), contracts(7)), BookError::off_grid);
  EXPECT_EQ(ladder.level_count(), 1);
  EXPECT_EQ(ladder.best(), (Level{px(4000), contracts(5)}));
  EXPECT_EQ(ladder.at(px(4050)), Qty{});
}

TEST(PriceLadder, AcceptsLevelsAtZeroAndOneDollarAndRefusesBeyond) {
  BidLadder bids(kCent);
  EXPECT_EQ(bids.set(px(0), contracts(1)), BookError::ok);
  EXPECT_EQ(bids.best().price, px(0));
  EXPECT_EQ(bids.set(px(10'000), contracts(2)), BookError::ok);
  EXPECT_EQ(bids.best(), (Level{px(10'000), contracts(2)}));
  EXPECT_EQ(bids.set(px(10'100), contracts(1)), BookError::out_of_range);
  EXPECT_EQ(bids.set(px(-100), contracts(1)), BookError::out_of_range);
  EXPECT_EQ(bids.set(px(INT32_MIN), contracts(1)), BookError::out_of_range);
  EXPECT_EQ(bids.level_count(), 2);

  AskLadder asks(kCentiCent);
  EXPECT_EQ(asks.set(px(10'000), contracts(1)), BookError::ok);
  EXPECT_EQ(asks.set(px(0), contracts(3)), BookError::ok);
  EXPECT_EQ(asks.best(), (Level{px(0), contracts(3)}));
  EXPECT_EQ(asks.set(px(10'001), contracts(1)), BookError::out_of_range);
}

TEST(PriceLadder, RefusesANegativeSize) {
  AskLadder ladder(kCent);
  ladder.set(px(3000), contracts(1));
  EXPECT_EQ(ladder.set(px(3000), Qty{-1}), BookError::negative_qty);
  EXPECT_EQ(ladder.at(px(3000)), contracts(1));
}

// ---- best tracking ----

TEST(PriceLadder, BidBestIsTheHighestPrice) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), contracts(1));
  ladder.set(px(4200), contracts(2));
  ladder.set(px(4100), contracts(3));
  EXPECT_EQ(ladder.best(), (Level{px(4200), contracts(2)}));
  EXPECT_EQ(ladder.level_count(), 3);
}

TEST(PriceLadder, AskBestIsTheLowestPrice) {
  AskLadder ladder(kCent);
  ladder.set(px(4200), contracts(1));
  ladder.set(px(4000), contracts(2));
  ladder.set(px(4100), contracts(3));
  EXPECT_EQ(ladder.best(), (Level{px(4000), contracts(2)}));
}

TEST(PriceLadder, ChangingTheBestSizeKeepsTheBestPrice) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), contracts(1));
  ladder.set(px(4200), contracts(2));
  ladder.set(px(4200), contracts(9));
  EXPECT_EQ(ladder.best(), (Level{px(4200), contracts(9)}));
  EXPECT_EQ(ladder.level_count(), 2);
}

TEST(PriceLadder, RemovingTheBestBidFindsTheNextOneInAnEarlierWord) {
  BidLadder ladder(kCentiCent);  // 10'001 levels, 157 bitmap words
  ladder.set(px(5), contracts(1));
  ladder.set(px(9'000), contracts(2));
  ladder.set(px(10'000), contracts(3));
  ladder.set(px(10'000), Qty{});
  EXPECT_EQ(ladder.best(), (Level{px(9'000), contracts(2)}));
  ladder.set(px(9'000), Qty{});
  EXPECT_EQ(ladder.best(), (Level{px(5), contracts(1)}));
}

TEST(PriceLadder, RemovingTheBestAskFindsTheNextOneInALaterWord) {
  AskLadder ladder(kCentiCent);
  ladder.set(px(0), contracts(1));
  ladder.set(px(63), contracts(2));
  ladder.set(px(64), contracts(3));
  ladder.set(px(10'000), contracts(4));
  ladder.set(px(0), Qty{});
  EXPECT_EQ(ladder.best().price, px(63));
  ladder.set(px(63), Qty{});
  EXPECT_EQ(ladder.best().price, px(64));
  ladder.set(px(64), Qty{});
  EXPECT_EQ(ladder.best(), (Level{px(10'000), contracts(4)}));
}

TEST(PriceLadder, RemovingALevelBelowTheBestKeepsTheBest) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), contracts(1));
  ladder.set(px(4200), contracts(2));
  ladder.set(px(4000), Qty{});
  EXPECT_EQ(ladder.best(), (Level{px(4200), contracts(2)}));
  EXPECT_EQ(ladder.level_count(), 1);
}

TEST(PriceLadder, RemovingTheLastLevelEmptiesIt) {
  for (Price p : {px(0), px(5000), px(10'000)}) {
    BidLadder bids(kCent);
    AskLadder asks(kCent);
    bids.set(p, contracts(1));
    asks.set(p, contracts(1));
    bids.set(p, Qty{});
    asks.set(p, Qty{});
    EXPECT_TRUE(bids.empty());
    EXPECT_TRUE(asks.empty());
    EXPECT_FALSE(bids.best().valid());
    EXPECT_FALSE(asks.best().valid());
    // And a new level after emptying becomes the best again.
    bids.set(px(100), contracts(2));
    asks.set(px(9900), contracts(2));
    EXPECT_EQ(bids.best().price, px(100));
    EXPECT_EQ(asks.best().price, px(9900));
  }
}

TEST(PriceLadder, RemovingALevelThatIsNotThereChangesNothing) {
  AskLadder ladder(kCent);
  ladder.set(px(4000), contracts(1));
  EXPECT_EQ(ladder.set(px(3000), Qty{}), BookError::ok);
  EXPECT_EQ(ladder.level_count(), 1);
  EXPECT_EQ(ladder.best().price, px(4000));
}

// ---- deltas ----

TEST(PriceLadder, AddAccumulatesSignedDeltas) {
  BidLadder ladder(kCent);
  EXPECT_EQ(ladder.add(px(4000), contracts(10)), BookError::ok);
  EXPECT_EQ(ladder.add(px(4000), Qty{-2'500'000}), BookError::ok);
  EXPECT_EQ(ladder.at(px(4000)), Qty{7'500'000});
  EXPECT_EQ(ladder.add(px(4000), Qty{-7'500'000}), BookError::ok);
  EXPECT_TRUE(ladder.empty());
}

TEST(PriceLadder, AddRefusesAResultBelowZeroAndKeepsTheLevel) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), contracts(3));
  EXPECT_EQ(ladder.add(px(4000), contracts(-4)), BookError::negative_result);
  EXPECT_EQ(ladder.at(px(4000)), contracts(3));
  EXPECT_EQ(ladder.add(px(4100), contracts(-1)), BookError::negative_result);
  EXPECT_EQ(ladder.level_count(), 1);
}

TEST(PriceLadder, AddRefusesAnOverflowingSum) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), Qty{INT64_MAX - 1});
  EXPECT_EQ(ladder.add(px(4000), Qty{2}), BookError::qty_overflow);
  EXPECT_EQ(ladder.at(px(4000)), Qty{INT64_MAX - 1});
}

// ---- reset and tick changes ----

TEST(PriceLadder, ResetWithTheSameTickEmptiesIt) {
  BidLadder ladder(kDeciCent);
  for (int32_t t = 0; t <= 10'000; t += 70)
    ladder.set(px(t), contracts(1));
  EXPECT_EQ(ladder.reset(kDeciCent), BookError::ok);
  EXPECT_TRUE(ladder.empty());
  EXPECT_TRUE(levels_of(ladder).empty());
  for (int32_t t = 0; t <= 10'000; t += 10)
    ASSERT_EQ(ladder.at(px(t)), Qty{}) << t;
}

TEST(PriceLadder, ResetWithANewTickChangesTheGrid) {
  BidLadder ladder(kCent);
  ladder.set(px(4000), contracts(1));
  EXPECT_EQ(ladder.reset(kDeciCent), BookError::ok);
  EXPECT_TRUE(ladder.empty());
  EXPECT_EQ(ladder.capacity(), 1001U);
  EXPECT_EQ(ladder.set(px(4010), contracts(2)), BookError::ok);
  EXPECT_EQ(ladder.best().price, px(4010));
}

TEST(PriceLadder, RegridKeepsEveryLevelOnAFinerTick) {
  AskLadder ladder(kCent);
  ladder.set(px(100), contracts(1));
  ladder.set(px(9900), contracts(2));
  EXPECT_EQ(ladder.regrid(kDeciCent), BookError::ok);
  EXPECT_EQ(ladder.tick(), kDeciCent);
  EXPECT_EQ(levels_of(ladder), (std::vector<Level>{{px(100), contracts(1)}, {px(9900), contracts(2)}}));
  EXPECT_EQ(ladder.set(px(110), contracts(3)), BookError::ok);
}

TEST(PriceLadder, RegridRefusesATickThatLeavesALevelOffTheGrid) {
  BidLadder ladder(kDeciCent);
  ladder.set(px(4010), contracts(1));
  EXPECT_EQ(ladder.regrid(kCent), BookError::off_grid);
  EXPECT_EQ(ladder.tick(), kDeciCent);
  EXPECT_EQ(ladder.best(), (Level{px(4010), contracts(1)}));
}

// ---- depth ----

TEST(PriceLadder, VisitsLevelsBestFirstAcrossWords) {
  BidLadder bids(kCentiCent);
  AskLadder asks(kCentiCent);
  for (int32_t t : {9'999, 0, 64, 63, 5'000, 10'000}) {
    bids.set(px(t), Qty{t + 1});
    asks.set(px(t), Qty{t + 1});
  }
  std::vector<int32_t> bid_prices;
  std::vector<int32_t> ask_prices;
  for (const Level& l : levels_of(bids))
    bid_prices.push_back(l.price.ticks);
  for (const Level& l : levels_of(asks))
    ask_prices.push_back(l.price.ticks);
  EXPECT_EQ(bid_prices, (std::vector<int32_t>{10'000, 9'999, 5'000, 64, 63, 0}));
  EXPECT_EQ(ask_prices, (std::vector<int32_t>{0, 63, 64, 5'000, 9'999, 10'000}));
}

TEST(PriceLadder, ForEachLevelStopsAfterMaxLevels) {
  AskLadder ladder(kCent);
  for (int32_t t = 1000; t <= 2000; t += 100)
    ladder.set(px(t), contracts(1));
  std::vector<Level> seen;
  EXPECT_EQ(ladder.for_each_level(3, [&](Level l) { seen.push_back(l); }), 3U);
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen.back().price, px(1200));
  EXPECT_EQ(ladder.for_each_level(0, [&](Level) { FAIL(); }), 0U);
}

TEST(PriceLadder, SizeThroughCountsLevelsAtLeastAsGoodAsTheLimit) {
  BidLadder bids(kCent);
  AskLadder asks(kCent);
  for (int32_t t : {4000, 4100, 4200}) {
    bids.set(px(t), contracts(t / 100));
    asks.set(px(t), contracts(t / 100));
  }
  EXPECT_EQ(bids.size_through(px(4100)), contracts(42 + 41));
  EXPECT_EQ(bids.size_through(px(4150)), contracts(42));  // off-grid limit
  EXPECT_EQ(bids.size_through(px(4300)), Qty{});
  EXPECT_EQ(bids.size_through(px(0)), contracts(40 + 41 + 42));
  EXPECT_EQ(asks.size_through(px(4100)), contracts(40 + 41));
  EXPECT_EQ(asks.size_through(px(3999)), Qty{});
  EXPECT_EQ(asks.size_through(px(10'000)), contracts(40 + 41 + 42));
}

TEST(PriceLadder, WalkCostsEachLevelAtItsOwnPrice) {
  AskLadder asks(kDeciCent);
  asks.set(px(4000), Qty{10'500'000});  // 10.5 @ 0.400
  asks.set(px(4010), Qty{2'000'000});   //  2   @ 0.401
  asks.set(px(4500), Qty{100'000'000});
  const WalkResult r = asks.walk(Qty{13'250'000});
  EXPECT_EQ(r.filled, Qty{13'250'000});
  // 10.5 * 0.400 + 2 * 0.401 + 0.75 * 0.450 = 4.2 + 0.802 + 0.3375
  EXPECT_EQ(r.cost, Money{5'339'500});
  EXPECT_EQ(r.worst_price, px(4500));
}

TEST(PriceLadder, WalkStopsWhenTheSideRunsOut) {
  BidLadder bids(kCent);
  bids.set(px(3000), contracts(2));
  bids.set(px(2900), contracts(1));
  const WalkResult r = bids.walk(contracts(10));
  EXPECT_EQ(r.filled, contracts(3));
  EXPECT_EQ(r.cost, Money{890'000});
  EXPECT_EQ(r.worst_price, px(2900));
  EXPECT_EQ(bids.walk(Qty{}), WalkResult{});
  EXPECT_EQ(BidLadder(kCent).walk(contracts(1)), WalkResult{});
}

TEST(PriceLadder, WalkOfAtLeastTwoToThe49UnitsCostsEachLevelLikeNotional) {
  // Beyond 2^49 units price * size may not fit 64 bits: the walk takes the 128-bit path.
  const int64_t big = int64_t{1} << 50;
  AskLadder asks(kCentiCent);
  asks.set(px(4'321), Qty{big + 7});
  asks.set(px(9'999), Qty{big});
  const WalkResult r = asks.walk(Qty{2 * big});
  EXPECT_EQ(r.filled, Qty{2 * big});
  EXPECT_EQ(r.cost, notional(px(4'321), Qty{big + 7}) + notional(px(9'999), Qty{big - 7}));
  EXPECT_EQ(r.worst_price, px(9'999));
}

TEST(PriceLadder, LevelCountCountsLevelsOnly) {
  BidLadder bids(kCent);  // 101 ranks: the sentinel shares the second bitmap word
  EXPECT_EQ(bids.level_count(), 0);
  bids.set(px(0), contracts(1));
  bids.set(px(10'000), contracts(1));
  bids.set(px(3'600), contracts(1));
  EXPECT_EQ(bids.level_count(), 3);
  bids.clear();
  EXPECT_EQ(bids.level_count(), 0);
  EXPECT_TRUE(bids.empty());
}

TEST(LevelCost, EqualsNotionalOnBothSidesOfTheFastPathLimit) {
  const int64_t limit = int64_t{1} << 49;
  for (int32_t t : {0, 1, 4'999, 9'999, 10'000}) {
    for (int64_t u : {int64_t{0}, int64_t{1}, int64_t{9'999}, int64_t{123'456'789}, limit - 1, limit,
                      limit + 1, INT64_MAX, -limit + 1, -limit, INT64_MIN + 1}) {
      ASSERT_EQ(level_cost(Price{t}, Qty{u}), notional(Price{t}, Qty{u})) << t << " x " << u;
    }
  }
}

}  // namespace
}  // namespace pmx
