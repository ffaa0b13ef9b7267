// BookCore: what KalshiBook and PolymarketBook share, a binary market's two sides kept as two
// bid ladders of the same type:
//
//   ladder(bid)  bids, at their price                       (Kalshi: YES bids)
//   ladder(ask)  asks, each stored at $1 - its price        (Kalshi: NO bids, as sent)
//
// An ask at p is the same order as a bid at $1 - p on the other outcome, so the ask side is a
// NO-bid ladder whose best (highest) level is the lowest ask. Kalshi sends exactly that; a
// Polymarket ask is complemented on the way in. Both sides being one type makes the side an
// array index rather than a branch: a feed's updates alternate sides unpredictably, and the
// mispredicted branch cost more than the rest of an update (bench_book).
//
// Every query takes and returns prices in the book's own terms (YES for Kalshi), and the books
// inherit them, so strategy code can be a template over the book type. Not polymorphic: no
// virtual functions, never used through a BookCore pointer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "pmx/book/book_types.h"
#include "pmx/book/price_ladder.h"
#include "pmx/core/types.h"

namespace pmx::detail {

class BookCore {
 public:
  // The best bid and best ask, or an invalid Level (qty 0) for an empty side.
  Level best_bid() const noexcept { return ladder(BookSide::bid).best(); }
  Level best_ask() const noexcept { return ladder(BookSide::ask).best(ComplementPrice{}); }

  // (best bid + best ask) / 2, rounded down to a whole tick of $0.0001; nullopt unless both
  // sides have a level.
  std::optional<Price> mid() const noexcept {
    if (!both_sides()) return std::nullopt;
    return Price{(best_bid().price.ticks + best_ask().price.ticks) / 2};
  }

  // best bid > best ask, i.e. best bid + stored best ask > $1; locked when equal.
  bool is_crossed() const noexcept { return both_sides() && touch_sum() > Price::kTicksPerDollar; }
  bool is_locked() const noexcept { return both_sides() && touch_sum() == Price::kTicksPerDollar; }

  // Size a taker can trade against `side_to_take` without going past `limit`: a buyer taking
  // asks at or below `limit`, a seller taking bids at or above it.
  Qty size_up_to(BookSide side_to_take, Price limit) const noexcept {
    return ladder(side_to_take).size_through(stored_price(side_to_take, limit));
  }

  // The cost of buying (side_to_take = ask) or selling (bid) `wanted`, best level first.
  [[gnu::always_inline]] WalkResult walk(BookSide side_to_take, Qty wanted) const noexcept {
    return side_to_take == BookSide::bid ? ladder(BookSide::bid).walk(wanted)
                                         : ladder(BookSide::ask).walk(wanted, ComplementPrice{});
  }

  // Calls f(Level) for at most `max_levels` levels of `side`, best first.
  template <typename F>
  size_t for_each_level(BookSide side, size_t max_levels, F&& f) const noexcept {
    return side == BookSide::bid ? ladder(BookSide::bid).for_each_level(max_levels, f)
                                 : ladder(BookSide::ask).for_each_level(max_levels, f, ComplementPrice{});
  }

  // Calls f(Level) -> bool for the levels of `side`, best first, until f returns false.
  template <typename F>
  void visit_levels(BookSide side, F&& f) const noexcept {
    if (side == BookSide::bid) {
      ladder(BookSide::bid).visit([&](Price p, Qty q) { return f(Level{p, q}); });
    } else {
      ladder(BookSide::ask).visit([&](Price p, Qty q) { return f(Level{ComplementPrice{}(p), q}); });
    }
  }

  // Size at `price` on one side (0 if none, off the grid or out of range).
  Qty qty_at(BookSide side, Price price) const noexcept { return ladder(side).at(stored_price(side, price)); }
  int32_t level_count(BookSide side) const noexcept { return ladder(side).level_count(); }

  // Empties the book (a new snapshot follows); keeps the storage and stats().
  void clear() noexcept {
    ladders_[0].clear();
    ladders_[1].clear();
  }

  Price tick() const noexcept { return ladders_[0].tick(); }
  const BookStats& stats() const noexcept { return stats_; }

 protected:
  BookCore() = default;

  BookError reset_core(Price tick) {
    if (const BookError e = ladders_[0].reset(tick); e != BookError::ok) return e;
    return ladders_[1].reset(tick);
  }

  // The ladder of a side; the ask side holds $1 - price.
  BidLadder& ladder(BookSide side) noexcept { return ladders_[static_cast<size_t>(side)]; }
  const BidLadder& ladder(BookSide side) const noexcept { return ladders_[static_cast<size_t>(side)]; }

  // A price on `side` as its ladder stores it: p for bids, $1 - p for asks. Written as
  // arithmetic because GCC turns the obvious conditional into a branch on the side:
  // with m = 0 or all ones, (p ^ m) + (m & ($1 + 1)) is p or ~p + $1 + 1 = $1 - p (mod 2^32).
  static Price stored_price(BookSide side, Price price) noexcept {
    const uint32_t m = uint32_t{0} - static_cast<uint32_t>(side == BookSide::ask);
    const uint32_t p = static_cast<uint32_t>(price.ticks);
    return Price{static_cast<int32_t>((p ^ m) + (m & (static_cast<uint32_t>(Price::kTicksPerDollar) + 1)))};
  }

  // Counts a refused update, or the crossed/locked state an accepted one leaves.
  [[gnu::always_inline]] BookError after_update(BookError e) noexcept {
    if (e != BookError::ok) [[unlikely]] {
      ++stats_.refused;
      return e;
    }
    // In ranks (a bid's ticks below $1, an ask's ticks above $0), bid > ask exactly when the two
    // best ranks sum to less than the ladder's last rank, and bid == ask when they sum to it. An
    // empty side's rank is capacity(), past the last, so it never counts and needs no test; the
    // branch is taken only by a crossed or locked book, which is rare. Both ladders always share
    // one tick (reset_core() and PolymarketBook::change_tick() change them together).
    const int32_t sum = ladders_[0].best_rank() + ladders_[1].best_rank();
    const int32_t last = static_cast<int32_t>(ladders_[0].capacity()) - 1;
    if (sum <= last) [[unlikely]] {
      stats_.crossed += sum < last;
      stats_.locked += sum == last;
    }
    return BookError::ok;
  }

 private:
  bool both_sides() const noexcept { return !ladders_[0].empty() && !ladders_[1].empty(); }
  int32_t touch_sum() const noexcept {
    return ladders_[0].best().price.ticks + ladders_[1].best().price.ticks;
  }

  BidLadder ladders_[2];  // indexed by BookSide
  BookStats stats_;
};

}  // namespace pmx::detail
