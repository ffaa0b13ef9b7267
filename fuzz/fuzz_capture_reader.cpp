// libFuzzer target: arbitrary bytes as a capture file, plain and (if it decodes) as zstd, with a
// small line limit and tiny read chunks so buffer growth, compaction and too-long lines are hit.
// Every record goes on into the matching parser, as a replay would.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pmx/feed/capture.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  pmx::InstrumentTable table;
  pmx::KalshiParser kalshi(
      table, pmx::ParserOptions{.register_unknown = true, .reserve_events = 16, .reserve_frame_bytes = 4096});
  pmx::PolymarketParser poly(
      table, pmx::ParserOptions{.register_unknown = true, .reserve_events = 16, .reserve_frame_bytes = 4096});
  for (const bool zstd : {false, true}) {
    pmx::CaptureReader::Options options;
    options.max_line_bytes = 512;
    options.read_chunk = 1 + size % 61;
    if (size % 2 == 0) options.bare_venue = pmx::Venue::polymarket;
    pmx::CaptureReader reader;
    if (reader.open_memory(bytes, zstd, options) != pmx::FeedError::ok) __builtin_trap();
    pmx::CaptureRecord rec;
    while (reader.next(rec)) {
      if (rec.frame.bytes.empty() || rec.frame.bytes.size() > options.max_line_bytes) __builtin_trap();
      if (rec.venue == pmx::Venue::kalshi) {
        (void)kalshi.parse(rec.frame, rec.recv_ts);
      } else {
        (void)poly.parse(rec.frame, rec.recv_ts);
      }
    }
  }
  return 0;
}
