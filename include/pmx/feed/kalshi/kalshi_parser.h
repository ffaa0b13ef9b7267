// Kalshi WebSocket frames -> MarketEvents (simdjson On-Demand, in place, no allocation after warm-up).
//
// Handles (REFERENCES.md §1.5-§1.10): orderbook_snapshot (`yes_dollars_fp` / `no_dollars_fp`
// [price, count] string pairs; the legacy `yes_dollars` [string, int] and integer-cent `yes` /
// `no` pairs when the fp arrays are absent), orderbook_delta (`price_dollars`, `delta_fp`, `side`,
// `ts_ms`; legacy integer `price` / `delta` when the strings are absent), ticker, trade,
// market_lifecycle_v2, error, and the control frames subscribed / unsubscribed / ok.
// Known channels the feed does not use (fill, market_positions, event_lifecycle...) are counted
// as ignored_frames; any other `type` is an unknown_type error.
//
// Sequencing: orderbook_snapshot / orderbook_delta go through the KalshiSequencer (see its header):
// duplicates are dropped, a gap emits `stale` for each affected instrument, deltas for a stale
// instrument are dropped until its next snapshot. trade / ticker / lifecycle frames carry their
// own sids and are not sequenced (a lost trade print does not corrupt a book).
//
// Prices are in the venue's native terms: with the default `use_yes_price: false` a NO level at
// 0.30 is a NO bid at 0.30 (REFERENCES.md §1.9). The parser does not convert; the subscriber pins
// the flag and the book interprets it.
//
// Usage (one parser per feed thread):
//     KalshiParser p(table, {.register_unknown = false});
//     if (p.parse(PaddedFrame::in_place(bytes), recv_ts) == FeedError::ok)
//       for (const MarketEvent& e : p.events()) ring.push(e);
// events() is valid until the next parse(). A rejected frame yields no events at all.
#pragma once

#include <memory>
#include <span>

#include "pmx/core/types.h"
#include "pmx/feed/feed_error.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/kalshi/kalshi_sequencer.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/feed/parser_options.h"

namespace pmx {

class KalshiParser {
 public:
  explicit KalshiParser(InstrumentTable& instruments, ParserOptions options = {});
  ~KalshiParser();
  KalshiParser(const KalshiParser&) = delete;
  KalshiParser& operator=(const KalshiParser&) = delete;

  // Parses one frame. `frame` must have kFramePadding readable bytes after it (padded_frame.h).
  FeedError parse(PaddedFrame frame, MonoNanos recv_ts) noexcept;

  std::span<const MarketEvent> events() const noexcept;  // of the last parse(); empty on error
  const FeedCounters& counters() const noexcept;
  const ParseError& last_error() const noexcept;   // of the last rejected frame
  int64_t last_venue_error_code() const noexcept;  // `code` of the last `error` frame, or 0
  // Codes after which Kalshi drops the subscription (REFERENCES.md §1.5): 10, 17, 25.
  static bool is_terminal_venue_error(int64_t code) noexcept {
    return code == 10 || code == 17 || code == 25;
  }

  KalshiSequencer& sequencer() noexcept;
  const KalshiSequencer& sequencer() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx
