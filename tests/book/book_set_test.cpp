#include "pmx/book/book_set.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

constexpr InstrumentId kMarket{0};

MarketEvent event(EventType type, Outcome outcome = Outcome::yes, int32_t price = 0, int64_t units = 0) {
  MarketEvent e;
  e.type = type;
  e.venue = Venue::kalshi;
  e.instrument = kMarket;
  e.outcome = outcome;
  e.price = type == EventType::snapshot_begin ? kNoPrice : Price::from_ticks(price);
  e.qty = Qty::from_units(units);
  return e;
}

// A Kalshi book with YES bid 0.48 x 10 and NO bid 0.50 x 20 (YES ask 0.50).
BookSet snapshot_book() {
  BookSet books(/*create_on_first_event=*/false);
  books.ensure(kMarket, Venue::kalshi, Price::from_ticks(100));
  books.apply(event(EventType::snapshot_begin));
  books.apply(event(EventType::snapshot_level, Outcome::yes, 4800, 10'000'000));
  books.apply(event(EventType::snapshot_level, Outcome::no, 5000, 20'000'000));
  EXPECT_EQ(books.apply(event(EventType::snapshot_end)), BookSet::Applied::snapshot);
  return books;
}

TEST(BookSet, ABookIsStaleUntilItsFirstSnapshotCompletes) {
  BookSet books(false);
  books.ensure(kMarket, Venue::kalshi, Price::from_ticks(100));
  EXPECT_TRUE(books.stale(kMarket));
  EXPECT_EQ(books.apply(event(EventType::level_delta, Outcome::yes, 4800, 1'000'000)),
            BookSet::Applied::dropped);
  books.apply(event(EventType::snapshot_begin));
  EXPECT_TRUE(books.stale(kMarket));
  books.apply(event(EventType::snapshot_end));
  EXPECT_FALSE(books.stale(kMarket));
}

TEST(BookSet, AppliesSnapshotThenDeltas) {
  BookSet books = snapshot_book();
  EXPECT_EQ(books.best_bid(kMarket).price.ticks, 4800);
  EXPECT_EQ(books.best_ask(kMarket).price.ticks, 5000);
  EXPECT_EQ(books.apply(event(EventType::level_delta, Outcome::no, 5000, -20'000'000)),
            BookSet::Applied::level);
  EXPECT_FALSE(books.best_ask(kMarket).valid());
}

TEST(BookSet, AGapMakesTheBookStaleAndDropsDeltasUntilTheNextSnapshot) {
  BookSet books = snapshot_book();
  EXPECT_EQ(books.apply(event(EventType::stale)), BookSet::Applied::stale);
  EXPECT_TRUE(books.stale(kMarket));
  EXPECT_EQ(books.apply(event(EventType::level_delta, Outcome::yes, 4900, 5'000'000)),
            BookSet::Applied::dropped);
  EXPECT_EQ(books.counters().dropped_stale, 1u);
  books.apply(event(EventType::snapshot_begin));
  books.apply(event(EventType::snapshot_level, Outcome::yes, 4700, 1'000'000));
  books.apply(event(EventType::snapshot_end));
  EXPECT_FALSE(books.stale(kMarket));
  EXPECT_EQ(books.best_bid(kMarket).price.ticks, 4700);  // the old levels are gone
  EXPECT_FALSE(books.best_ask(kMarket).valid());
}

TEST(BookSet, ADeltaBelowZeroMeansALostMessageAndMakesTheBookStale) {
  BookSet books = snapshot_book();
  EXPECT_EQ(books.apply(event(EventType::level_delta, Outcome::yes, 4800, -11'000'000)),
            BookSet::Applied::stale);
  EXPECT_TRUE(books.stale(kMarket));
  EXPECT_EQ(books.counters().refused_levels, 1u);
}

namespace {
// A Polymarket token with one bid at 4500 ticks, on a tick of 100 ($0.01).
BookSet polymarket_book_with_a_bid(InstrumentId token) {
  BookSet books(false);
  books.ensure(token, Venue::polymarket, Price::from_ticks(100));
  MarketEvent e;
  e.venue = Venue::polymarket;
  e.instrument = token;
  e.type = EventType::snapshot_begin;
  books.apply(e);
  e.type = EventType::snapshot_level;
  e.book_side = BookSide::bid;
  e.price = Price::from_ticks(4500);
  e.qty = Qty::contracts(5);
  books.apply(e);
  e.type = EventType::snapshot_end;
  books.apply(e);
  return books;
}

MarketEvent tick_change(InstrumentId token, int32_t new_tick) {
  MarketEvent e;
  e.venue = Venue::polymarket;
  e.instrument = token;
  e.type = EventType::tick_size_change;
  e.price = Price::from_ticks(new_tick);
  return e;
}
}  // namespace

TEST(BookSet, APolymarketTickGettingFinerKeepsTheBookTradeable) {
  const InstrumentId token{3};
  BookSet books = polymarket_book_with_a_bid(token);
  ASSERT_EQ(books.best_bid(token).price.ticks, 4500);

  EXPECT_EQ(books.apply(tick_change(token, 10)), BookSet::Applied::none);
  EXPECT_FALSE(books.stale(token));
  EXPECT_EQ(books.best_bid(token), (Level{Price::from_ticks(4500), Qty::contracts(5)}));
  EXPECT_EQ(books.polymarket(token)->tick().ticks, 10);
  EXPECT_EQ(books.counters().retick, 1u);
}

TEST(BookSet, APolymarketTickChangeThatStrandsALevelDropsTheBookUntilASnapshot) {
  const InstrumentId token{3};
  BookSet books = polymarket_book_with_a_bid(token);

  // 4500 is not a multiple of 1000 ($0.10): the level cannot be kept.
  EXPECT_EQ(books.apply(tick_change(token, 1000)), BookSet::Applied::stale);
  EXPECT_TRUE(books.stale(token));
  EXPECT_FALSE(books.best_bid(token).valid());
  EXPECT_EQ(books.polymarket(token)->tick().ticks, 1000);
}

TEST(BookSet, UnknownInstrumentsAreCountedUnlessCreatedOnFirstSight) {
  BookSet strict(false);
  EXPECT_EQ(strict.apply(event(EventType::snapshot_begin)), BookSet::Applied::dropped);
  EXPECT_EQ(strict.counters().unknown_instrument, 1u);
  BookSet lenient(true);
  lenient.apply(event(EventType::snapshot_begin));
  EXPECT_TRUE(lenient.has(kMarket));
}

TEST(BookSet, TradesTickersAndStatusLeaveBooksAlone) {
  BookSet books = snapshot_book();
  EXPECT_EQ(books.apply(event(EventType::trade, Outcome::yes, 4800, 1'000'000)), BookSet::Applied::none);
  EXPECT_EQ(books.apply(event(EventType::ticker)), BookSet::Applied::none);
  EXPECT_EQ(books.best_bid(kMarket).qty.units, 10'000'000);
}

}  // namespace
}  // namespace pmx
