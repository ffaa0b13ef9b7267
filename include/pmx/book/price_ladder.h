// PriceLadder: one side of an order book as a dense array of sizes indexed by price / tick.
//
// A ladder covers $0 to $1 inclusive: 101 levels for a 1¢ tick, 1'001 for 0.1¢, 10'001 for
// 0.01¢. Its storage is allocated in reset() (start-up, or a venue's tick-size change) and never
// on an update; every update and query is noexcept and allocation-free.
//
// Storage is by rank, a level's distance in ticks from the best possible price ($1 for a bid
// ladder, $0 for an ask ladder), so that for either side the best level is the lowest occupied
// rank and walking best first is a forward scan of the bitmap with tzcnt and blsr (one cycle per
// level on the loop-carried path, where a highest-first scan needs lzcnt, a subtract and a
// bit-clear):
//
//   qty_[r]   size resting at the price of rank r (0 = no level); qty_[n_levels] is always 0
//   bits_[w]  bit b set  <=>  qty_[64 w + b] != 0, plus a sentinel bit at rank n_levels
//   best_     lowest occupied rank; n_levels when empty (the sentinel), so "is this better than
//             best" needs no branch on emptiness; best() tests only best_ >= n_levels (true, 0 >= 0,
//             for a ladder without storage), so a non-empty answer needs no test of its size
//
// The best level is kept incrementally. A new level is compared with best_ in O(1). Removing the
// best level takes the next one from the same bitmap word; only when that word is empty does it
// scan forward, one word per 64 ranks (157 words for a 0.01¢ book; the sentinel bit ends the
// scan). Walking levels best first touches only non-empty levels plus one word per 64 empty
// ranks. No level count is kept (level_count() is a popcount): one read-modify-write less per
// update.
//
// The template parameter says which way is better: a bid ladder's best is its highest price,
// an ask ladder's its lowest. The books keep both of their sides as bid ladders (asks at
// $1 - price, see book_core.h) and convert with a PriceMap (ComplementPrice) when walking the
// ask side; AskLadder is for ladders read in their own terms.
//
// Prices are validated on every update: outside [$0, $1] is out_of_range, not a multiple of the
// tick is off_grid, a negative size is negative_qty. A refused update changes nothing.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "pmx/book/book_types.h"
#include "pmx/core/types.h"

namespace pmx {

// Price maps for walking a ladder in another outcome's terms.
struct SamePrice {
  constexpr Price operator()(Price p) const noexcept { return p; }
};
// A NO bid at p is a YES ask at $1 - p. Wraps modulo 2^32 instead of overflowing, which maps
// [$0, $1] onto itself and every price outside it to a price outside it (still refused).
struct ComplementPrice {
  constexpr Price operator()(Price p) const noexcept {
    return Price{
        static_cast<int32_t>(static_cast<uint32_t>(Price::kTicksPerDollar) - static_cast<uint32_t>(p.ticks))};
  }
};

// notional(price, qty) for a price in [$0, $1], without notional()'s 128-bit division (a
// library call, the largest cost of a walk) whenever price * qty fits 64 bits: always for
// qty < 2^49 millionths (563 million contracts), since price <= 10^4 < 2^14. Same result.
constexpr Money level_cost(Price price, Qty qty) noexcept {
  constexpr int64_t kFits = int64_t{1} << 49;
  constexpr int64_t kDivisor =
      int64_t{Price::kTicksPerDollar} * Qty::kUnitsPerContract / Money::kMicrosPerDollar;
  if (qty.units < kFits && qty.units > -kFits) [[likely]] {
    return Money{int64_t{price.ticks} * qty.units / kDivisor};
  }
  return notional(price, qty);
}

template <BookSide kSide>
class PriceLadder {
 public:
  static constexpr bool kBestIsHighest = kSide == BookSide::bid;

  // An empty ladder with no storage: every update returns no_tick until reset().
  PriceLadder() = default;

  // Start-up: allocates for `tick`; throws std::invalid_argument if the tick is not valid.
  explicit PriceLadder(Price tick) {
    if (reset(tick) != BookError::ok) {
      throw std::invalid_argument("PriceLadder: tick of " + std::to_string(tick.ticks) +
                                  " ticks is not positive or does not divide $1 (10000 ticks)");
    }
  }

  // A moved-from ladder is left as a default-constructed one (no storage, empty), which best()
  // relies on: it tests only best_ < n_levels_ before reading qty_.
  PriceLadder(PriceLadder&& other) noexcept { *this = std::move(other); }
  PriceLadder& operator=(PriceLadder&& other) noexcept {
    if (this == &other) return *this;
    qty_ = std::move(other.qty_);
    bits_ = std::move(other.bits_);
    inv_tick_ = std::exchange(other.inv_tick_, 0);
    best_ = std::exchange(other.best_, 0);
    tick_ = std::exchange(other.tick_, 0);
    span_ = std::exchange(other.span_, 0);
    n_levels_ = std::exchange(other.n_levels_, 0);
    words_ = std::exchange(other.words_, 0);
    return *this;
  }

  // Empties the ladder and sets its tick, which must be positive and divide $1. Allocates only
  // when the tick changes (or on the first call); may throw std::bad_alloc. Returns bad_tick,
  // ladder unchanged, for an invalid tick.
  BookError reset(Price tick) {
    if (!valid_tick(tick)) return BookError::bad_tick;
    if (tick.ticks == tick_) {
      clear();
      return BookError::ok;
    }
    const uint32_t n = static_cast<uint32_t>(Price::kTicksPerDollar / tick.ticks) + 1;
    const uint32_t words = n / 64 + 1;          // ranks 0..n: the levels and the sentinel
    auto qty = std::make_unique<Qty[]>(n + 1);  // value-initialised: all zero
    auto bits = std::make_unique<uint64_t[]>(words);
    adopt(tick, n, words, std::move(qty), std::move(bits));
    return BookError::ok;
  }

  // Moves every level onto a new tick, keeping the book (Polymarket's tick_size_change: the
  // levels already resting stay where they are). Returns off_grid, ladder unchanged, if a
  // resting level is not a multiple of the new tick; bad_tick for an invalid tick. Allocates.
  BookError regrid(Price tick) {
    if (!valid_tick(tick)) return BookError::bad_tick;
    if (tick_ == 0) return reset(tick);
    bool on_grid = true;
    visit([&](Price p, Qty) {
      on_grid = p.ticks % tick.ticks == 0;
      return on_grid;
    });
    if (!on_grid) return BookError::off_grid;
    PriceLadder fresh(tick);
    visit([&](Price p, Qty q) {
      fresh.set(p, q);
      return true;
    });
    *this = std::move(fresh);
    return BookError::ok;
  }

  // Removes every level; keeps the storage. O(non-empty levels + words).
  void clear() noexcept {
    for (uint32_t w = 0; w < words_; ++w) {
      for (uint64_t m = bits_[w]; m != 0; m &= m - 1) {
        qty_[w * 64 + static_cast<uint32_t>(std::countr_zero(m))] = Qty{};  // qty_[n] is 0 already
      }
      bits_[w] = 0;
    }
    if (words_ != 0) set_sentinel();
    best_ = static_cast<int32_t>(n_levels_);
  }

  // Sets the size at `price` (absolute); a zero size removes the level.
  [[gnu::always_inline]] BookError set(Price price, Qty qty) noexcept {
    uint32_t r = 0;
    if (const BookError e = rank_of(price, r); e != BookError::ok) [[unlikely]] {
      return e;
    }
    if (qty.units < 0) [[unlikely]] {
      return BookError::negative_qty;
    }
    set_rank(r, qty);
    return BookError::ok;
  }

  // Adds `delta` (signed) to the size at `price`. A result below zero is refused
  // (negative_result) and the level left as it was: it means a message was missed, and the
  // caller must resynchronise from a snapshot rather than trust a guessed size.
  [[gnu::always_inline]] BookError add(Price price, Qty delta) noexcept {
    uint32_t r = 0;
    if (const BookError e = rank_of(price, r); e != BookError::ok) [[unlikely]] {
      return e;
    }
    int64_t sum = 0;
    if (__builtin_add_overflow(qty_[r].units, delta.units, &sum)) [[unlikely]] {
      return BookError::qty_overflow;
    }
    if (sum < 0) [[unlikely]] {
      return BookError::negative_result;
    }
    set_rank(r, Qty{sum});
    return BookError::ok;
  }

  // ---- queries ----

  // The best level, its price mapped through `map`, or an invalid Level (price and qty 0) when
  // the ladder is empty or has no storage. One predicted branch: a rank below n_levels_ is
  // occupied (its size is not 0) and qty_ is allocated, so neither needs a test of its own
  // (bench_book: the update + best-price loop measured about 0.25 ns, 4%, faster than testing both).
  template <typename PriceMap = SamePrice>
  [[gnu::always_inline]] Level best(PriceMap map = {}) const noexcept {
    if (best_ >= static_cast<int32_t>(n_levels_)) [[unlikely]] {
      return Level{};
    }
    return Level{map(price_of(best_)), qty_[best_]};
  }

  // The best level's rank: its distance in ticks from the best possible price ($1 for bids, $0
  // for asks); capacity() when the ladder is empty. Two ladders of one tick cross when their
  // ranks sum to less than capacity() - 1 (see book_core.h).
  int32_t best_rank() const noexcept { return best_; }

  // Size at `price`; 0 if there is no level there or the price is off the grid or out of range.
  Qty at(Price price) const noexcept {
    uint32_t r = 0;
    return rank_of(price, r) == BookError::ok ? qty_[r] : Qty{};
  }

  // Number of levels: a popcount of the bitmap, O(capacity / 64), for tests and tools (the
  // update path keeps no count: one read-modify-write less per update).
  int32_t level_count() const noexcept {
    int32_t n = 0;
    for (uint32_t w = 0; w < words_; ++w)
      n += std::popcount(bits_[w]);
    return n - static_cast<int32_t>(words_ != 0);  // the sentinel
  }
  bool empty() const noexcept { return best_ >= static_cast<int32_t>(n_levels_); }
  Price tick() const noexcept { return Price{tick_}; }
  uint32_t capacity() const noexcept { return n_levels_; }

  // Total size of the levels at least as good as `limit`: price >= limit for bids, <= limit
  // for asks. `limit` need not be on the grid.
  Qty size_through(Price limit) const noexcept {
    int64_t total = 0;
    visit([&](Price p, Qty q) {
      if (kBestIsHighest ? p < limit : p > limit) return false;
      total += q.units;
      return true;
    });
    return Qty{total};
  }

  // The cost of taking up to `wanted` from this ladder, best level first, each level's price
  // mapped through `map` (ComplementPrice to read NO bids as YES asks).
  template <typename PriceMap = SamePrice>
  [[gnu::always_inline]] WalkResult walk(Qty wanted, PriceMap map = {}) const noexcept {
    int64_t left = wanted.units;
    if (left <= 0) return WalkResult{};
    // Every take is at most `wanted`, and every mapped price is in [0, 10^4] < 2^14: below 2^49,
    // price * take fits 63 bits, and the unsigned 64-bit division by 10^4 (a multiply) is
    // level_cost()'s exact result. Larger walks take level_cost() itself, level by level.
    if (left >= kFastWalkLimit) [[unlikely]] {
      return walk_wide(wanted, map);
    }
    uint64_t cost = 0;
    int64_t filled = 0;
    int32_t worst = 0;
    const Qty* const qty = qty_.get();  // locals: GCC reloads members on every level otherwise
    const int32_t tick = tick_;
    visit_ranks([&](int32_t r) {
      const int64_t take = std::min(left, qty[r].units);
      const int32_t p = map(price_at(r, tick)).ticks;
      cost += static_cast<uint64_t>(p) * static_cast<uint64_t>(take) / kCostDivisor;
      filled += take;
      worst = p;
      left -= take;
      return left > 0;
    });
    return WalkResult{Qty{filled}, Money{static_cast<int64_t>(cost)}, Price{worst}};
  }

  // Calls f(Level) for at most `max_levels` levels, best first, prices mapped through `map`.
  // Returns the number of levels visited.
  template <typename F, typename PriceMap = SamePrice>
  size_t for_each_level(size_t max_levels, F&& f, PriceMap map = {}) const noexcept {
    size_t n = 0;
    if (max_levels == 0) return 0;
    visit([&](Price p, Qty q) {
      f(Level{map(p), q});
      return ++n < max_levels;
    });
    return n;
  }

  // Calls f(Price, Qty) -> bool for every level, best first, until f returns false.
  template <typename F>
  void visit(F&& f) const noexcept {
    visit_ranks([&](int32_t r) { return f(price_of(r), qty_[r]); });
  }

 private:
  static constexpr int64_t kFastWalkLimit = int64_t{1} << 49;
  static constexpr uint64_t kCostDivisor =
      uint64_t{Price::kTicksPerDollar} * Qty::kUnitsPerContract / Money::kMicrosPerDollar;

  static constexpr bool valid_tick(Price tick) noexcept {
    return tick.ticks > 0 && Price::kTicksPerDollar % tick.ticks == 0;
  }

  // Rank r is price r * tick for an ask ladder and $1 - r * tick for a bid ladder.
  static constexpr Price price_at(int32_t r, int32_t tick) noexcept {
    return Price{kBestIsHighest ? Price::kTicksPerDollar - r * tick : r * tick};
  }
  Price price_of(int32_t r) const noexcept { return price_at(r, tick_); }

  void set_sentinel() noexcept { bits_[n_levels_ >> 6] |= uint64_t{1} << (n_levels_ & 63); }

  void adopt(Price tick, uint32_t n, uint32_t words, std::unique_ptr<Qty[]> qty,
             std::unique_ptr<uint64_t[]> bits) noexcept {
    qty_ = std::move(qty);
    bits_ = std::move(bits);
    tick_ = tick.ticks;
    n_levels_ = n;
    words_ = words;
    span_ = static_cast<uint32_t>(Price::kTicksPerDollar) + 1;
    // floor(2^32 / tick) + 1: for t <= 10^4 and tick <= 10^4, (t * inv) >> 32 == t / tick
    // exactly (the error t * (inv * tick - 2^32) / 2^32 stays below 1 / tick). A multiply
    // instead of a 20-40 cycle divide on every update.
    inv_tick_ = (uint64_t{1} << 32) / static_cast<uint64_t>(tick.ticks) + 1;
    set_sentinel();
    best_ = static_cast<int32_t>(n);
  }

  [[gnu::always_inline]] BookError rank_of(Price price, uint32_t& rank) const noexcept {
    const uint32_t t = static_cast<uint32_t>(price.ticks);  // negative prices wrap to huge
    if (t >= span_) [[unlikely]] {
      return tick_ == 0 ? BookError::no_tick : BookError::out_of_range;
    }
    const uint32_t i = static_cast<uint32_t>((uint64_t{t} * inv_tick_) >> 32);
    if (static_cast<int32_t>(i) * tick_ != price.ticks) [[unlikely]] {
      return BookError::off_grid;
    }
    rank = kBestIsHighest ? n_levels_ - 1 - i : i;
    return BookError::ok;
  }

  // Two branches, both rare in a feed: a level better than the best, and removing the best.
  // Written without them (selects on best_) the update measured slower in bench_book: best_
  // becomes a load-compute-store chain from one update to the next, where a predicted branch
  // lets the next update start at once.
  [[gnu::always_inline]] void set_rank(uint32_t rank, Qty qty) noexcept {
    const int32_t r = static_cast<int32_t>(rank);
    const bool has = qty.units != 0;
    qty_[rank] = qty;
    uint64_t& word_ref = bits_[rank >> 6];
    const uint64_t bit = uint64_t{1} << (rank & 63);
    const uint64_t word = (word_ref & ~bit) | (bit & (uint64_t{0} - uint64_t{has}));
    word_ref = word;
    if (has & (r < best_)) best_ = r;
    if (!has & (r == best_)) [[unlikely]] {
      // The next level is usually in the same word (r's bit is already clear there).
      const uint64_t later = word & (~uint64_t{0} << (rank & 63));
      best_ = later != 0 ? static_cast<int32_t>(rank & ~63U) + std::countr_zero(later)
                         : next_best_after_word(rank >> 6);
    }
  }

  // The lowest occupied rank in the words after `word`; the sentinel bit guarantees one. Out of
  // line so that set() and add() stay small enough to inline into a feed handler.
  [[gnu::noinline]] int32_t next_best_after_word(uint32_t word) const noexcept {
    uint32_t w = word + 1;
    while (bits_[w] == 0)
      ++w;
    return static_cast<int32_t>(w * 64) + std::countr_zero(bits_[w]);
  }

  // Calls f(rank) -> bool for every occupied rank, lowest (best) first, until f returns false.
  template <typename F>
  [[gnu::always_inline]] void visit_ranks(F&& f) const noexcept {
    const int32_t end = static_cast<int32_t>(n_levels_);
    if (best_ >= end) return;  // empty, or no storage yet
    const uint64_t* bits = bits_.get();
    int32_t w = best_ >> 6;
    uint64_t m = bits[w];  // best_ is the lowest occupied rank: nothing below it in this word
    for (;;) {
      while (m != 0) {
        const int32_t r = w * 64 + std::countr_zero(m);
        m &= m - 1;
        if (r >= end || !f(r)) return;  // r == end: the sentinel, past the last level
      }
      m = bits[++w];
    }
  }

  template <typename PriceMap>
  WalkResult walk_wide(Qty wanted, PriceMap map) const noexcept {
    WalkResult w;
    int64_t left = wanted.units;
    visit_ranks([&](int32_t r) {
      const Qty take{std::min(left, qty_[r].units)};
      const Price p = map(price_of(r));
      w.cost = w.cost + level_cost(p, take);
      w.filled = w.filled + take;
      w.worst_price = p;
      left -= take.units;
      return left > 0;
    });
    return w;
  }

  // Hot fields first: one cache line holds everything an update or best() reads besides the
  // level and bitmap words themselves.
  std::unique_ptr<Qty[]> qty_;
  std::unique_ptr<uint64_t[]> bits_;
  uint64_t inv_tick_ = 0;
  int32_t best_ = 0;   // lowest occupied rank; n_levels_ (the sentinel) when empty
  int32_t tick_ = 0;   // ticks per level; 0 before the first reset()
  uint32_t span_ = 0;  // valid prices are [0, span_): 10001 once reset, 0 before
  uint32_t n_levels_ = 0;
  uint32_t words_ = 0;
};

using BidLadder = PriceLadder<BookSide::bid>;
using AskLadder = PriceLadder<BookSide::ask>;

static_assert(sizeof(BidLadder) <= 64, "a ladder's bookkeeping fits one cache line");

}  // namespace pmx
