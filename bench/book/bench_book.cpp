// bench_book: pmx::PolymarketBook (dense ladders + bitmap) against StdMapBook (std::map per
// side), over the same pre-generated sequence of level updates.
//
// The sequence imitates a busy binary market on a 0.1¢ tick (1'001 levels a side) holding
// about kDepth levels a side (the recorded Kalshi book has 41): half the updates add or change a
// level within five ticks of the touch, one in ten removes the best level (a fill or a cancel
// at the top), one in ten improves the touch inside the spread, the rest change, add or remove
// levels deeper in the book. It is generated once against a model book that keeps bids
// below asks, then replayed cyclically.
//
//   BM_level_update/<impl>  one update per iteration
//   BM_best_price/<impl>    one update, then best bid and best ask
//   BM_walk/<impl>          one update, then the cost of buying kWalkSize from the asks
//
// Before anything is timed, both implementations replay the sequence three times and must
// agree on every level of both sides and on walk results; otherwise the program exits with an
// error (a fast wrong answer is not a result).
//
// Run: bench_book --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <map>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "pmx/book/polymarket_book.h"

#include "stdmap_book.h"

namespace {

using pmx::BookSide;
using pmx::Level;
using pmx::Price;
using pmx::Qty;
using pmx::WalkResult;

constexpr int32_t kTick = 10;  // 0.1¢
constexpr size_t kUpdates = size_t{1} << 16;
constexpr Qty kWalkSize = Qty::contracts(2'000);
constexpr int64_t kDepth = 40;  // levels a side, like the recorded Kalshi book (41 NO bids)

struct Update {
  Price price;
  BookSide side;
  Qty qty;
};

// Generates the update sequence against a model book kept uncrossed.
std::vector<Update> make_updates() {
  std::mt19937_64 rng(42);
  const auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::map<int32_t, int64_t, std::greater<>> bids;
  std::map<int32_t, int64_t> asks;
  std::vector<Update> out;
  out.reserve(kUpdates);

  const auto emit = [&](BookSide side, int32_t price, int64_t qty) {
    if (side == BookSide::bid) {
      qty == 0 ? void(bids.erase(price)) : void(bids[price] = qty);
    } else {
      qty == 0 ? void(asks.erase(price)) : void(asks[price] = qty);
    }
    out.push_back({Price{price}, side, Qty{qty}});
  };
  const auto random_size = [&] { return uniform(1, 100'000) * 10'000; };  // 0.01 to 1000 contracts

  // Seed 20 levels a side around 0.50.
  for (int32_t k = 0; k < 20; ++k) {
    emit(BookSide::bid, 4990 - k * kTick, random_size());
    emit(BookSide::ask, 5010 + k * kTick, random_size());
  }
  // The k-th best price of a side (k < size).
  const auto nth_price = [](const auto& levels, int64_t k) {
    auto it = levels.begin();
    std::advance(it, k);
    return it->first;
  };
  while (out.size() < kUpdates) {
    const BookSide side = uniform(0, 1) == 0 ? BookSide::bid : BookSide::ask;
    const bool bid = side == BookSide::bid;
    const int32_t best_bid = bids.empty() ? 4000 : bids.begin()->first;
    const int32_t best_ask = asks.empty() ? 6000 : asks.begin()->first;
    const int32_t best = bid ? best_bid : best_ask;
    const int32_t deeper = bid ? -kTick : kTick;  // one tick away from the touch
    const int64_t depth = static_cast<int64_t>(bid ? bids.size() : asks.size());
    const int64_t roll = uniform(0, 99);
    const auto in_range = [](int32_t p) { return p > 0 && p < Price::kTicksPerDollar; };

    if (depth < kDepth || roll < 5) {  // a new level somewhere in the book
      const int32_t p = best + deeper * static_cast<int32_t>(uniform(1, 2 * kDepth));
      if (in_range(p)) emit(side, p, random_size());
    } else if (roll < 15) {  // the best level goes away
      emit(side, best, 0);
    } else if (roll < 25) {  // improve the touch if there is room inside the spread
      const int32_t inside = best - deeper;
      emit(side, inside > best_bid && inside < best_ask ? inside : best, random_size());
    } else if (roll < 75) {  // add or change a level within a few ticks of the touch
      const int32_t p =
          best + deeper * static_cast<int32_t>(std::min(uniform(0, 3) + uniform(0, 3), int64_t{5}));
      if (in_range(p)) emit(side, p, random_size());
    } else if (roll < 90) {  // change the size of a deeper level
      const int64_t k = uniform(1, depth - 1);
      emit(side, bid ? nth_price(bids, k) : nth_price(asks, k), random_size());
    } else {  // remove a deeper level
      const int64_t k = uniform(1, depth - 1);
      emit(side, bid ? nth_price(bids, k) : nth_price(asks, k), 0);
    }
  }
  out.resize(kUpdates);
  return out;
}

const std::vector<Update>& updates() {
  static const std::vector<Update> u = make_updates();
  return u;
}

// ---- one adapter per implementation (apply() inlined into the loop for both, as in a feed handler) ----

struct PmxAdapter {
  pmx::PolymarketBook book{Price{kTick}};
  [[gnu::always_inline]] void apply(const Update& u) noexcept { book.set(u.side, u.price, u.qty); }
  Level best_bid() const noexcept { return book.best_bid(); }
  Level best_ask() const noexcept { return book.best_ask(); }
  WalkResult walk(BookSide side, Qty wanted) const noexcept { return book.walk(side, wanted); }
  std::vector<Level> levels(BookSide side) const {
    std::vector<Level> out;
    book.for_each_level(side, SIZE_MAX, [&](Level l) { out.push_back(l); });
    return out;
  }
};

struct StdMapAdapter {
  pmx::bench::StdMapBook book;
  [[gnu::always_inline]] void apply(const Update& u) { book.set(u.side, u.price, u.qty); }
  Level best_bid() const noexcept { return book.best_bid(); }
  Level best_ask() const noexcept { return book.best_ask(); }
  WalkResult walk(BookSide side, Qty wanted) const noexcept { return book.walk(side, wanted); }
  std::vector<Level> levels(BookSide side) const {
    std::vector<Level> out;
    book.for_each_level(side, [&](Level l) { out.push_back(l); });
    return out;
  }
};

// Replays the sequence three times through both books, comparing them at checkpoints and at
// the end. Returns false (after printing where) on the first disagreement.
bool books_agree() {
  PmxAdapter a;
  StdMapAdapter b;
  const auto& seq = updates();
  for (size_t i = 0; i < 3 * seq.size(); ++i) {
    a.apply(seq[i % seq.size()]);
    b.apply(seq[i % seq.size()]);
    const bool checkpoint = i % 97 == 0 || i + 1 == 3 * seq.size();
    if (a.best_bid() != b.best_bid() || a.best_ask() != b.best_ask() ||
        (checkpoint && (a.levels(BookSide::bid) != b.levels(BookSide::bid) ||
                        a.levels(BookSide::ask) != b.levels(BookSide::ask) ||
                        a.walk(BookSide::ask, kWalkSize) != b.walk(BookSide::ask, kWalkSize) ||
                        a.walk(BookSide::bid, kWalkSize) != b.walk(BookSide::bid, kWalkSize)))) {
      std::fprintf(stderr, "bench_book: pmx and stdmap books differ after update %zu\n", i);
      return false;
    }
  }
  std::fprintf(stderr, "bench_book: books agree after %zu updates (%zu bid, %zu ask levels at the end)\n",
               3 * seq.size(), a.levels(BookSide::bid).size(), a.levels(BookSide::ask).size());
  return true;
}

// Starts each benchmark from the book one full pass of the sequence leaves.
template <typename Book>
void warm(Book& book) {
  for (const Update& u : updates())
    book.apply(u);
}

template <typename Book>
void BM_level_update(benchmark::State& state) {
  Book book;
  warm(book);
  const Update* seq = updates().data();
  size_t i = 0;
  for (auto _ : state) {
    book.apply(seq[i++ & (kUpdates - 1)]);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <typename Book>
void BM_best_price(benchmark::State& state) {
  Book book;
  warm(book);
  const Update* seq = updates().data();
  size_t i = 0;
  for (auto _ : state) {
    book.apply(seq[i++ & (kUpdates - 1)]);
    Level bid = book.best_bid();
    Level ask = book.best_ask();
    benchmark::DoNotOptimize(bid);
    benchmark::DoNotOptimize(ask);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

template <typename Book>
void BM_walk(benchmark::State& state) {
  Book book;
  warm(book);
  const Update* seq = updates().data();
  size_t i = 0;
  for (auto _ : state) {
    book.apply(seq[i++ & (kUpdates - 1)]);
    WalkResult r = book.walk(BookSide::ask, kWalkSize);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!books_agree()) return 1;
  benchmark::RegisterBenchmark("BM_level_update/pmx", BM_level_update<PmxAdapter>);
  benchmark::RegisterBenchmark("BM_level_update/stdmap", BM_level_update<StdMapAdapter>);
  benchmark::RegisterBenchmark("BM_best_price/pmx", BM_best_price<PmxAdapter>);
  benchmark::RegisterBenchmark("BM_best_price/stdmap", BM_best_price<StdMapAdapter>);
  benchmark::RegisterBenchmark("BM_walk/pmx", BM_walk<PmxAdapter>);
  benchmark::RegisterBenchmark("BM_walk/stdmap", BM_walk<StdMapAdapter>);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
