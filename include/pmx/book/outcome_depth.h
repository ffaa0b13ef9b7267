// Depth in the terms of the outcome a trader buys or sells, over either venue's book.
//
// Books hold prices in YES terms (pmx/book/book_core.h). A trade is on an outcome:
//
//   buy  YES  takes the asks                         (Kalshi: NO bids at $1 - p)
//   buy  NO   takes the YES bids, at $1 - p          (Kalshi only: a NO ask is a YES bid)
//   sell YES  hits the bids
//   sell NO   hits the YES asks, at $1 - p
//
// A Polymarket instrument is one outcome token, always YES of itself. Everything here is
// header-only, noexcept and allocation-free: the strategies and the paper exchange call it on
// every decision.
#pragma once

#include "pmx/book/book_types.h"
#include "pmx/book/price_ladder.h"
#include "pmx/core/types.h"

namespace pmx {

// The book side a taker doing `side` on `outcome` trades against, in YES terms.
constexpr BookSide taken_side(Outcome outcome, Side side) noexcept {
  const bool takes_asks = (side == Side::buy) == (outcome == Outcome::yes);
  return takes_asks ? BookSide::ask : BookSide::bid;
}

// The book side an order doing `side` on `outcome` rests on, in YES terms.
constexpr BookSide resting_side(Outcome outcome, Side side) noexcept {
  return taken_side(outcome, side) == BookSide::ask ? BookSide::bid : BookSide::ask;
}

// A YES-terms price in `outcome`'s terms and back (the same map: $1 - p is its own inverse).
constexpr Price outcome_price(Outcome outcome, Price yes_price) noexcept {
  return outcome == Outcome::yes ? yes_price : Price{Price::kTicksPerDollar - yes_price.ticks};
}

// Calls f(Level) -> bool with the levels a taker doing `side` on `outcome` can trade against,
// best first (cheapest for a buyer, richest for a seller), prices in `outcome`'s terms.
template <typename Book, typename F>
void visit_takeable(const Book& book, Outcome outcome, Side side, F&& f) noexcept {
  book.visit_levels(taken_side(outcome, side), [&](Level l) {
    return f(Level{outcome_price(outcome, l.price), l.qty});
  });
}

// The best price a taker doing `side` on `outcome` gets; an invalid Level if there is none.
template <typename Book>
Level best_takeable(const Book& book, Outcome outcome, Side side) noexcept {
  Level best{};
  visit_takeable(book, outcome, side, [&](Level l) {
    best = l;
    return false;
  });
  return best;
}

// Takes up to `wanted` at prices no worse than `limit` (a buyer: <= limit; a seller: >= limit),
// best level first. `cost` is the exact notional of what was taken (level_cost: notional()
// without its 128-bit divide whenever the product fits 64 bits).
template <typename Book>
WalkResult take(const Book& book, Outcome outcome, Side side, Qty wanted, Price limit) noexcept {
  WalkResult r;
  int64_t left = wanted.units;
  if (left <= 0) return r;
  visit_takeable(book, outcome, side, [&](Level l) {
    if (side == Side::buy ? l.price > limit : l.price < limit) return false;
    const Qty q{l.qty.units < left ? l.qty.units : left};
    r.cost = r.cost + level_cost(l.price, q);
    r.filled = r.filled + q;
    r.worst_price = l.price;
    left -= q.units;
    return left > 0;
  });
  return r;
}

// Size available to a taker doing `side` on `outcome` at prices no worse than `limit`.
template <typename Book>
Qty takeable_through(const Book& book, Outcome outcome, Side side, Price limit) noexcept {
  int64_t total = 0;
  visit_takeable(book, outcome, side, [&](Level l) {
    if (side == Side::buy ? l.price > limit : l.price < limit) return false;
    total += l.qty.units;
    return true;
  });
  return Qty{total};
}

// Size already resting where an order doing `side` on `outcome` at `price` would rest: the
// queue ahead of a new passive order at that price.
template <typename Book>
Qty resting_at(const Book& book, Outcome outcome, Side side, Price price) noexcept {
  return book.qty_at(resting_side(outcome, side), outcome_price(outcome, price));
}

}  // namespace pmx
