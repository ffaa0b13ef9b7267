// PolymarketFeed's per-frame path (tap, copy, parse, keep the connection's own instruments, push)
// allocates nothing once warm. This binary links the counting global operator new of tests/common.
// The frames go through handle_frame, the function every connection's socket calls: the socket
// layer is left out because the simulator replays the recording once per connection, so a socket
// cannot deliver a second, warm pass (WsClient's receive path has its own no-growth promise).
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/feed/polymarket/polymarket_feed.h"

#include "../common/counting_allocator.h"
#include "polymarket_recording.h"

namespace pmx {
namespace {

uint64_t g_tapped = 0;

TEST(PolymarketFeedAllocation, FramePathAllocatesNothingOnceWarm) {
  if (!test::have_polymarket_recording()) GTEST_SKIP() << "missing " << test::kPolymarketRecording;
  const test::PolymarketRecording rec = test::PolymarketRecording::load();
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(size_t{1} << 15);
  PolymarketFeedOptions o;
  o.url = "ws://127.0.0.1:1/ws/market";  // never connected
  o.asset_ids = rec.assets;
  o.frame_tap = [](void*, std::string_view, MonoNanos) { ++g_tapped; };
  PolymarketFeed feed(table, *ring, std::move(o));
  ASSERT_EQ(feed.connection_count(), 3u);

  uint64_t consumed = 0;
  const auto pass = [&](int64_t t) {
    for (size_t k = 0; k < feed.connection_count(); ++k) {
      for (const std::string& line : rec.lines) {
        feed.handle_frame(k, line, MonoNanos{t});
        consumed += ring->consume_batch([](const MarketEvent&) {});
      }
      feed.handle_frame(k, "PONG", MonoNanos{t});
    }
  };
  const uint64_t warm_before = test::allocation_count();
  pass(1);  // warm-up: the frame copy and the parser's buffers grow to the initial dump
  EXPECT_GT(test::allocation_count(), warm_before) << "the counter sees the warm-up growing the buffers";
  const uint64_t events_before = feed.counters().events;
  const uint64_t before = test::allocation_count();
  pass(2);
  const uint64_t allocations = test::allocation_count() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(feed.counters().events - events_before, 20'000u) << "every book and entry went through";
  EXPECT_EQ(feed.counters().errors, 0u);
  EXPECT_EQ(feed.counters().ring_full, 0u);
  EXPECT_EQ(g_tapped, 2 * 3 * (rec.lines.size() + 1));
  EXPECT_EQ(consumed, feed.counters().events);
}

}  // namespace
}  // namespace pmx
