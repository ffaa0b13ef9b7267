// Polymarket CLOB market-channel frames -> MarketEvents (simdjson On-Demand, in place).
//
// A frame is one event object or a JSON array of them (the initial dump is an array of `book`s),
// or the text `PONG` (the keep-alive reply: counted as a control frame, not JSON).
// Handles (REFERENCES.md §3.3-§3.7):
//   book              -> snapshot_begin, snapshot_level (bids then asks), snapshot_end
//   price_change      -> one level_set per entry of `price_changes[]` (current: asset_id, price,
//                        size, side BUY|SELL, best_bid, best_ask) or of legacy `changes[]`
//                        (top-level asset_id; best_bid/best_ask = kNoPrice). `size` is the NEW
//                        size of the level, "0" removes it.
//   tick_size_change  -> tick_size_change (the consumer drops the book until the next `book`)
//   last_trade_price  -> trade (aggressor from `side`)
//   best_bid_ask      -> ticker (best_bid / best_ask only)
//   new_market, market_resolved -> ignored_frames
// Field order inside an object does not matter (the recordings put `event_type` last).
//
// A frame is all or nothing: if any event object in an array is malformed the whole frame is
// rejected and events() is empty. An object or price_change entry for an unregistered asset is
// skipped and counted (unknown_instruments) unless register_unknown is set.
//
// Polymarket has no sequence numbers; seq is 0 on every event.
#pragma once

#include <memory>
#include <span>

#include "pmx/core/types.h"
#include "pmx/feed/feed_error.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/feed/parser_options.h"

namespace pmx {

class PolymarketParser {
 public:
  explicit PolymarketParser(InstrumentTable& instruments, ParserOptions options = {});
  ~PolymarketParser();
  PolymarketParser(const PolymarketParser&) = delete;
  PolymarketParser& operator=(const PolymarketParser&) = delete;

  // Parses one frame. `frame` must have kFramePadding readable bytes after it (padded_frame.h).
  FeedError parse(PaddedFrame frame, MonoNanos recv_ts) noexcept;

  std::span<const MarketEvent> events() const noexcept;  // of the last parse(); empty on error
  const FeedCounters& counters() const noexcept;
  const ParseError& last_error() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx
