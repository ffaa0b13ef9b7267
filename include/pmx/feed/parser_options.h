// Options shared by the venue parsers (KalshiParser, PolymarketParser).
#pragma once

#include <cstddef>
#include <cstdint>

#include "pmx/feed/padded_frame.h"

namespace pmx {

struct ParserOptions {
  // true for tools with no REST bootstrap (feedcat): an unseen ticker / token id is registered on
  // first sight (allocates). false for the engine: the message is skipped and counted in
  // FeedCounters::unknown_instruments.
  bool register_unknown = false;
  size_t max_frame_bytes = kMaxFrameBytes;
  // A frame producing more events is rejected whole (too_many_events). Polymarket's initial dump
  // of ~500 books is ~30k events; 1 Mi events is 64 MiB of buffer in the worst case.
  uint32_t max_events_per_frame = uint32_t{1} << 20;
  // Buffers reserved at construction so ordinary frames never allocate.
  uint32_t reserve_events = 8192;
  size_t reserve_frame_bytes = size_t{1} << 20;  // simdjson's index capacity; grows for larger frames
};

// Sizes beyond this (10^12 contracts / shares, in millionths) are treated as garbage (bad_qty).
inline constexpr int64_t kMaxAbsQtyUnits = 1'000'000'000'000'000'000;

}  // namespace pmx
