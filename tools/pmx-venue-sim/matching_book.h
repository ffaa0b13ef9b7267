// The book orders match against on pmx-venue-sim's order side: one server-wide SyntheticMarket
// (the same seed and options as the market-data streams), stepped on the wall clock or by hand,
// with the liquidity our own fills took subtracted until the synthetic level changes size.
//
// Everything is in the YES book of a market (Kalshi ticker or Polymarket condition id): prices in
// $0.0001, sizes in 0.01 contracts/shares, as the synthetic market keeps them. A taker buying YES
// (bid) walks the YES asks from the lowest up to its limit; a taker selling YES (ask) walks the
// YES bids from the highest down. Polymarket NO tokens are the mirror: buying NO at p is selling
// YES at $1 - p. Without a synthetic market (capture replay) every book is empty, so orders only
// rest (or are cancelled, per their time in force).
//
// Limits: the market-data streams are not told about our fills (each WebSocket connection runs
// its own copy of the synthetic market from its start), and our own resting orders never match
// each other.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pmx/core/types.h"

#include "synthetic_market.h"

namespace pmx::sim {

struct BookFill {
  int64_t yes_price = 0;  // $0.0001
  int64_t count = 0;      // 0.01 units
};

struct PolymarketTokenRef {
  size_t market = 0;  // index into universe().markets
  bool yes = true;    // the YES token (else the NO token)
};

class MatchingBook {
 public:
  // nullopt: no synthetic market; every book is empty and the universe is `capture_universe`.
  MatchingBook(std::optional<SyntheticOptions> synthetic, Universe capture_universe);

  const Universe& universe() const noexcept;
  std::optional<size_t> kalshi_market(std::string_view ticker) const;
  std::optional<PolymarketTokenRef> polymarket_token(std::string_view token_id) const;

  // Takes up to `max_count` from the side a taker on `taker_side` meets (bid: the YES asks at or
  // below `limit`; ask: the YES bids at or above it), best price first; the fills are at the book
  // levels' prices.
  std::vector<BookFill> take(size_t market, BookSide taker_side, int64_t limit, int64_t max_count);
  // What take() would fill, without taking it.
  int64_t available(size_t market, BookSide taker_side, int64_t limit) const;
  // Best YES bid / ask still available (0 when the side is empty).
  int64_t best_bid(size_t market) const;
  int64_t best_ask(size_t market) const;

  // Steps the synthetic market until it has taken `steps` steps (the first step is the initial
  // book); returns how many steps were taken now.
  uint64_t advance_to(uint64_t steps);
  uint64_t steps() const noexcept;

 private:
  struct Taken {
    int64_t level_size = 0;  // the synthetic size when we took from it
    int64_t taken = 0;
  };
  using Key = std::tuple<size_t, bool, int64_t>;  // market, bid level, price

  int64_t left_at(size_t market, bool bid_level, int64_t price, int64_t size) const;
  const SimLevels* levels(size_t market, bool bid_level) const;

  std::unique_ptr<SyntheticMarket> synthetic_;
  Universe capture_universe_;
  std::map<std::string, size_t, std::less<>> kalshi_index_;
  std::map<std::string, PolymarketTokenRef, std::less<>> token_index_;
  std::map<Key, Taken> taken_;
};

}  // namespace pmx::sim
