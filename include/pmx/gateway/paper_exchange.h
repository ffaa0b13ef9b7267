// PaperExchange: the paper-trading venue. The gateway thread sends it the OrderIntents it would
// send a real venue and gets ExecReports back, with fills simulated against a mirror of the live
// (or replayed) books. Deterministic: the same seed, market events and clock readings give the
// same reports, so backtests are byte-reproducible.
//
// What it models (PaperConfig: seed, latency_min_ms..latency_max_ms, max_slippage_pct):
//   * latency: an order (and a cancel) reaches the book after a seeded uniform delay;
//   * marketable orders walk the depth at arrival, one fill per level taken (partial fills),
//     never past the limit; each fill's price moves against us by a seeded slippage of up to
//     max_slippage_pct of that price (the spec's "mid ± up to 0.5%"), still capped by the limit;
//   * IOC remainders are cancelled; FOK orders fill completely or not at all;
//   * GTC remainders rest with a queue position: the size already resting at that price is
//     ahead of us; trades at our price eat the queue, then us (maker fills); a book that moves
//     through our price fills us at our price;
//   * fees from each market's FeeParams (pmx/model/fees.h), taker or maker.
// Simplifications (stated, not hidden): our own fills do not remove liquidity from the mirrored
// book, so a second order arriving before the venue's next update could take the same levels;
// there is no self-trade between our own orders.
//
// Every accepted intent ends in exactly one terminal report (fill, cancelled, rejected). Time is
// the caller's (WallNanos now); nothing here reads a clock. Single-threaded (the gateway thread).
// Allocation happens in the constructor only.
//
// Cost: work is O(what is due), not O(slots). Each open order has at most one due time (its
// arrival while in flight, its cancel once resting) in a DueHeap, earliest first and ties by slot,
// as a full scan would order them; trades and book changes visit only the resting orders (a
// SlotList in slot order); a cancel looks among the open orders only.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/core/order.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/due_heap.h"
#include "pmx/gateway/slot_list.h"

namespace pmx {

struct PaperExchangeOptions {
  uint64_t seed = 42;
  int64_t latency_min_ns = 5'000'000;
  int64_t latency_max_ns = 50'000'000;
  double max_slippage_pct = 0.5;
  uint32_t max_open_orders = 4096;  // in flight or resting
};

struct PaperExchangeCounters {
  uint64_t submitted = 0;
  uint64_t rejected_full = 0;     // no free order slot
  uint64_t rejected_no_book = 0;  // unknown instrument or stale book at arrival
  uint64_t fills = 0;
  uint64_t cancels = 0;
  uint64_t reports_dropped = 0;  // report buffer full (a bug: sized for the worst case)
};

class PaperExchange {
 public:
  // Books are created for every market of `universe` (with its tick). Allocates.
  PaperExchange(const MarketUniverse& universe, PaperExchangeOptions options);

  // The mirror: every MarketEvent the strategy sees. Trades advance resting orders' queues;
  // book changes may fill resting orders. `now` stamps those fills.
  void on_market_event(const MarketEvent& event, WallNanos now) noexcept;

  // Takes an intent; it reaches the book after the simulated latency. Returns false (and
  // queues a rejected report) when no order slot is free.
  bool submit(const OrderIntent& intent, WallNanos now) noexcept;

  // Asks to cancel; effective after the simulated latency if the order still rests. Returns
  // false for an unknown or finished intent.
  bool cancel(uint64_t intent_id, WallNanos now) noexcept;

  // Processes everything due at or before `now` and hands every report produced so far to
  // `sink(const ExecReport&)`, in order.
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    process_due(now);
    for (; report_head_ != report_tail_; ++report_head_) {
      sink(reports_[report_head_ % reports_.size()]);
    }
  }

  // The earliest simulated time at which advance() has work: an in-flight order's arrival, a
  // resting order's cancel, or a report not handed out yet (due at once: at its own time).
  // Empty when nothing is pending. A simulated clock that advances to exactly this time gets each
  // report stamped as the latency model says, not at the caller's next step.
  std::optional<WallNanos> next_due() const noexcept;

  size_t open_orders() const noexcept { return open_count_; }
  const BookSet& books() const noexcept { return books_; }
  const PaperExchangeCounters& counters() const noexcept { return counters_; }

 private:
  enum class Stage : uint8_t { free, in_flight, resting };
  struct Order {
    OrderIntent intent;
    Stage stage = Stage::free;
    WallNanos arrival{};
    WallNanos cancel_at{};  // 0: no cancel requested
    Qty filled{};
    Qty queue_ahead{};
  };

  void process_due(WallNanos now) noexcept;
  void arrive(Order& order, WallNanos now) noexcept;
  void fill(Order& order, Price price, Qty qty, Liquidity liquidity, WallNanos now) noexcept;
  void finish(Order& order, ExecType type, RejectReason reason, WallNanos now) noexcept;
  void release(Order& order) noexcept;
  void schedule(const Order& order) noexcept;
  uint32_t slot_of(const Order& order) const noexcept {
    return static_cast<uint32_t>(&order - orders_.data());
  }
  void report(const Order& order, ExecType type, RejectReason reason, Price price, Qty qty, Money fee,
              Liquidity liquidity, WallNanos now) noexcept;
  void on_trade(const MarketEvent& event, WallNanos now) noexcept;
  void on_book_change(InstrumentId instrument, WallNanos now) noexcept;
  Price slipped(Price price, Side side, Price limit) noexcept;
  int64_t latency() noexcept;
  uint64_t next_random() noexcept;

  const MarketUniverse& universe_;
  PaperExchangeOptions options_;
  BookSet books_;
  std::vector<Order> orders_;
  std::vector<uint32_t> free_slots_;
  SlotList open_;     // in flight or resting
  SlotList resting_;  // resting: what trades and book changes can fill
  DueHeap due_;       // arrivals of in-flight orders, cancels of resting ones
  std::vector<ExecReport> reports_;
  uint64_t report_head_ = 0;
  uint64_t report_tail_ = 0;
  size_t open_count_ = 0;
  uint64_t rng_state_;
  PaperExchangeCounters counters_;
};

}  // namespace pmx
