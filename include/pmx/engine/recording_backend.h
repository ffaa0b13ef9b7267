// RecordingBackend<Backend>: sits between OrderGateway and the venue backend so that no order the
// gateway makes itself (an arbitrage unwind, kGatewayIntentBit) leaves without being recorded.
//
//   GatewayStage ──intent (recorded, kIntentRecorded)──► OrderGateway ──child──► RecordingBackend ──► venue
//                                                        │ unwind (no flag)       │ first child of a
//                                                        └────────child──────────►┘ gateway-made order:
//                                                                                   recorder(child) first
//
// GatewayStage records every intent it hands to the gateway and marks it kIntentRecorded; the
// gateway copies an order's flags into its child orders but builds an unwind with fresh flags, so
// a child without the mark belongs to a gateway-made order. Before the first child of such an
// order goes to the venue the recorder runs (GatewayStage: client order id, OrderSubmittedRecord
// on the ops queue); if it cannot record, that child and every later one of the same order are
// answered rejected here and never leave.
//
// Relies on the gateway's child id layout (order_gateway.h child_id): bits 24..55 the parent's
// slot, bits 0..23 the child's sequence within its order, 1 for the first child. The engine tests
// run it behind the real OrderGateway.
//
// Single-threaded (the gateway thread), noexcept, allocation-free after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pmx/core/order.h"
#include "pmx/core/risk_rejection.h"
#include "pmx/feed/market_event.h"
#include "pmx/gateway/order_gateway.h"

namespace pmx {

// Set by GatewayStage on every intent it recorded before handing it to the gateway.
inline constexpr uint8_t kIntentRecorded = 0x80;
static_assert((kIntentRecorded &
               (kIntentUrgent | kIntentArbitrageLeg | kIntentReduceOnly | kIntentCancelAll)) == 0,
              "kIntentRecorded must not collide with the core intent flags");

struct RecordingBackendCounters {
  uint64_t gateway_orders = 0;  // gateway-made orders recorded before their first child left
  uint64_t refused = 0;         // children answered rejected: their order could not be recorded
};

template <typename Backend>
class RecordingBackend {
 public:
  // Runs before the first child of a gateway-made order leaves; false: the order must not leave.
  using Recorder = bool (*)(void* context, const OrderIntent& first_child, WallNanos now) noexcept;

  // `max_parents`: the gateway's OrderGatewayOptions::max_parents. Start-up (allocates).
  explicit RecordingBackend(Backend& venue, uint32_t max_parents = 1024)
      : venue_(venue), slots_(max_parents, SlotState::unknown), refused_(size_t{max_parents} * 4 + 16) {}
  RecordingBackend(const RecordingBackend&) = delete;
  RecordingBackend& operator=(const RecordingBackend&) = delete;

  void set_recorder(Recorder recorder, void* context) noexcept {
    recorder_ = recorder;
    context_ = context;
  }

  bool submit(const OrderIntent& child, WallNanos now) noexcept {
    if (recorder_ == nullptr || (child.flags & kIntentRecorded) != 0) return venue_.submit(child, now);
    const uint64_t slot = (child.intent_id >> 24) & 0xFFFFFFFF;
    const bool first = (child.intent_id & 0xFFFFFF) == 1;
    if (slot >= slots_.size()) return refuse(child, now);
    if (first) {
      const bool recorded = recorder_(context_, child, now);
      slots_[slot] = recorded ? SlotState::recorded : SlotState::refused;
      counters_.gateway_orders += recorded ? 1 : 0;
    }
    if (slots_[slot] != SlotState::recorded) return refuse(child, now);
    return venue_.submit(child, now);
  }

  bool cancel(uint64_t intent_id, WallNanos now) noexcept { return venue_.cancel(intent_id, now); }

  // Refusals first (they happened before anything the venue answers now), then the venue's.
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    for (; refused_count_ > 0; --refused_count_, refused_head_ = (refused_head_ + 1) % refused_.size())
      sink(refused_[refused_head_]);
    venue_.advance(now, sink);
  }

  decltype(auto) books() const noexcept { return venue_.books(); }

  template <typename B = Backend>
  requires requires(B& b, const MarketEvent& e, WallNanos t) { b.on_market_event(e, t); }
  void on_market_event(const MarketEvent& event, WallNanos now) noexcept {
    venue_.on_market_event(event, now);
  }

  Backend& venue() noexcept { return venue_; }
  const RecordingBackendCounters& counters() const noexcept { return counters_; }

 private:
  enum class SlotState : uint8_t { unknown, recorded, refused };

  // The child never leaves: the gateway gets the rejected report a venue refusal would give.
  bool refuse(const OrderIntent& child, WallNanos now) noexcept {
    ++counters_.refused;
    const ExecReport r = risk_rejection(child, now);
    // Sized for every parent's children at once: a full buffer would be a sizing bug; the oldest
    // refusal is kept and this one overwrites nothing (the gateway then waits on its child).
    if (refused_count_ < refused_.size()) refused_[(refused_head_ + refused_count_++) % refused_.size()] = r;
    return false;
  }

  Backend& venue_;
  Recorder recorder_ = nullptr;
  void* context_ = nullptr;
  std::vector<SlotState> slots_;  // by the gateway's parent slot
  std::vector<ExecReport> refused_;
  size_t refused_head_ = 0;
  size_t refused_count_ = 0;
  RecordingBackendCounters counters_;
};

}  // namespace pmx
