// PolymarketFeed against pmx-venue-sim on 127.0.0.1 replaying the real market-channel recording:
// the books built through feed -> ring -> BookSet match the server's top after every price_change
// entry and an independent replay level by level; sharding over many connections; forced
// disconnects each followed by a reconnect, stale markers and rebuilt books; PING/PONG on an
// injected clock; a full ring repaired by resynchronising the shard.
#include "pmx/feed/polymarket/polymarket_feed.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "polymarket_recording.h"
#include "sim_process.h"

namespace {

using namespace std::chrono_literals;
using pmx::InstrumentId;
using pmx::PolymarketFeedOptions;
using pmx::test::PolymarketHarness;
using pmx::test::PolymarketRecording;
using pmx::test::SimProcess;

const PolymarketRecording& recording() {
  static const PolymarketRecording r = PolymarketRecording::load();
  return r;
}

std::vector<std::string> sim_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--capture", pmx::test::kPolymarketRecording, "--venue", "polymarket"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

PolymarketFeedOptions options_for(const SimProcess& sim, std::vector<std::string> assets,
                                  size_t per_connection) {
  PolymarketFeedOptions o;
  o.url = sim.url() + std::string(pmx::kPolymarketMarketWsPath);
  o.asset_ids = std::move(assets);
  o.assets_per_connection = per_connection;
  o.reconnect.initial = 1ms;
  o.reconnect.max = 4ms;
  o.reconnect_random = [] { return 0.5; };
  return o;
}

#define SKIP_WITHOUT_RECORDING()               \
  if (!pmx::test::have_polymarket_recording()) \
  GTEST_SKIP() << "missing " << pmx::test::kPolymarketRecording << " (../shared beside the clone)"

TEST(PolymarketFeed, BooksMatchTheServersTopAfterEveryPriceChangeEntry) {
  SKIP_WITHOUT_RECORDING();
  const PolymarketRecording& rec = recording();
  ASSERT_EQ(rec.assets.size(), 494u);
  SimProcess sim(sim_args());
  PolymarketHarness h(rec, size_t{1} << 15);  // one connection's share of the 24k-event initial dump
  h.start(options_for(sim, rec.assets, 200));
  ASSERT_EQ(h.feed->connection_count(), 3u);  // 200 + 200 + 94

  ASSERT_TRUE(h.wait([&] { return h.caught_up(); })) << "top checks " << h.top_checks;
  EXPECT_EQ(h.top_checks, rec.entry_count());
  EXPECT_EQ(h.top_mismatches, 0u);
  EXPECT_EQ(h.book_mismatches, 0u);
  EXPECT_EQ(h.snapshots, rec.assets.size());
  for (const std::string& asset : rec.assets)
    EXPECT_TRUE(pmx::test::book_in(h.books, h.id_of(asset)) == rec.final_book(asset)) << asset;
  const auto& c = h.feed->counters();
  EXPECT_EQ(c.connects, 3u);
  EXPECT_EQ(c.errors, 0u);
  EXPECT_EQ(c.ring_full, 0u);
  EXPECT_EQ(h.unexpected_entries, 0u);
  EXPECT_EQ(h.stale_violations, 0u);
  EXPECT_EQ(h.foreign_events, 0u);
  EXPECT_GT(c.other_shard_events, 0u) << "every connection receives the whole initial dump";
}

TEST(PolymarketFeed, ShardsTheAssetsOverSeveralConnectionsAndEveryAssetStillGetsItsEvents) {
  SKIP_WITHOUT_RECORDING();
  const PolymarketRecording& rec = recording();
  const std::vector<std::string>& assets = rec.traded_assets;  // 40: both tokens of 20 markets
  SimProcess sim(sim_args());
  PolymarketHarness h(rec, 4096);
  h.start(options_for(sim, assets, 2));
  ASSERT_EQ(h.feed->connection_count(), assets.size() / 2);
  for (size_t i = 0; i < assets.size(); ++i)
    EXPECT_EQ(h.feed->connection_of(h.id_of(assets[i])), i / 2);

  ASSERT_TRUE(h.wait([&] { return h.caught_up(); })) << "top checks " << h.top_checks;
  const auto& c = h.feed->counters();
  EXPECT_EQ(c.connects, assets.size() / 2);
  for (size_t k = 0; k < h.feed->connection_count(); ++k)
    EXPECT_EQ(h.feed->connection_state(k), pmx::PolymarketConnectionState::open) << k;
  for (const std::string& asset : assets) {
    EXPECT_EQ(h.state[h.id_of(asset).value].snapshots, 1u) << asset;
    EXPECT_TRUE(pmx::test::book_in(h.books, h.id_of(asset)) == rec.final_book(asset)) << asset;
  }
  EXPECT_EQ(h.top_checks, rec.entry_count());
  EXPECT_EQ(h.top_mismatches, 0u);
  EXPECT_EQ(h.book_mismatches, 0u);
  EXPECT_EQ(h.unexpected_entries, 0u) << "each entry reaches the ring once, from its own connection";
  EXPECT_EQ(c.errors, 0u);
}

TEST(PolymarketFeed, EachForcedDisconnectIsFollowedByAReconnectStaleMarkersAndCorrectBooks) {
  SKIP_WITHOUT_RECORDING();
  const PolymarketRecording& rec = recording();
  const std::vector<std::string>& assets = rec.traded_assets;
  SimProcess sim(sim_args({"--disconnect-after", "6"}));  // the initial dump and 5 price_change frames
  PolymarketHarness h(rec, 4096);
  h.start(options_for(sim, assets, 20));
  ASSERT_EQ(h.feed->connection_count(), 2u);

  // Each connection goes through kCycles forced disconnects and is rebuilt after each.
  constexpr uint64_t kCycles = 40;
  const auto min_snapshots = [&] {
    uint64_t least = UINT64_MAX;
    for (const std::string& asset : assets)
      least = std::min(least, h.state[h.id_of(asset).value].snapshots);
    return least;
  };
  ASSERT_TRUE(h.wait([&] { return min_snapshots() > kCycles; }))
      << "disconnects " << h.feed->counters().disconnects << ", least snapshots " << min_snapshots();
  const auto& c = h.feed->counters();
  EXPECT_GE(c.disconnects, 2 * kCycles);
  EXPECT_GE(c.reconnects, 2 * kCycles) << "every disconnect was followed by a new connection";
  EXPECT_GE(c.connects, c.disconnects);
  // Every disconnect marked every instrument of its connection stale.
  EXPECT_EQ(h.stale_unsubscribed, 20 * c.disconnects);
  EXPECT_GE(h.compared_at_stale, 40 * (kCycles - 1));
  EXPECT_GT(h.top_checks, rec.entry_count());
  EXPECT_EQ(h.top_mismatches, 0u);
  EXPECT_EQ(h.book_mismatches, 0u);
  EXPECT_EQ(h.stale_violations, 0u);
  EXPECT_EQ(h.unexpected_entries, 0u);
  EXPECT_EQ(c.errors, 0u);
  EXPECT_EQ(c.ring_full, 0u);
}

TEST(PolymarketFeed, StrategyThreadConsumingConcurrentlySeesCorrectBooksThroughDisconnects) {
  SKIP_WITHOUT_RECORDING();
  const PolymarketRecording& rec = recording();
  const std::vector<std::string>& assets = rec.traded_assets;
  SimProcess sim(sim_args({"--disconnect-after", "6"}));
  PolymarketHarness h(rec, size_t{1} << 15);
  h.consume_in_tap = false;  // the consumer is the strategy thread below, as in the engine
  h.start(options_for(sim, assets, 10));
  ASSERT_EQ(h.feed->connection_count(), 4u);

  // Only the strategy thread touches the harness's books and checks; only this thread the feed.
  constexpr uint64_t kCycles = 15;
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> least_snapshots{0};
  std::thread strategy([&] {
    while (!stop.load(std::memory_order_acquire)) {
      h.drain();
      uint64_t least = UINT64_MAX;
      for (const std::string& asset : assets)
        least = std::min(least, h.state[h.id_of(asset).value].snapshots);
      least_snapshots.store(least, std::memory_order_release);
    }
    h.drain();
  });
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (least_snapshots.load(std::memory_order_acquire) <= kCycles &&
         std::chrono::steady_clock::now() < deadline)
    h.feed->poll();
  stop.store(true, std::memory_order_release);
  strategy.join();

  EXPECT_GT(least_snapshots.load(), kCycles);
  EXPECT_GE(h.feed->counters().disconnects, 4 * kCycles);
  EXPECT_GT(h.top_checks, kCycles * 4);
  EXPECT_EQ(h.top_mismatches, 0u);
  EXPECT_EQ(h.book_mismatches, 0u);
  EXPECT_EQ(h.stale_violations, 0u);
  EXPECT_EQ(h.unexpected_entries, 0u);
  EXPECT_EQ(h.events, h.feed->counters().events) << "every pushed event was consumed once";
}

std::atomic<int64_t> g_fake_now{1'000'000'000};
pmx::MonoNanos fake_clock() {
  return pmx::MonoNanos{g_fake_now.load()};
}

TEST(PolymarketFeed, SendsATextPingEveryIntervalAndCountsThePongs) {
  SKIP_WITHOUT_RECORDING();
  const PolymarketRecording& rec = recording();
  SimProcess sim(sim_args());
  PolymarketHarness h(rec, 4096);
  auto o = options_for(sim, {rec.traded_assets[0], rec.traded_assets[1]}, 200);
  o.ping_interval = 10s;
  o.clock = &fake_clock;
  h.start(std::move(o));
  ASSERT_TRUE(h.wait([&] { return h.feed->counters().connects == 1 && h.caught_up(); }));

  for (uint64_t n = 1; n <= 3; ++n) {
    g_fake_now += 10'000'000'000 - 1;  // 1 ns before the interval is over: no ping
    for (int i = 0; i < 100; ++i)
      h.feed->poll();
    EXPECT_EQ(h.feed->counters().pings, n - 1);
    g_fake_now += 1;
    h.feed->poll();
    EXPECT_EQ(h.feed->counters().pings, n);
    ASSERT_TRUE(h.wait([&] { return h.feed->counters().pongs == n; })) << "PONG " << n;
  }
  EXPECT_EQ(h.feed->counters().errors, 0u) << "PONG is not JSON and is not parsed";
  EXPECT_EQ(h.feed->counters().disconnects, 0u);
}

TEST(PolymarketFeed, FullRingMarksTheInstrumentStaleAndTheConnectionIsResynchronised) {
  SKIP_WITHOUT_RECORDING();
  const PolymarketRecording& rec = recording();
  const std::vector<std::string>& assets = rec.traded_assets;
  // Two connections of 20 assets; a ring that holds either one's initial dump but not both.
  size_t dump[2] = {0, 0};
  for (size_t i = 0; i < assets.size(); ++i)
    dump[i / 20] += rec.book_events.at(assets[i]);
  size_t capacity = 2;
  while (capacity < std::max(dump[0], dump[1]) + 8)
    capacity *= 2;
  ASSERT_GT(dump[0] + dump[1], capacity) << "the test needs the two dumps to overflow the ring";

  SimProcess sim(sim_args());
  PolymarketHarness h(rec, capacity);
  h.consume_in_tap = false;
  h.start(options_for(sim, assets, 20));
  // Do not consume until both connections have received everything the simulator sends them.
  const size_t frames = rec.frames_touching({assets.begin(), assets.begin() + 20}) +
                        rec.frames_touching({assets.begin() + 20, assets.end()});
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (h.feed->counters().frames < frames && std::chrono::steady_clock::now() < deadline)
    h.feed->poll();
  ASSERT_EQ(h.feed->counters().frames, frames);
  EXPECT_GT(h.feed->counters().ring_full, 0u);
  EXPECT_GT(h.feed->counters().dropped_overflow, 0u);

  // Now consume: the stale markers get in, the overflowed connection reconnects, and its fresh
  // snapshots and the replay rebuild every book.
  h.consume_in_tap = true;
  ASSERT_TRUE(h.wait([&] { return h.feed->counters().resyncs >= 1 && h.caught_up(); }));
  EXPECT_GE(h.stale_overflow, 1u);
  EXPECT_EQ(h.stale_violations, 0u);
  EXPECT_EQ(h.top_mismatches, 0u);
  EXPECT_EQ(h.book_mismatches, 0u);
  for (const std::string& asset : assets)
    EXPECT_TRUE(pmx::test::book_in(h.books, h.id_of(asset)) == rec.final_book(asset)) << asset;
}

}  // namespace
