// Normalized market-data events: what a feed thread hands the strategy thread over the SPSC ring.
//
// One frame from a venue becomes zero or more MarketEvents. Every event is a trivially copyable
// 64-byte record (one cache line); strings (tickers, token ids) never travel in it, only the dense
// InstrumentId of the instrument table (pmx/feed/instrument_table.h).
//
// Field use by event type (a field not listed is zero, or kNoPrice for prices):
//
// clang-format off
//   type              venue  outcome     book_side  price        best_bid/ask  qty             other
//   snapshot_begin    both   -           -          tick size¹   -             -               level_count, seq
//   snapshot_level    both   yes|no²     bid|ask²   level price  -             level size ≥ 0  seq
//   snapshot_end      both   -           -          -            -             -               seq
//   level_delta       kalshi yes|no      bid        level price  -             SIGNED change   seq
//   level_set         poly   yes        bid|ask     level price  server top³   NEW size ≥ 0    -
//   trade             both   taker's     -          trade price⁴ -             size > 0        aggressor
//   ticker            both   yes        -           last price⁵  yes bid/ask   volume⁵         -
//   status            kalshi -           -          -            -             -               status
//   stale             both   -           -          -            -             -               stale_reason⁶
//   tick_size_change  poly   -           -          new tick     -             -               old_tick
// clang-format on
//
//   ¹ Polymarket `book.tick_size` when present, else kNoPrice (Kalshi snapshots carry no tick).
//   ² Kalshi books hold bids only: outcome yes|no, book_side bid. Polymarket: outcome yes (a token
//     is the YES of itself), book_side bid|ask.
//   ³ Polymarket price_change entries carry the server's best_bid/best_ask after the change; a
//     book built from the stream must agree with them (tests use them as the oracle).
//   ⁴ Kalshi trades: the YES price (`yes_price_dollars`) whatever the taker's outcome.
//   ⁵ Kalshi ticker: price = last trade, qty = cumulative volume. Polymarket best_bid_ask: price =
//     kNoPrice, qty = 0.
//   ⁶ Kalshi: a sequence gap, a terminal venue error or a disconnect; Polymarket: a disconnect, a
//     silent shard or a ring overflow (both feeds mark every book the lost data fed).
//
// level_delta vs level_set is the one semantic difference between the venues, so it is two event
// types rather than a flag: Kalshi's orderbook_delta says "this level changed by -54.00" and the
// parser does not own books, so it forwards the signed change; Polymarket's price_change says
// "this level is now 200" (absolute, "0" removes the level).
//
// Timestamps: venue_ts is the venue's wall clock where the message has one (Kalshi `ts_ms`,
// Polymarket `timestamp`, both milliseconds scaled to ns), else 0. recv_ts is the local receive
// time the caller passes to the parser. seq is Kalshi's per-subscription `seq` (0 for Polymarket).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "pmx/core/types.h"

namespace pmx {

enum class EventType : uint8_t {
  snapshot_begin = 0,  // a full book follows for `instrument`; the consumer clears its book
  snapshot_level,      // one level of that book
  snapshot_end,        // the book is complete and valid again
  level_delta,         // Kalshi: signed change of the resting size at `price`
  level_set,           // Polymarket: the level's new absolute size (0 removes it)
  trade,
  ticker,
  status,            // market lifecycle (open, paused, closed, settled...)
  stale,             // the book is unknown until the next snapshot_begin for this instrument
  tick_size_change,  // Polymarket: re-grid the book on the new tick (or, if a level is off it, drop it until a snapshot)
};
inline constexpr int kEventTypeCount = 10;

enum class MarketStatus : uint8_t {
  unknown = 0,
  initialized,  // created, not yet trading          (Kalshi lifecycle `created`)
  open,         // trading                            (`activated`)
  paused,       // temporarily deactivated            (`deactivated`)
  closed,       // no new orders, awaiting result     (`close_date_updated` never maps here)
  determined,   // result known                       (`determined`)
  settled,      // paid out, terminal                 (`settled`)
};

enum class StaleReason : uint8_t {
  none = 0,
  sequence_gap,  // Kalshi seq jumped on the instrument's subscription: deltas were lost
  unsubscribed,  // Kalshi confirmed `unsubscribed` for the subscription that fed this book
};

// "No price here": a level event never carries it, a top-of-book field may (empty side).
inline constexpr Price kNoPrice = Price::from_ticks(INT32_MIN);

struct MarketEvent {
  EventType type = EventType::stale;             // 0
  Venue venue = Venue::kalshi;                   // 1
  Outcome outcome = Outcome::yes;                // 2
  BookSide book_side = BookSide::bid;            // 3
  InstrumentId instrument{};                     // 4
  Price price = kNoPrice;                        // 8
  Price best_bid = kNoPrice;                     // 12
  Price best_ask = kNoPrice;                     // 16
  Side aggressor = Side::buy;                    // 20  trade: the taker bought `outcome` (buy) or sold it
  MarketStatus status = MarketStatus::unknown;   // 21
  StaleReason stale_reason = StaleReason::none;  // 22
  uint8_t reserved = 0;                          // 23  keeps the layout free of implicit padding
  Qty qty{};                                     // 24
  WallNanos venue_ts{};                          // 32
  MonoNanos recv_ts{};                           // 40
  uint64_t seq = 0;                              // 48
  uint32_t level_count = 0;                      // 56  snapshot_begin: number of snapshot_level events
  Price old_tick = kNoPrice;                     // 60  tick_size_change: the tick before the change

  friend bool operator==(const MarketEvent&, const MarketEvent&) = default;
};

static_assert(std::is_trivially_copyable_v<MarketEvent>, "MarketEvent is memcpy'd through the SPSC ring");
static_assert(sizeof(MarketEvent) == 64, "MarketEvent must fill exactly one 64-byte cache line");
static_assert(std::has_unique_object_representations_v<MarketEvent>,
              "no implicit padding: events compare and hash bytewise, and the tape stays deterministic");
static_assert(offsetof(MarketEvent, qty) == 24 && offsetof(MarketEvent, seq) == 48,
              "8-byte fields stay naturally aligned");

std::string_view to_string(EventType t) noexcept;
std::string_view to_string(MarketStatus s) noexcept;

}  // namespace pmx
