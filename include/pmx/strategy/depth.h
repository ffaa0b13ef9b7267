// Depth walking for buyers: what it costs to buy Q contracts of an outcome, and how much can be
// bought up to a limit price, read from the books of pmx/book without changing them.
//
// Buying an outcome takes the other side of the book, in that outcome's own prices:
//
//   Kalshi YES       the NO bids, each a YES ask at $1 - its price   (BookCore's ask side)
//   Kalshi NO        the YES bids, each a NO ask at $1 - its price
//   Polymarket token the token's asks (a token is YES of itself; its NO is the complement token,
//                    another instrument with its own book, so Outcome::no finds nothing here)
//
// Detectors copy the levels they need into scratch arrays sized at construction (buy_levels) and
// do their arithmetic on those copies; buy_walk and buy_size_up_to go to the book directly and are
// the reference the tests check the copies against. Costs are PriceLadder::walk's: the sum over
// levels of notional(level price, size taken there), so a copy walked with walk_levels gives
// exactly book.walk's result.
//
// Fees of a walk are summed level by level (one fill per level): Kalshi rounds each fill's fee up,
// so this is never below what the venue charges for the same fills.
#pragma once

#include <cstddef>
#include <span>

#include "pmx/book/book_set.h"
#include "pmx/book/book_types.h"
#include "pmx/book/kalshi_book.h"
#include "pmx/book/polymarket_book.h"
#include "pmx/core/types.h"
#include "pmx/feed/market_info.h"

namespace pmx {

// ---- from a book ----

// Copies the levels a buyer of `outcome` takes, best (cheapest) first, in the outcome's prices,
// into `out`; returns how many (at most out.size()).
size_t buy_levels(const KalshiBook& book, Outcome outcome, std::span<Level> out) noexcept;
size_t buy_levels(const PolymarketBook& book, Outcome outcome, std::span<Level> out) noexcept;
// Zero levels for an unknown or stale book.
size_t buy_levels(const BookSet& books, InstrumentId id, Outcome outcome, std::span<Level> out) noexcept;

// The cost of buying up to `wanted` of `outcome`, cheapest first; `filled < wanted` when the
// book ran out.
WalkResult buy_walk(const KalshiBook& book, Outcome outcome, Qty wanted) noexcept;
WalkResult buy_walk(const PolymarketBook& book, Outcome outcome, Qty wanted) noexcept;
WalkResult buy_walk(const BookSet& books, InstrumentId id, Outcome outcome, Qty wanted) noexcept;

// Size a buyer of `outcome` can take without paying more than `limit`.
Qty buy_size_up_to(const KalshiBook& book, Outcome outcome, Price limit) noexcept;
Qty buy_size_up_to(const PolymarketBook& book, Outcome outcome, Price limit) noexcept;
Qty buy_size_up_to(const BookSet& books, InstrumentId id, Outcome outcome, Price limit) noexcept;

// The cheapest level a buyer of `outcome` takes (the first of buy_levels), without copying.
// Invalid for a stale book or an empty side.
Level best_buy_level(const BookSet& books, InstrumentId id, Outcome outcome) noexcept;

// The best price a holder of `outcome` can sell at, with its size (Kalshi YES: best YES bid;
// Kalshi NO: best NO bid; Polymarket: the token's best bid). Invalid for a stale book.
Level best_sell_level(const BookSet& books, InstrumentId id, Outcome outcome) noexcept;

// ---- over copied levels (best first) ----

// book.walk over a copy: the same cost, filled size and worst price.
WalkResult walk_levels(std::span<const Level> levels, Qty wanted) noexcept;

// Total size of the levels priced at or below `limit`.
Qty size_through(std::span<const Level> levels, Price limit) noexcept;

// Notional of the levels priced at or below `limit`: the money the book would take at those
// prices (the "liquidity at the price" a strategy requires).
Money notional_through(std::span<const Level> levels, Price limit) noexcept;

// Taker fee of buying `wanted` through `levels`, one fill per level.
Money taker_fee_of_walk(std::span<const Level> levels, Qty wanted, Venue venue,
                        const FeeParams& fees) noexcept;

// Taker fee per contract at `price` in micro-dollars before the venue's per-fill rounding: the
// marginal fee a detector adds when it considers one more contract at that price.
int64_t marginal_fee_micros(Venue venue, Price price, const FeeParams& fees) noexcept;

// cost / qty rounded up to a tick of $0.0001 (0 for qty 0).
Price average_price(Money cost, Qty qty) noexcept;

}  // namespace pmx
