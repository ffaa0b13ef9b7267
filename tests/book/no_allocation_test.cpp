// Book updates and queries must never allocate. This binary links the counting global operator new
// of tests/common and runs a loop of updates and queries on
// both books between two reads of the counter.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "pmx/book/kalshi_book.h"
#include "pmx/book/polymarket_book.h"

#include "../common/counting_allocator.h"

namespace pmx {
namespace {

TEST(BookAllocation, UpdatesAndQueriesAllocateNothing) {
  KalshiBook kalshi(Price{10});
  PolymarketBook poly(Price{10});
  uint64_t sink = 0;
  const auto query = [&](const auto& book) {
    sink += static_cast<uint64_t>(book.best_bid().qty.units + book.best_ask().qty.units);
    sink += book.mid().value_or(Price{}).ticks;
    sink += book.is_crossed() + book.is_locked();
    sink += static_cast<uint64_t>(book.walk(BookSide::ask, Qty::contracts(50)).cost.micros);
    sink += static_cast<uint64_t>(book.walk(BookSide::bid, Qty::contracts(50)).cost.micros);
    sink += static_cast<uint64_t>(book.size_up_to(BookSide::ask, Price{6000}).units);
    book.for_each_level(BookSide::bid, 5, [&](Level l) { sink += static_cast<uint64_t>(l.price.ticks); });
  };

  const uint64_t before = test::allocation_count();
  for (int32_t i = 0; i < 20'000; ++i) {
    const Price p{((i * 7919) % 1001) * 10};
    const Qty q{(i % 5 == 0) ? 0 : (i % 97 + 1) * 1'000'000};
    kalshi.set_yes_bid(p, q);
    kalshi.set_no_bid(Price{10'000 - p.ticks}, q);
    kalshi.apply_delta(Outcome::yes, p, Qty{-1});
    kalshi.set_yes_bid(Price{p.ticks + 5}, q);  // off grid: refused
    poly.set_bid(p, q);
    poly.set_ask(Price{10'000 - p.ticks}, q);
    query(kalshi);
    query(poly);
    if (i % 5000 == 0) {
      kalshi.clear();
      poly.clear();
      kalshi.reset(Price{10});  // same tick: empties without allocating
    }
  }
  const uint64_t after = test::allocation_count();
  EXPECT_EQ(after - before, 0U);
  EXPECT_NE(sink, 0U);

  // The counter does see allocations: a tick change allocates.
  poly.reset(Price{100});
  EXPECT_GT(test::allocation_count(), after);
}

}  // namespace
}  // namespace pmx
