#include "pmx/book/outcome_depth.h"

#include <gtest/gtest.h>

#include "pmx/book/kalshi_book.h"
#include "pmx/book/polymarket_book.h"

namespace pmx {
namespace {

constexpr Price cents(int c) {
  return Price::from_ticks(c * 100);
}

// YES bids 55 x10, 50 x20; NO bids 40 x5, 38 x7 (YES asks 60 x5, 62 x7).
KalshiBook kalshi_book() {
  KalshiBook b(cents(1));
  (void)b.set_yes_bid(cents(55), Qty::contracts(10));
  (void)b.set_yes_bid(cents(50), Qty::contracts(20));
  (void)b.set_no_bid(cents(40), Qty::contracts(5));
  (void)b.set_no_bid(cents(38), Qty::contracts(7));
  return b;
}

TEST(OutcomeDepth, BuyingYesTakesTheAsksDerivedFromNoBids) {
  const KalshiBook b = kalshi_book();
  EXPECT_EQ(best_takeable(b, Outcome::yes, Side::buy), (Level{cents(60), Qty::contracts(5)}));
  const WalkResult r = take(b, Outcome::yes, Side::buy, Qty::contracts(8), cents(62));
  EXPECT_EQ(r.filled, Qty::contracts(8));
  EXPECT_EQ(r.cost, Money::from_micros(5 * 600'000 + 3 * 620'000));
  EXPECT_EQ(r.worst_price, cents(62));
}

TEST(OutcomeDepth, BuyingNoTakesTheYesBidsAtOneMinusTheirPrice) {
  const KalshiBook b = kalshi_book();
  EXPECT_EQ(best_takeable(b, Outcome::no, Side::buy), (Level{cents(45), Qty::contracts(10)}));
  EXPECT_EQ(takeable_through(b, Outcome::no, Side::buy, cents(45)), Qty::contracts(10));
  EXPECT_EQ(takeable_through(b, Outcome::no, Side::buy, cents(50)), Qty::contracts(30));
}

TEST(OutcomeDepth, SellingHitsBidsAndStopsAtTheLimit) {
  const KalshiBook b = kalshi_book();
  const WalkResult yes = take(b, Outcome::yes, Side::sell, Qty::contracts(25), cents(51));
  EXPECT_EQ(yes.filled, Qty::contracts(10));  // 50 is below the limit
  EXPECT_EQ(best_takeable(b, Outcome::no, Side::sell), (Level{cents(40), Qty::contracts(5)}));
}

TEST(OutcomeDepth, RestingSizeIsTheQueueAtOurOwnPrice) {
  const KalshiBook b = kalshi_book();
  EXPECT_EQ(resting_at(b, Outcome::yes, Side::buy, cents(50)), Qty::contracts(20));
  EXPECT_EQ(resting_at(b, Outcome::no, Side::buy, cents(38)), Qty::contracts(7));
  EXPECT_EQ(resting_at(b, Outcome::yes, Side::sell, cents(62)), Qty::contracts(7));
}

TEST(OutcomeDepth, PolymarketTokenBuysTakeItsAsks) {
  PolymarketBook b(cents(1));
  (void)b.set_ask(cents(30), Qty::contracts(4));
  (void)b.set_ask(cents(31), Qty::contracts(4));
  (void)b.set_bid(cents(29), Qty::contracts(4));
  EXPECT_EQ(take(b, Outcome::yes, Side::buy, Qty::contracts(6), cents(99)).cost,
            Money::from_micros(4 * 300'000 + 2 * 310'000));
  EXPECT_EQ(best_takeable(b, Outcome::yes, Side::sell).price, cents(29));
  EXPECT_FALSE(best_takeable(PolymarketBook(cents(1)), Outcome::yes, Side::buy).valid());
}

}  // namespace
}  // namespace pmx
