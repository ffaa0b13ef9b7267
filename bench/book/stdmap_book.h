// StdMapBook: the obvious order book, the peer bench_book measures pmx's books against.
// Bids in a std::map ordered by descending price, asks ascending; a zero size erases the level.
#pragma once

#include <algorithm>
#include <functional>
#include <map>

#include "pmx/book/book_types.h"
#include "pmx/core/types.h"

namespace pmx::bench {

class StdMapBook {
 public:
  void set(BookSide side, Price price, Qty qty) {
    if (side == BookSide::bid) {
      set_in(bids_, price, qty);
    } else {
      set_in(asks_, price, qty);
    }
  }

  Level best_bid() const noexcept {
    return bids_.empty() ? Level{} : Level{bids_.begin()->first, bids_.begin()->second};
  }
  Level best_ask() const noexcept {
    return asks_.empty() ? Level{} : Level{asks_.begin()->first, asks_.begin()->second};
  }

  WalkResult walk(BookSide side_to_take, Qty wanted) const noexcept {
    return side_to_take == BookSide::bid ? walk_in(bids_, wanted) : walk_in(asks_, wanted);
  }

  template <typename F>
  void for_each_level(BookSide side, F&& f) const {
    if (side == BookSide::bid) {
      for (const auto& [p, q] : bids_)
        f(Level{p, q});
    } else {
      for (const auto& [p, q] : asks_)
        f(Level{p, q});
    }
  }

 private:
  template <typename Map>
  static void set_in(Map& side, Price price, Qty qty) {
    if (qty.is_zero()) {
      side.erase(price);
    } else {
      side.insert_or_assign(price, qty);
    }
  }

  template <typename Map>
  static WalkResult walk_in(const Map& side, Qty wanted) noexcept {
    WalkResult r;
    int64_t left = wanted.units;
    for (auto it = side.begin(); left > 0 && it != side.end(); ++it) {
      const Qty take{std::min(left, it->second.units)};
      r.cost = r.cost + level_cost(it->first, take);  // the same exact cost function pmx uses
      r.filled = r.filled + take;
      r.worst_price = it->first;
      left -= take.units;
    }
    return r;
  }

  std::map<Price, Qty, std::greater<>> bids_;
  std::map<Price, Qty> asks_;
};

}  // namespace pmx::bench
