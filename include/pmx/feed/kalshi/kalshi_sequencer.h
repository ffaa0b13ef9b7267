// Kalshi order-book sequence tracking: one `seq` counter per subscription (`sid`), shared by the
// snapshots and deltas of every market on that subscription (REFERENCES.md §1.10).
//
// Rules (the parser applies them to orderbook_snapshot / orderbook_delta, and feeds `ok` /
// `unsubscribed` control frames that carry a sid and seq through check() so they do not look
// like gaps):
//   * seq <= last seen on the sid: a duplicate or a replay; the message is dropped and counted.
//   * seq >  last + 1: a gap. Every instrument whose book lives on that sid becomes stale (the
//     parser emits one `stale` event per instrument that was not stale already) and its deltas are
//     dropped until its next snapshot. The message itself is then processed normally: a snapshot
//     repairs its own instrument at once.
//   * a snapshot makes its instrument live again and binds it to the snapshot's sid.
//   * an instrument starts stale: deltas before its first snapshot are dropped.
//
// Open question (REFERENCES.md §6.1): whether a `get_snapshot` reply restarts the sid's seq is
// unconfirmed. If it does, the WebSocket client calls reset_sid() when it sends the request, so
// the restarted numbering is not taken for duplicates.
//
// For the WebSocket client: needs_snapshot(id) / for_each_needing_snapshot() say which markets to
// put in an `update_subscription` `get_snapshot` request.
//
// Allocation: per-sid and per-instrument state are vectors indexed by sid and InstrumentId; they
// grow on first sight of a new sid or instrument (warm-up) and never otherwise.
#pragma once

#include <cstdint>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

class KalshiSequencer {
 public:
  // Kalshi assigns small sids (1, 2, ...). Anything larger is refused as bad input rather than
  // growing a table to match it.
  static constexpr uint64_t kMaxSid = 65'535;

  enum class Verdict : uint8_t {
    in_order,   // seq == last + 1, or the first message seen on the sid
    duplicate,  // seq <= last: drop the message
    gap,        // seq > last + 1: call mark_gap(sid) first, then process the message
  };

  // Checks and records `seq` for `sid` (which must be 1..kMaxSid). Does not mark anything stale.
  Verdict check(uint32_t sid, uint64_t seq);

  // After a gap on `sid`: marks every live instrument bound to the sid stale and calls
  // on_stale(InstrumentId) once for each. Returns how many became stale.
  template <class OnStale>
  uint32_t mark_gap(uint32_t sid, OnStale&& on_stale) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < instruments_.size(); ++i) {
      InstrumentState& s = instruments_[i];
      if (s.sid == sid && !s.needs_snapshot) {
        s.needs_snapshot = true;
        ++n;
        on_stale(InstrumentId{i});
      }
    }
    return n;
  }

  void on_snapshot(InstrumentId id, uint32_t sid);
  bool needs_snapshot(InstrumentId id) const noexcept {
    return id.value >= instruments_.size() || instruments_[id.value].needs_snapshot;
  }

  // Forgets the sid's last seq (the next message on it is in order). See the open question above.
  void reset_sid(uint32_t sid) noexcept;

  template <class Fn>
  void for_each_needing_snapshot(Fn&& fn) const {
    for (uint32_t i = 0; i < instruments_.size(); ++i) {
      if (instruments_[i].sid != 0 && instruments_[i].needs_snapshot) fn(InstrumentId{i});
    }
  }

  // Pre-sizes the tables so the first messages do not allocate.
  void reserve(uint32_t max_sid, uint32_t instruments);

 private:
  struct SidState {
    uint64_t last_seq = 0;
    bool seen = false;
  };
  struct InstrumentState {
    uint32_t sid = 0;  // 0: never had a snapshot
    bool needs_snapshot = true;
  };
  std::vector<SidState> sids_;
  std::vector<InstrumentState> instruments_;
};

}  // namespace pmx
