// Internal to the feed handlers (KalshiFeed, PolymarketFeed): a feed's end of its SPSC ring of
// MarketEvents, with the rule both follow when the ring is full.
//
// An event that finds the ring full is lost, so its instrument's book is no longer the venue's.
// The instrument is marked overflowed: its later events are dropped (dropped_overflow) rather
// than applied to a book that missed one, and as soon as the ring has room again, before any
// other event, a stale marker (StaleReason::sequence_gap) is pushed for it. The feed is then told
// (Feed::on_overflow_marker) so that it has the book rebuilt: Kalshi asks for a snapshot,
// Polymarket resynchronises the instrument's connection.
//
// `Feed` is the feed handler's implementation, which provides
//   counters                         with events, ring_full, dropped_overflow, stale_emitted
//   MonoNanos now() const noexcept   the receive time given to the stale markers
//   void on_overflow_marker(InstrumentId) noexcept
// No allocation after track(); every other call is noexcept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/feed/market_event.h"
#include "pmx/ring/spsc_ring.h"

namespace pmx::feed_detail {

template <class Feed>
class FeedRingWriter {
 public:
  FeedRingWriter(Feed& feed, SpscRing<MarketEvent>& ring, Venue venue) noexcept
      : feed_(feed), ring_(ring), venue_(venue) {}

  // Start-up: room for the overflow marks of instruments with ids below `instrument_slots`.
  void track(size_t instrument_slots) { overflowed_.assign(instrument_slots, 0); }

  // Pushes `event`, after any stale markers still owed.
  void push(const MarketEvent& event) noexcept {
    if (pending_ != 0) flush();
    const uint32_t i = event.instrument.value;
    const bool tracked = event.instrument.valid() && i < overflowed_.size();
    if (tracked && overflowed_[i]) {
      ++feed_.counters.dropped_overflow;
      return;
    }
    if (MarketEvent* slot = ring_.try_claim()) {
      *slot = event;
      ring_.publish();
      ++feed_.counters.events;
      return;
    }
    ++feed_.counters.ring_full;
    if (tracked) {
      overflowed_[i] = 1;
      ++pending_;
    }
  }

  // Pushes a stale marker the feed decided on itself (a disconnect, a resync); counted in
  // stale_emitted if the ring took it (if not, the overflow rule above owes one anyway).
  void push_stale(InstrumentId id, StaleReason reason) noexcept {
    const uint64_t before = feed_.counters.events;
    push(stale_event(id, reason));
    feed_.counters.stale_emitted += feed_.counters.events - before;
  }

  // Pushes the stale marker of every overflowed instrument the ring now has room for.
  void flush() noexcept {
    for (uint32_t i = 0; pending_ != 0 && i < overflowed_.size(); ++i) {
      if (!overflowed_[i]) continue;
      MarketEvent* slot = ring_.try_claim();
      if (slot == nullptr) return;
      *slot = stale_event(InstrumentId{i}, StaleReason::sequence_gap);
      ring_.publish();
      ++feed_.counters.events;
      ++feed_.counters.stale_emitted;
      overflowed_[i] = 0;
      --pending_;
      feed_.on_overflow_marker(InstrumentId{i});
    }
  }

  MarketEvent stale_event(InstrumentId id, StaleReason reason) const noexcept {
    MarketEvent e;
    e.type = EventType::stale;
    e.venue = venue_;
    e.instrument = id;
    e.stale_reason = reason;
    e.recv_ts = feed_.now();
    return e;
  }

 private:
  Feed& feed_;
  SpscRing<MarketEvent>& ring_;
  Venue venue_;
  std::vector<uint8_t> overflowed_;  // by InstrumentId: lost an event to a full ring, marker owed
  uint32_t pending_ = 0;             // markers owed
};

}  // namespace pmx::feed_detail
