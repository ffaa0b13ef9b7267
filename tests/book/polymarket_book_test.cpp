#include "pmx/book/polymarket_book.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/core/decimal.h"

#include "book_test_util.h"

namespace pmx {
namespace {

using book_test::kCent;
using book_test::kDeciCent;
using book_test::P;
using book_test::Q;

std::vector<Level> levels_of(const PolymarketBook& book, BookSide side) {
  std::vector<Level> out;
  book.for_each_level(side, SIZE_MAX, [&](Level l) { out.push_back(l); });
  return out;
}

TEST(PolymarketBook, EmptyBookHasNoBidNoAskAndNoMid) {
  PolymarketBook book(kCent);
  EXPECT_FALSE(book.best_bid().valid());
  EXPECT_FALSE(book.best_ask().valid());
  EXPECT_EQ(book.mid(), std::nullopt);
  EXPECT_FALSE(book.is_crossed());
  EXPECT_EQ(book.walk(BookSide::bid, Q("1")), WalkResult{});
}

TEST(PolymarketBook, TracksTheBestBidAndAskThroughInsertsAndRemovals) {
  PolymarketBook book(kCent);
  book.set_bid(P("0.48"), Q("100"));
  book.set_bid(P("0.47"), Q("50"));
  book.set_ask(P("0.52"), Q("10"));
  book.set_ask(P("0.51"), Q("20.123456"));
  EXPECT_EQ(book.best_bid(), (Level{P("0.48"), Q("100")}));
  EXPECT_EQ(book.best_ask(), (Level{P("0.51"), Q("20.123456")}));
  EXPECT_EQ(book.mid(), P("0.495"));
  book.set_bid(P("0.48"), Q("0"));
  book.set_ask(P("0.51"), Q("0"));
  EXPECT_EQ(book.best_bid(), (Level{P("0.47"), Q("50")}));
  EXPECT_EQ(book.best_ask(), (Level{P("0.52"), Q("10")}));
  book.set_bid(P("0.47"), Q("0"));
  EXPECT_FALSE(book.best_bid().valid());
  EXPECT_EQ(book.level_count(BookSide::bid), 0);
  EXPECT_EQ(book.level_count(BookSide::ask), 1);
}

TEST(PolymarketBook, RefusesOffGridAndOutOfRangePricesAndCountsThem) {
  PolymarketBook book(kCent);
  EXPECT_EQ(book.set_bid(P("0.485"), Q("1")), BookError::off_grid);
  EXPECT_EQ(book.set_ask(P("1.01"), Q("1")), BookError::out_of_range);
  EXPECT_EQ(book.set_ask(P("0.50"), Q("-1")), BookError::negative_qty);
  EXPECT_EQ(book.stats().refused, 3U);
  EXPECT_FALSE(book.best_bid().valid());
  EXPECT_FALSE(book.best_ask().valid());
}

TEST(PolymarketBook, AcceptsLevelsAtZeroAndOneDollar) {
  PolymarketBook book(kCent);
  EXPECT_EQ(book.set_bid(P("0"), Q("1")), BookError::ok);
  EXPECT_EQ(book.set_ask(P("1"), Q("2")), BookError::ok);
  EXPECT_EQ(book.best_bid().price, P("0"));
  EXPECT_EQ(book.best_ask().price, P("1"));
  EXPECT_EQ(book.mid(), P("0.50"));
}

TEST(PolymarketBook, CountsUpdatesThatLeaveItCrossedOrLocked) {
  PolymarketBook book(kCent);
  book.set_bid(P("0.48"), Q("1"));
  book.set_ask(P("0.50"), Q("1"));
  book.set_ask(P("0.48"), Q("1"));  // locked
  EXPECT_TRUE(book.is_locked());
  book.set_bid(P("0.49"), Q("1"));  // crossed
  EXPECT_TRUE(book.is_crossed());
  EXPECT_FALSE(book.is_locked());
  book.set_bid(P("0.49"), Q("0"));  // locked again
  book.set_ask(P("0.48"), Q("0"));  // normal
  EXPECT_EQ(book.stats().locked, 2U);
  EXPECT_EQ(book.stats().crossed, 1U);
  EXPECT_FALSE(book.is_crossed() || book.is_locked());
}

TEST(PolymarketBook, WalkBuysAcrossSeveralAsksAtExactCost) {
  PolymarketBook book(kDeciCent);
  book.set_ask(P("0.512"), Q("10.5"));
  book.set_ask(P("0.513"), Q("3.25"));
  book.set_ask(P("0.600"), Q("1000"));
  const WalkResult r = book.walk(BookSide::ask, Q("20"));
  EXPECT_EQ(r.filled, Q("20"));
  // 10.5 * 0.512 + 3.25 * 0.513 + 6.25 * 0.6 = 5.376 + 1.66725 + 3.75
  EXPECT_EQ(r.cost, Money{10'793'250});
  EXPECT_EQ(r.worst_price, P("0.6"));
}

TEST(PolymarketBook, SizeUpToCountsAsksAtOrBelowAndBidsAtOrAboveTheLimit) {
  PolymarketBook book(kCent);
  book.set_ask(P("0.51"), Q("1"));
  book.set_ask(P("0.53"), Q("2"));
  book.set_bid(P("0.49"), Q("4"));
  book.set_bid(P("0.47"), Q("8"));
  EXPECT_EQ(book.size_up_to(BookSide::ask, P("0.52")), Q("1"));
  EXPECT_EQ(book.size_up_to(BookSide::ask, P("0.53")), Q("3"));
  EXPECT_EQ(book.size_up_to(BookSide::bid, P("0.48")), Q("4"));
  EXPECT_EQ(book.size_up_to(BookSide::bid, P("0.47")), Q("12"));
}

TEST(PolymarketBook, TickSizeChangeKeepsTheRestingLevels) {
  PolymarketBook book(kCent);
  book.set_bid(P("0.96"), Q("5"));
  book.set_ask(P("0.97"), Q("6"));
  EXPECT_EQ(book.change_tick(kDeciCent), BookError::ok);
  EXPECT_EQ(book.tick(), kDeciCent);
  EXPECT_EQ(book.best_bid(), (Level{P("0.96"), Q("5")}));
  EXPECT_EQ(book.best_ask(), (Level{P("0.97"), Q("6")}));
  EXPECT_EQ(book.set_ask(P("0.965"), Q("1")), BookError::ok);
  EXPECT_EQ(book.best_ask().price, P("0.965"));
}

TEST(PolymarketBook, TickSizeChangeRefusesToDropALevelOffTheGrid) {
  PolymarketBook book(kDeciCent);
  book.set_bid(P("0.960"), Q("5"));
  book.set_ask(P("0.965"), Q("6"));
  EXPECT_EQ(book.change_tick(kCent), BookError::off_grid);
  EXPECT_EQ(book.tick(), kDeciCent);
  EXPECT_EQ(book.best_bid(), (Level{P("0.96"), Q("5")}));
  EXPECT_EQ(book.best_ask(), (Level{P("0.965"), Q("6")}));
  EXPECT_EQ(book.change_tick(Price{3}), BookError::bad_tick);
}

TEST(PolymarketBook, ResetEmptiesTheBookForASnapshot) {
  PolymarketBook book(kCent);
  book.set_bid(P("0.40"), Q("5"));
  EXPECT_EQ(book.reset(kDeciCent), BookError::ok);
  EXPECT_FALSE(book.best_bid().valid());
  book.set_bid(P("0.401"), Q("5"));
  book.clear();
  EXPECT_FALSE(book.best_bid().valid());
  EXPECT_EQ(book.tick(), kDeciCent);
}

// ---- randomized against a std::map model ----

class PolymarketBookRandomized : public ::testing::TestWithParam<int32_t> {};

TEST_P(PolymarketBookRandomized, MatchesAStdMapModelAfterEveryUpdate) {
  const int32_t tick = GetParam();
  const int32_t n_levels = Price::kTicksPerDollar / tick + 1;
  PolymarketBook book(Price{tick});
  std::map<int32_t, int64_t, std::greater<>> bids;
  std::map<int32_t, int64_t> asks;
  std::mt19937_64 rng(77u + static_cast<uint32_t>(tick));
  const auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const auto model_levels = [](const auto& side) {
    std::vector<Level> out;
    for (auto [p, q] : side)
      out.push_back({Price{p}, Qty{q}});
    return out;
  };
  const auto model_walk = [](const std::vector<Level>& levels, Qty wanted) {
    WalkResult r;
    for (const Level& l : levels) {
      if (r.filled >= wanted) break;
      const Qty take{std::min(l.qty.units, wanted.units - r.filled.units)};
      r.filled = r.filled + take;
      r.cost = r.cost + notional(l.price, take);
      r.worst_price = l.price;
    }
    return r;
  };

  uint64_t model_crossed = 0;
  uint64_t model_locked = 0;
  for (int op = 0; op < 5000; ++op) {
    const BookSide side = uniform(0, 1) == 0 ? BookSide::bid : BookSide::ask;
    const int32_t index = uniform(0, 4) == 0 ? static_cast<int32_t>(uniform(0, n_levels - 1))
                                             : static_cast<int32_t>(n_levels / 2 + uniform(-15, 15));
    const int32_t price = index * tick;
    // Sizes with 4 decimals, so notional() is exact; a third of updates remove the level.
    const Qty qty{uniform(0, 2) == 0 ? 0 : uniform(1, 10'000'000) * 100};
    ASSERT_EQ(book.set(side, Price{price}, qty), BookError::ok);
    if (side == BookSide::bid) {
      qty.is_zero() ? void(bids.erase(price)) : void(bids[price] = qty.units);
    } else {
      qty.is_zero() ? void(asks.erase(price)) : void(asks[price] = qty.units);
    }

    SCOPED_TRACE("op " + std::to_string(op));
    const auto model_bid = model_levels(bids);
    const auto model_ask = model_levels(asks);
    ASSERT_EQ(book.best_bid(), model_bid.empty() ? Level{} : model_bid.front());
    ASSERT_EQ(book.best_ask(), model_ask.empty() ? Level{} : model_ask.front());
    ASSERT_EQ(levels_of(book, BookSide::bid), model_bid);
    ASSERT_EQ(levels_of(book, BookSide::ask), model_ask);
    const bool both = !bids.empty() && !asks.empty();
    ASSERT_EQ(book.is_crossed(), both && bids.begin()->first > asks.begin()->first);
    ASSERT_EQ(book.is_locked(), both && bids.begin()->first == asks.begin()->first);
    model_crossed += both && bids.begin()->first > asks.begin()->first;
    model_locked += both && bids.begin()->first == asks.begin()->first;
    ASSERT_EQ(book.stats().crossed, model_crossed);
    ASSERT_EQ(book.stats().locked, model_locked);
    const Qty wanted{uniform(0, 5'000'000'000)};
    ASSERT_EQ(book.walk(BookSide::bid, wanted), model_walk(model_bid, wanted));
    ASSERT_EQ(book.walk(BookSide::ask, wanted), model_walk(model_ask, wanted));
    const int32_t limit = static_cast<int32_t>(uniform(0, Price::kTicksPerDollar));
    int64_t bid_size = 0;
    int64_t ask_size = 0;
    for (auto [p, q] : bids)
      bid_size += p >= limit ? q : 0;
    for (auto [p, q] : asks)
      ask_size += p <= limit ? q : 0;
    ASSERT_EQ(book.size_up_to(BookSide::bid, Price{limit}), Qty{bid_size});
    ASSERT_EQ(book.size_up_to(BookSide::ask, Price{limit}), Qty{ask_size});
  }
}

INSTANTIATE_TEST_SUITE_P(Ticks, PolymarketBookRandomized, ::testing::Values(100, 10, 1),
                         [](const auto& param_info) { return "tick_" + std::to_string(param_info.param); });

}  // namespace
}  // namespace pmx
