// KalshiBook: a Kalshi market's order book as Kalshi sends it, YES bids and NO bids.
//
// Kalshi publishes bids only, for each outcome. Both are kept natively as bid ladders in their
// own outcome's terms; the YES ask is derived and never stored:
//
//   best YES ask = $1 - best NO bid, with that NO bid's size
//
// so a NO bid at 0.60 for 100 is a YES ask at 0.40 for 100. The NO-bid ladder is BookCore's ask
// ladder as it is; every query (inherited from BookCore) takes and returns YES prices
// (BookSide::ask walks the NO bids from best, mapping p to $1 - p), with the same names and
// meanings as PolymarketBook's, so strategy code can be a template over the book.
//
// Tick: one ladder tick for the whole market, the finest band of its price_level_structure
// (linear_cent 100, tapered_deci_cent and deci_cent 10, center_deci_edge_centi_cent 1). The
// book only checks that a price is on that grid; band rules belong to order entry.
//
// Deltas (orderbook_delta) change a level by a signed amount. A delta that would take a level
// below zero is refused with negative_result and the level left unchanged (counted in
// stats().refused): it means a message was missed, and the feed handler must mark the book
// stale and take a new snapshot; clamping to zero would only hide the gap.
//
// Crossed (best YES bid + best NO bid > $1) and locked (= $1) states are counted after every
// accepted update; see BookStats.
#pragma once

#include <stdexcept>
#include <string>

#include "pmx/book/book_core.h"
#include "pmx/book/book_types.h"
#include "pmx/book/price_ladder.h"
#include "pmx/core/types.h"

namespace pmx {

class KalshiBook : public detail::BookCore {
 public:
  // No storage: every update returns no_tick until reset().
  KalshiBook() = default;

  // Start-up: allocates both ladders; throws std::invalid_argument for an invalid tick.
  explicit KalshiBook(Price tick) {
    if (reset(tick) != BookError::ok) {
      throw std::invalid_argument("KalshiBook: tick of " + std::to_string(tick.ticks) +
                                  " ticks is not positive or does not divide $1 (10000 ticks)");
    }
  }

  // Empties the book and sets its tick; allocates only if the tick changed. Keeps stats().
  BookError reset(Price tick) { return reset_core(tick); }

  // ---- updates (absolute sizes from a snapshot, or a delta), prices in the outcome's terms ----

  BookError set_yes_bid(Price price, Qty qty) noexcept { return set_bid(Outcome::yes, price, qty); }
  BookError set_no_bid(Price price, Qty qty) noexcept { return set_bid(Outcome::no, price, qty); }
  [[gnu::always_inline]] BookError set_bid(Outcome outcome, Price price, Qty qty) noexcept {
    return after_update(ladder(side_of(outcome)).set(price, qty));
  }

  // new size = old size + delta; see the header comment for a result below zero.
  [[gnu::always_inline]] BookError apply_delta(Outcome outcome, Price price, Qty delta) noexcept {
    return after_update(ladder(side_of(outcome)).add(price, delta));
  }

  // ---- native views (the YES-terms queries are inherited from BookCore) ----

  Level best_no_bid() const noexcept { return ladder(BookSide::ask).best(); }
  const BidLadder& yes_bids() const noexcept { return ladder(BookSide::bid); }
  const BidLadder& no_bids() const noexcept { return ladder(BookSide::ask); }

 private:
  // YES bids are the bid side; NO bids, stored as sent, are the ask side.
  static constexpr BookSide side_of(Outcome outcome) noexcept {
    return outcome == Outcome::yes ? BookSide::bid : BookSide::ask;
  }
};

}  // namespace pmx
