// KalshiFeed's per-frame path (tap, copy, parse, sequence, push) allocates nothing once warm. This
// binary links the counting global operator new of tests/common. The frames go through
// handle_frame, the function the socket calls for every text frame: the simulator replays a capture
// once per connection, so a socket cannot deliver a second, warm pass.
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/feed/kalshi/kalshi_feed.h"

#include "../common/counting_allocator.h"

namespace pmx {
namespace {

const std::string kCapture =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";

// The capture with every "seq":N replaced by N + offset, so a later pass continues the sequence
// instead of repeating it (a repeat would be dropped as duplicates and push nothing).
std::vector<std::string> pass_frames(const std::vector<std::string>& lines, uint64_t offset) {
  std::vector<std::string> out;
  for (std::string line : lines) {
    const std::string key = "\"seq\":";
    const size_t at = line.find(key);
    if (at != std::string::npos) {
      const size_t begin = at + key.size();
      const size_t end = line.find_first_not_of("0123456789", begin);
      const uint64_t seq = std::stoull(line.substr(begin, end - begin)) + offset;
      line.replace(begin, end - begin, std::to_string(seq));
    }
    out.push_back(std::move(line));
  }
  return out;
}

uint64_t g_tapped = 0;

TEST(KalshiFeedAllocation, FramePathAllocatesNothingOnceWarm) {
  if (!std::filesystem::exists(kCapture)) GTEST_SKIP() << "missing " << kCapture;
  std::vector<std::string> lines;
  std::vector<std::string> tickers;
  {
    std::ifstream in(kCapture);
    for (std::string l; std::getline(in, l);) {
      if (l.empty()) continue;
      const size_t at = l.find("\"market_ticker\":\"") + 17;
      const std::string ticker = l.substr(at, l.find('"', at) - at);
      if (std::find(tickers.begin(), tickers.end(), ticker) == tickers.end()) tickers.push_back(ticker);
      lines.push_back(std::move(l));
    }
  }
  ASSERT_EQ(lines.size(), 12u);
  lines.insert(lines.begin(), R"({"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}})");
  const std::vector<std::string> warm = pass_frames(lines, 0);
  const std::vector<std::string> counted = pass_frames(lines, 12);

  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(1024);
  KalshiFeedOptions o;
  o.url = "ws://127.0.0.1:1/trade-api/ws/v2";  // never connected
  o.market_tickers = tickers;
  o.frame_tap = [](void*, std::string_view, MonoNanos) { ++g_tapped; };
  KalshiFeed feed(table, *ring, std::move(o));

  uint64_t consumed = 0;
  const auto pass = [&](const std::vector<std::string>& frames, int64_t t) {
    for (const std::string& frame : frames) {
      feed.handle_frame(frame, MonoNanos{t});
      consumed += ring->consume_batch([](const MarketEvent&) {});
    }
  };
  const uint64_t warm_before = test::allocation_count();
  pass(warm, 1);
  EXPECT_GT(test::allocation_count(), warm_before) << "the counter sees the warm-up growing the buffers";
  const uint64_t events_before = feed.counters().events;
  const uint64_t before = test::allocation_count();
  pass(counted, 2);
  const uint64_t allocations = test::allocation_count() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(feed.counters().events - events_before, 200u) << "snapshots and deltas went through";
  EXPECT_EQ(feed.parser_counters().duplicates, 0u);
  EXPECT_EQ(feed.parser_counters().gaps, 0u);
  EXPECT_EQ(feed.counters().errors, 0u);
  EXPECT_EQ(feed.orderbook_sid(), 1u) << "the subscribed control frame went through on_control";
  EXPECT_EQ(g_tapped, 2 * lines.size());
  EXPECT_EQ(consumed, feed.counters().events);
}

}  // namespace
}  // namespace pmx
