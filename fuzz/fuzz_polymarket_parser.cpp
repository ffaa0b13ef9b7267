// libFuzzer target: arbitrary bytes as one Polymarket frame, then split on '\n' into frames.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "pmx/feed/polymarket/polymarket_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pmx::InstrumentTable table;
  pmx::PolymarketParser parser(
      table, pmx::ParserOptions{.register_unknown = true, .reserve_events = 16, .reserve_frame_bytes = 4096});
  pmx::FrameBuffer buf;
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  (void)parser.parse(buf.assign(all), pmx::MonoNanos{1});
  size_t start = 0;
  while (start <= all.size()) {
    size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = all.size();
    (void)parser.parse(buf.assign(all.substr(start, nl - start)), pmx::MonoNanos{2});
    for (const pmx::MarketEvent& e : parser.events()) {
      if (!e.instrument.valid()) __builtin_trap();
    }
    start = nl + 1;
  }
  return 0;
}
