// Book updates and queries must never allocate. This binary replaces the global operator new
// with a counting one (allowed in a test program) and runs a loop of updates and queries on
// both books between two reads of the counter.
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "pmx/book/kalshi_book.h"
#include "pmx/book/polymarket_book.h"

namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace

// noinline: GCC would otherwise inline malloc/free into new/delete call sites and then warn
// (-Wmismatched-new-delete) that free() releases memory from operator new.

[[gnu::noinline]] void* operator new(std::size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void* operator new[](std::size_t size) {
  return operator new(size);
}
[[gnu::noinline]] void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
[[gnu::noinline]] void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete[](void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}

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

  const uint64_t before = g_allocations.load(std::memory_order_relaxed);
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
  const uint64_t after = g_allocations.load(std::memory_order_relaxed);
  EXPECT_EQ(after - before, 0U);
  EXPECT_NE(sink, 0U);

  // The counter does see allocations: a tick change allocates.
  poly.reset(Price{100});
  EXPECT_GT(g_allocations.load(std::memory_order_relaxed), after);
}

}  // namespace
}  // namespace pmx
