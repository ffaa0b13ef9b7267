// The feed module's one error enum, and the plain counters every parser and reader keeps.
//
// Parsers and the capture reader never throw: each call returns a FeedError, bumps
// `errors[code]` in its counters, and (for parsers) records where it happened in a ParseError.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace pmx {

enum class FeedError : uint8_t {
  ok = 0,
  empty_frame,      // zero bytes
  frame_too_large,  // longer than the parser's max_frame_bytes (default kMaxFrameBytes)
  invalid_json,     // simdjson rejected it: truncated, unbalanced, bad literal, binary garbage
  wrong_shape,      // valid JSON of the wrong structure: a number where an object belongs...
  unknown_type,     // `type` (Kalshi) / `event_type` (Polymarket) this parser does not know
  missing_field,    // a required field is absent (market_ticker, asset_id, sid, seq, side...)
  wrong_type,       // a field has the wrong JSON type (a number where a string belongs...)
  bad_price,        // not a decimal of at most 4 places, or outside the venue's range
  bad_qty,          // not a decimal of at most 6 places, negative where sizes are, or absurd
  bad_side,         // side not yes/no (Kalshi) or BUY/SELL (Polymarket)
  bad_number,       // sid / seq / timestamp not a non-negative integer in range
  bad_instrument,   // unknown instrument key that is not a plausible ticker / token id
  too_many_events,  // one frame would produce more than max_events_per_frame events
  // capture files
  io_error,           // open/read/write failed
  zstd_error,         // corrupt or truncated zstd stream
  malformed_line,     // not `<ts>\t<venue>\t<frame>` and no bare-frame venue was given
  line_too_long,      // longer than the reader's max_line_bytes (default kMaxLineBytes)
  bad_venue,          // venue column is not kalshi|polymarket
  frame_has_newline,  // CaptureWriter: a frame with '\n' cannot be one line
};
inline constexpr int kFeedErrorCount = 20;

std::string_view to_string(FeedError e) noexcept;

// Where a parser gave up, for logs at the program's edge (library code never prints).
struct ParseError {
  FeedError code = FeedError::ok;
  uint32_t offset = 0;       // byte offset in the frame (approximate: the token being read)
  std::string_view field{};  // the JSON key being read, "" if none (a static string)
};

// Written by one thread (the feed thread); plain fields, published elsewhere (shm) by copying.
struct FeedCounters {
  uint64_t frames = 0;               // every parse() call
  uint64_t events = 0;               // MarketEvents emitted
  uint64_t control_frames = 0;       // valid frames with nothing to emit: subscribed, ok, PONG...
  uint64_t ignored_frames = 0;       // valid frames of a known type the feed does not use (fill...)
  uint64_t venue_errors = 0;         // Kalshi `error` frames
  uint64_t duplicates = 0;           // Kalshi seq at or below the last seen on its sid: dropped
  uint64_t gaps = 0;                 // Kalshi seq jumped: stale emitted for the sid's instruments
  uint64_t deltas_while_stale = 0;   // Kalshi deltas dropped because no snapshot since the gap/start
  uint64_t unknown_instruments = 0;  // skipped because the instrument is not registered
  uint64_t parse_errors = 0;         // frames rejected: sum of errors[]
  std::array<uint64_t, kFeedErrorCount> errors{};  // by FeedError code

  uint64_t error_count(FeedError e) const noexcept { return errors[static_cast<size_t>(e)]; }
};

}  // namespace pmx
