// Our own orders that may still trade: accepted by pre-trade risk and not yet terminal.
//
// They serve two checks: no self-trade (a new order must not cross one of ours in the same book)
// and pending exposure (what a buy will add once filled, so that a burst of intents cannot
// overshoot a cap before the fills arrive). A fixed-capacity array, compact (a removal moves the
// last order into the hole), searched linearly: a strategy holds tens of live orders, not
// thousands, and a scan of a few cache lines beats a hash on that size. Allocation-free after
// construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

// Where an order rests, in the YES terms of one book: a Kalshi NO buy at q rests as a YES sell at
// $1 - q in the market's book; a Polymarket token's order is mapped onto its complement's book
// when that has the lower id (the CLOB matches a YES buy against a NO buy by minting a pair).
struct BookKey {
  InstrumentId book{};
  Side side = Side::buy;
  Price price{};
};

struct RestingOrder {
  uint64_t intent_id = 0;
  InstrumentId instrument{};
  Outcome outcome = Outcome::yes;
  Side side = Side::buy;
  bool acknowledged = false;  // the venue answered once (counted for the API error rate)
  Price limit_price{};
  Qty remaining{};
  BookKey key{};
  Money pending_exposure{};  // buys: notional(limit_price, remaining); sells: 0
};

class OpenOrders {
 public:
  explicit OpenOrders(size_t capacity) : orders_(capacity) {}

  size_t size() const noexcept { return count_; }
  size_t capacity() const noexcept { return orders_.size(); }
  bool full() const noexcept { return count_ == orders_.size(); }

  // False when the table is full.
  bool add(const RestingOrder& order) noexcept;
  RestingOrder* find(uint64_t intent_id) noexcept;
  void remove(RestingOrder* order) noexcept;

  // True when an order taking `key.side` at `key.price` in `key.book` would trade against one of
  // ours: a buy at or above our sell, a sell at or below our buy.
  bool would_cross(const BookKey& key) const noexcept;

  std::span<const RestingOrder> orders() const noexcept { return {orders_.data(), count_}; }

 private:
  std::vector<RestingOrder> orders_;  // [0, count_) live
  size_t count_ = 0;
};

}  // namespace pmx
