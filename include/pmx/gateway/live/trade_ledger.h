// TradeLedger: the Polymarket session's memory of the (trade, order) pairs the user channel
// reported, so that each fill counts once however many times its trade is reported:
//
//   MATCHED ─► MINED ─► CONFIRMED     the fill counts at the first status seen (normally
//        └──► RETRYING ─► FAILED      MATCHED); later ones change nothing
//                          FAILED     after a counted fill: a settlement failure (the chain
//                                     reversed it; an ExecReport cannot take a fill back, so the
//                                     session reports it apart, for reconciliation)
//
// A record keeps what was filled (intent, instrument, side, price, quantity), so a FAILED that
// arrives after the order ended can still be attributed. A fill that came before its order's id
// was known (the channel beat the POST answer) is recorded without an intent; the session calls
// attribute() when the answer names the order, so that record learns its intent too (a small
// fixed list of such records, the oldest forgotten first, counted). The ledger holds the last `capacity`
// pairs; the oldest is forgotten first (a trade settles within minutes; capacity is sized for
// far more fills than that).
//
// Single-threaded; noexcept and allocation-free after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/gateway/live/live_order_table.h"
#include "pmx/gateway/live/slot_index.h"

namespace pmx::gateway {

inline constexpr size_t kMaxTradeIdChars = 80;

struct TradeRecord {
  FixedText<kMaxTradeIdChars> trade_id;
  FixedText<kMaxVenueOrderIdChars> order_id;
  uint64_t intent_id = 0;
  InstrumentId instrument{};
  Side side = Side::buy;
  Outcome outcome = Outcome::yes;
  Price price{};
  Qty qty{};
  bool counted = false;  // its fill went to the order (or waits for the order's id)
  bool failed = false;   // FAILED seen
};

class TradeLedger {
 public:
  explicit TradeLedger(size_t capacity = 8192);

  TradeRecord* find(std::string_view trade_id, std::string_view order_id) noexcept;
  // A fresh record for the pair (the caller checked find() first); null when an id is too long.
  TradeRecord* add(std::string_view trade_id, std::string_view order_id) noexcept;
  // `r` (from add) waits for its order's intent: attribute() will fill it in.
  void await_intent(const TradeRecord& r) noexcept;
  // Every record waiting for `order_id`'s intent takes `intent`'s id, instrument, side, outcome;
  // each of them whose trade FAILED meanwhile goes to `on_failed(const TradeRecord&)` (its
  // settlement failure could not be attributed before).
  template <typename OnFailed>
  void attribute(std::string_view order_id, const OrderIntent& intent, OnFailed&& on_failed) noexcept {
    for (uint32_t& a : awaiting_) {
      if (a == kNone) continue;
      TradeRecord& r = records_[a];
      if (r.intent_id != 0) {  // reused by a later trade meanwhile
        a = kNone;
        continue;
      }
      if (r.order_id.view() != order_id) continue;
      r.intent_id = intent.intent_id;
      r.instrument = intent.instrument;
      r.side = intent.side;
      r.outcome = intent.outcome;
      a = kNone;
      if (r.counted && r.failed) on_failed(r);
    }
  }

  size_t size() const noexcept { return count_; }
  uint64_t evicted() const noexcept { return evicted_; }
  uint64_t unattributed_dropped() const noexcept { return unattributed_dropped_; }

 private:
  static uint64_t hash(std::string_view trade_id, std::string_view order_id) noexcept;

  std::vector<TradeRecord> records_;
  SlotIndex index_;
  size_t next_ = 0;  // the slot written next (the oldest once full)
  size_t count_ = 0;
  uint64_t evicted_ = 0;
  static constexpr size_t kAwaiting = 64;
  static constexpr uint32_t kNone = UINT32_MAX;
  uint32_t awaiting_[kAwaiting];  // record slots waiting for an intent; kNone: free
  size_t next_awaiting_ = 0;      // the entry overwritten when none is free
  uint64_t unattributed_dropped_ = 0;
};

}  // namespace pmx::gateway
