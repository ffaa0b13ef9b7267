// PolymarketBook: the bids and asks of one Polymarket outcome token.
//
// Polymarket sends absolute level sizes (`book` snapshots, `price_change` updates), so the
// book is two ladders set directly: bids at their price, asks at $1 - price (BookCore's
// layout, which makes the side an index rather than a branch). The query methods are
// BookCore's, the same as KalshiBook's, so strategy code can be a template over the book type.
//
// Tick: a token's tick (0.01, 0.001 or 0.0001: 100, 10 or 1 ticks of $0.0001) changes live with
// `tick_size_change`. change_tick() re-grids the resting levels onto the new tick (they stay
// valid: the tick gets finer near the edges); reset() empties the book for a fresh snapshot.
// Both allocate; no other method does.
//
// Crossed (best bid > best ask) and locked (equal) states are counted after every accepted
// update; see BookStats.
#pragma once

#include <stdexcept>
#include <string>

#include "pmx/book/book_core.h"
#include "pmx/book/book_types.h"
#include "pmx/book/price_ladder.h"
#include "pmx/core/types.h"

namespace pmx {

class PolymarketBook : public detail::BookCore {
 public:
  // No storage: every update returns no_tick until reset().
  PolymarketBook() = default;

  // Start-up: allocates both ladders; throws std::invalid_argument for an invalid tick.
  explicit PolymarketBook(Price tick) {
    if (reset(tick) != BookError::ok) {
      throw std::invalid_argument("PolymarketBook: tick of " + std::to_string(tick.ticks) +
                                  " ticks is not positive or does not divide $1 (10000 ticks)");
    }
  }

  // Empties the book and sets its tick; allocates only if the tick changed. Keeps stats().
  BookError reset(Price tick) { return reset_core(tick); }

  // tick_size_change: keeps every level, on a new tick. Returns off_grid (book unchanged) if a
  // resting level is not on the new grid, bad_tick for an invalid tick. Allocates.
  BookError change_tick(Price tick) {
    // Check both sides before changing either, so a refusal leaves the whole book unchanged.
    // (An ask stored at $1 - p is on a grid exactly when p is: the tick divides $1.)
    if (tick.ticks > 0 && Price::kTicksPerDollar % tick.ticks == 0 && !fits_grid(tick)) {
      return BookError::off_grid;
    }
    if (const BookError e = ladder(BookSide::bid).regrid(tick); e != BookError::ok) return e;
    return ladder(BookSide::ask).regrid(tick);
  }

  // ---- updates (absolute sizes; zero removes the level) ----

  BookError set_bid(Price price, Qty qty) noexcept { return set(BookSide::bid, price, qty); }
  BookError set_ask(Price price, Qty qty) noexcept { return set(BookSide::ask, price, qty); }
  [[gnu::always_inline]] BookError set(BookSide side, Price price, Qty qty) noexcept {
    return after_update(ladder(side).set(stored_price(side, price), qty));
  }

 private:
  bool fits_grid(Price tick) const noexcept {
    bool fits = true;
    const auto check = [&](Price p, Qty) { return fits = p.ticks % tick.ticks == 0; };
    ladder(BookSide::bid).visit(check);
    if (fits) ladder(BookSide::ask).visit(check);
    return fits;
  }
};

}  // namespace pmx
