// PriceLadder: one side of an order book as a dense array of sizes indexed by price / tick.
//
// A ladder covers $0 to $1 inclusive: 101 levels for a 1¢ tick, 1'001 for 0.1¢, 10'001 for
// 0.01¢. Its storage is allocated in reset() (start-up, or a venue's tick-size change) and never
// on an update; every update and query is noexcept and allocation-free.
//
//   qty_[i]   size resting at price i * tick (0 = no level)
//   bits_[w]  bit b set  <=>  qty_[64 w + b] != 0      (one uint64 per 64 levels)
//   best_     index of the best non-empty level; when empty, a sentinel that every index beats
//             (-1 for bids, n_levels for asks), so "is this better than best" needs no branch
//             on emptiness
//
// The best level is kept incrementally. A new level is compared with best_ in O(1). Removing
// the best level finds the next one through the bitmap, std::countl_zero / countr_zero one word
// at a time: at most n_levels / 64 words (158 for a 0.01¢ book), and in practice the next
// level sits in the same word. Walking levels best first also goes through the bitmap, so it
// touches only non-empty levels plus at most one word per 64 empty ones.
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

  PriceLadder(PriceLadder&&) noexcept = default;
  PriceLadder& operator=(PriceLadder&&) noexcept = default;

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
    const uint32_t words = (n + 63) / 64;
    auto qty = std::make_unique<Qty[]>(n);  // value-initialised: all zero
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
        qty_[w * 64 + static_cast<uint32_t>(std::countr_zero(m))] = Qty{};
      }
      bits_[w] = 0;
    }
    count_ = 0;
    best_ = empty_best();
  }

  // Sets the size at `price` (absolute); a zero size removes the level.
  [[gnu::always_inline]] BookError set(Price price, Qty qty) noexcept {
    uint32_t i = 0;
    if (const BookError e = index_of(price, i); e != BookError::ok) [[unlikely]] {
      return e;
    }
    if (qty.units < 0) [[unlikely]] {
      return BookError::negative_qty;
    }
    set_index(i, qty);
    return BookError::ok;
  }

  // Adds `delta` (signed) to the size at `price`. A result below zero is refused
  // (negative_result) and the level left as it was: it means a message was missed, and the
  // caller must resynchronise from a snapshot rather than trust a guessed size.
  [[gnu::always_inline]] BookError add(Price price, Qty delta) noexcept {
    uint32_t i = 0;
    if (const BookError e = index_of(price, i); e != BookError::ok) [[unlikely]] {
      return e;
    }
    int64_t sum = 0;
    if (__builtin_add_overflow(qty_[i].units, delta.units, &sum)) [[unlikely]] {
      return BookError::qty_overflow;
    }
    if (sum < 0) [[unlikely]] {
      return BookError::negative_result;
    }
    set_index(i, Qty{sum});
    return BookError::ok;
  }

  // ---- queries ----

  // The best level, or an invalid Level (qty 0) when the ladder is empty.
  Level best() const noexcept {
    if (count_ == 0) return Level{};
    return Level{price_of(best_), qty_[best_]};
  }

  // Size at `price`; 0 if there is no level there or the price is off the grid or out of range.
  Qty at(Price price) const noexcept {
    uint32_t i = 0;
    return index_of(price, i) == BookError::ok ? qty_[i] : Qty{};
  }

  int32_t level_count() const noexcept { return count_; }
  bool empty() const noexcept { return count_ == 0; }
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
  WalkResult walk(Qty wanted, PriceMap map = {}) const noexcept {
    WalkResult r;
    int64_t left = wanted.units;
    if (left <= 0) return r;
    visit([&](Price p, Qty q) {
      const Qty take{std::min(left, q.units)};
      const Price mapped = map(p);
      r.cost = r.cost + level_cost(mapped, take);
      r.filled = r.filled + take;
      r.worst_price = mapped;
      left -= take.units;
      return left > 0;
    });
    return r;
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
    int32_t left = count_;
    if (left == 0) return;
    int32_t w = best_ >> 6;
    if constexpr (kBestIsHighest) {
      uint64_t m = bits_[w] & ((uint64_t{2} << (best_ & 63)) - 1);  // bits <= best_ (2<<63 wraps to 0)
      for (;;) {
        while (m != 0) {
          const int b = 63 - std::countl_zero(m);
          m ^= uint64_t{1} << b;
          const int32_t i = w * 64 + b;
          if (!f(price_of(i), qty_[i]) || --left == 0) return;
        }
        m = bits_[--w];  // left > 0 guarantees a lower word holds a level
      }
    } else {
      uint64_t m = bits_[w] & (~uint64_t{0} << (best_ & 63));  // bits >= best_
      for (;;) {
        while (m != 0) {
          const int32_t i = w * 64 + std::countr_zero(m);
          m &= m - 1;
          if (!f(price_of(i), qty_[i]) || --left == 0) return;
        }
        m = bits_[++w];
      }
    }
  }

 private:
  static constexpr bool valid_tick(Price tick) noexcept {
    return tick.ticks > 0 && Price::kTicksPerDollar % tick.ticks == 0;
  }

  int32_t empty_best() const noexcept { return kBestIsHighest ? -1 : static_cast<int32_t>(n_levels_); }
  Price price_of(int32_t i) const noexcept { return Price{i * tick_}; }

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
    count_ = 0;
    best_ = empty_best();
  }

  [[gnu::always_inline]] BookError index_of(Price price, uint32_t& index) const noexcept {
    const uint32_t t = static_cast<uint32_t>(price.ticks);  // negative prices wrap to huge
    if (t >= span_) [[unlikely]] {
      return tick_ == 0 ? BookError::no_tick : BookError::out_of_range;
    }
    const uint32_t i = static_cast<uint32_t>((uint64_t{t} * inv_tick_) >> 32);
    if (static_cast<int32_t>(i) * tick_ != price.ticks) [[unlikely]] {
      return BookError::off_grid;
    }
    index = i;
    return BookError::ok;
  }

  // Branch-free except for removing the best level: a feed's mix of size changes, new levels
  // and removals is unpredictable, and a mispredicted branch costs more than the whole update.
  [[gnu::always_inline]] void set_index(uint32_t index, Qty qty) noexcept {
    const int32_t i = static_cast<int32_t>(index);
    const bool had = qty_[index].units != 0;
    const bool has = qty.units != 0;
    qty_[index] = qty;
    uint64_t& word = bits_[index >> 6];
    const uint64_t bit = uint64_t{1} << (index & 63);
    word = (word & ~bit) | (bit & (uint64_t{0} - uint64_t{has}));
    count_ += int32_t{has} - int32_t{had};
    const bool better = kBestIsHighest ? i > best_ : i < best_;
    if (has && better) best_ = i;  // rare and well predicted: a branch beats a store every time
    // The best level always has a size, so i == best_ with no new size is a removal of it.
    if (!has && i == best_) [[unlikely]] {
      best_ = next_best(i);
    }
  }

  // The best level after removing the best at index i (whose bit is already clear). Out of
  // line so that set() and add() stay small enough to inline into a feed handler.
  [[gnu::noinline]] int32_t next_best(int32_t i) const noexcept {
    if (count_ == 0) return empty_best();
    int32_t w = i >> 6;
    if constexpr (kBestIsHighest) {
      uint64_t m = bits_[w] & ((uint64_t{1} << (i & 63)) - 1);  // bits below i
      while (m == 0)
        m = bits_[--w];  // count_ > 0: one exists below
      return w * 64 + 63 - std::countl_zero(m);
    } else {
      uint64_t m = bits_[w] & (~uint64_t{0} << (i & 63));  // bits at or above i
      while (m == 0)
        m = bits_[++w];  // count_ > 0: one exists above
      return w * 64 + std::countr_zero(m);
    }
  }

  // Hot fields first: one cache line holds everything an update or best() reads besides the
  // level and bitmap words themselves.
  std::unique_ptr<Qty[]> qty_;
  std::unique_ptr<uint64_t[]> bits_;
  uint64_t inv_tick_ = 0;
  int32_t best_ = kBestIsHighest ? -1 : 0;
  int32_t count_ = 0;
  int32_t tick_ = 0;   // ticks per level; 0 before the first reset()
  uint32_t span_ = 0;  // valid prices are [0, span_): 10001 once reset, 0 before
  uint32_t n_levels_ = 0;
  uint32_t words_ = 0;
};

using BidLadder = PriceLadder<BookSide::bid>;
using AskLadder = PriceLadder<BookSide::ask>;

static_assert(sizeof(BidLadder) <= 64, "a ladder's bookkeeping fits one cache line");

}  // namespace pmx
