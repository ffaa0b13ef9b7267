// PolymarketFeed without a socket: how the assets are cut into connections, the options taken from
// the config section, and the per-frame path (handle_frame, the function every connection's socket
// calls) on hand-written frames.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/book/book_set.h"
#include "pmx/feed/polymarket/polymarket_feed.h"

namespace pmx {
namespace {

const std::string kA = "1111";
const std::string kB = "2222";
const std::string kC = "3333";

PolymarketFeedOptions options(std::vector<std::string> assets, size_t per_connection) {
  PolymarketFeedOptions o;
  o.url = "ws://127.0.0.1:1/ws/market";  // never connected: these tests do not poll()
  o.asset_ids = std::move(assets);
  o.assets_per_connection = per_connection;
  return o;
}

std::vector<MarketEvent> drain(SpscRing<MarketEvent>& ring) {
  std::vector<MarketEvent> out;
  ring.consume_batch([&](const MarketEvent& e) { out.push_back(e); });
  return out;
}

std::string book(const std::string& asset) {
  return R"({"event_type":"book","asset_id":")" + asset +
         R"(","market":"0x1","bids":[{"price":"0.48","size":"30"}],"asks":[{"price":"0.52","size":"25"}],"timestamp":"1","tick_size":"0.01"})";
}

TEST(PolymarketFeedShards, CutsTheAssetsIntoConnectionsInConfiguredOrder) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  PolymarketFeed feed(table, *ring, options({kA, kB, kC, "4444", "5555"}, 2));
  ASSERT_EQ(feed.connection_count(), 3u);
  EXPECT_EQ(feed.connection_instruments(0).size(), 2u);
  EXPECT_EQ(feed.connection_instruments(1).size(), 2u);
  EXPECT_EQ(feed.connection_instruments(2).size(), 1u);
  EXPECT_EQ(feed.connection_of(table.find(Venue::polymarket, kA)), 0u);
  EXPECT_EQ(feed.connection_of(table.find(Venue::polymarket, kC)), 1u);
  EXPECT_EQ(feed.connection_of(table.find(Venue::polymarket, "5555")), 2u);
  EXPECT_EQ(feed.instruments().size(), 5u);
  EXPECT_EQ(feed.connection_state(0), PolymarketConnectionState::idle);
}

TEST(PolymarketFeedShards, ARepeatedAssetIdIsSubscribedOnce) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  PolymarketFeed feed(table, *ring, options({kA, kB, kA}, 200));
  EXPECT_EQ(feed.instruments().size(), 2u);
  EXPECT_EQ(feed.connection_instruments(0).size(), 2u);
}

TEST(PolymarketFeedShards, RefusesAnEmptyListAnImplausibleIdOrZeroAssetsPerConnection) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  EXPECT_THROW(PolymarketFeed(table, *ring, options({}, 200)), std::invalid_argument);
  EXPECT_THROW(PolymarketFeed(table, *ring, options({kA, "0xnot-a-token"}, 200)), std::invalid_argument);
  EXPECT_THROW(PolymarketFeed(table, *ring, options({kA}, 0)), std::invalid_argument);
}

TEST(PolymarketFeedShards, ConfigSectionGivesUrlShardSizeAndPingInterval) {
  PolymarketConfig config;
  config.ws_url = "wss://ws-subscriptions-clob.polymarket.com/ws/market";
  config.assets_per_connection = 150;
  config.ping_interval_s = 7;
  const PolymarketFeedOptions o = polymarket_feed_options(config, {kA, kB});
  EXPECT_EQ(o.url, config.ws_url);
  EXPECT_EQ(o.assets_per_connection, 150u);
  EXPECT_EQ(o.ping_interval, std::chrono::seconds(7));
  EXPECT_EQ(o.asset_ids, (std::vector<std::string>{kA, kB}));
}

TEST(PolymarketFeedFrames, AConnectionKeepsOnlyTheEventsOfItsOwnInstruments) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  PolymarketFeed feed(table, *ring, options({kA, kB}, 1));  // A on connection 0, B on 1
  // One price_change names both tokens of a market: each connection forwards its own entry.
  const std::string frame =
      R"({"market":"0x1","price_changes":[{"asset_id":")" + kA +
      R"(","price":"0.5","size":"200","side":"BUY","hash":"h","best_bid":"0.5","best_ask":"1"},{"asset_id":")" +
      kB +
      R"(","price":"0.5","size":"200","side":"SELL","hash":"h","best_bid":"0","best_ask":"0.5"}],"timestamp":"1","event_type":"price_change"})";
  feed.handle_frame(0, frame, MonoNanos{5});
  auto events = drain(*ring);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].instrument, table.find(Venue::polymarket, kA));
  EXPECT_EQ(events[0].recv_ts, MonoNanos{5});
  feed.handle_frame(1, frame, MonoNanos{6});
  events = drain(*ring);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].instrument, table.find(Venue::polymarket, kB));
  EXPECT_EQ(feed.counters().other_shard_events, 2u);
  EXPECT_EQ(feed.counters().events, 2u);
}

TEST(PolymarketFeedFrames, PongIsCountedAndNotParsed) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  PolymarketFeed feed(table, *ring, options({kA}, 200));
  feed.handle_frame(0, "PONG", MonoNanos{1});
  EXPECT_EQ(feed.counters().pongs, 1u);
  EXPECT_EQ(feed.counters().frames, 1u);
  EXPECT_EQ(feed.counters().errors, 0u);
  EXPECT_EQ(feed.parser_counters().frames, 0u);
  EXPECT_TRUE(ring->empty_approx());
}

TEST(PolymarketFeedFrames, MalformedFrameIsCountedAndPushesNothing) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  PolymarketFeed feed(table, *ring, options({kA}, 200));
  const std::string whole = book(kA);
  feed.handle_frame(0, std::string_view(whole).substr(0, whole.size() / 2), MonoNanos{1});
  feed.handle_frame(0, "INVALID OPERATION", MonoNanos{2});
  EXPECT_EQ(feed.counters().errors, 2u);
  EXPECT_EQ(feed.parser_counters().parse_errors, 2u);
  EXPECT_TRUE(ring->empty_approx());
}

TEST(PolymarketFeedFrames, FrameTapSeesEveryRawFrameWithItsReceiveTime) {
  struct Tapped {
    std::vector<std::string> frames;
    std::vector<MonoNanos> times;
  } tapped;
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  auto o = options({kA}, 200);
  o.frame_tap = [](void* context, std::string_view frame, MonoNanos received) {
    auto* t = static_cast<Tapped*>(context);
    t->frames.emplace_back(frame);
    t->times.push_back(received);
  };
  o.frame_tap_context = &tapped;
  PolymarketFeed feed(table, *ring, std::move(o));
  feed.handle_frame(0, book(kA), MonoNanos{10});
  feed.handle_frame(0, "PONG", MonoNanos{11});
  feed.handle_frame(0, "{broken", MonoNanos{12});
  EXPECT_EQ(tapped.frames, (std::vector<std::string>{book(kA), "PONG", "{broken"}));
  EXPECT_EQ(tapped.times, (std::vector<MonoNanos>{MonoNanos{10}, MonoNanos{11}, MonoNanos{12}}));
}

TEST(PolymarketFeedFrames, TickSizeChangeReachesTheRingAndTheBookKeepsItsLevelsOnTheFinerTick) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(64);
  PolymarketFeed feed(table, *ring, options({kA}, 200));
  const InstrumentId a = table.find(Venue::polymarket, kA);
  BookSet books(false);
  books.ensure(a, Venue::polymarket, Price::from_ticks(100));
  const auto apply = [&] {
    for (const MarketEvent& e : drain(*ring))
      books.apply(e);
  };
  feed.handle_frame(0, book(kA), MonoNanos{1});
  apply();
  ASSERT_FALSE(books.stale(a));
  feed.handle_frame(0,
                    R"({"event_type":"tick_size_change","asset_id":")" + kA +
                        R"(","market":"0x1","old_tick_size":"0.01","new_tick_size":"0.001","timestamp":"2"})",
                    MonoNanos{2});
  apply();
  EXPECT_FALSE(books.stale(a)) << "a finer tick keeps every level";
  EXPECT_EQ(books.polymarket(a)->tick(), Price::from_ticks(10));
  EXPECT_EQ(books.best_bid(a).price, Price::from_ticks(4800));
  feed.handle_frame(0, book(kA), MonoNanos{3});
  apply();
  EXPECT_FALSE(books.stale(a));
  EXPECT_EQ(books.best_bid(a).price, Price::from_ticks(4800));
}

TEST(PolymarketFeedFrames, FullRingDropsTheInstrumentsEventsUntilItsStaleMarkerGetsIn) {
  InstrumentTable table;
  SpscRingBuffer<MarketEvent> ring(4);
  PolymarketFeed feed(table, *ring, options({kA, kB}, 200));
  const InstrumentId a = table.find(Venue::polymarket, kA);
  feed.handle_frame(0, book(kA), MonoNanos{1});  // 4 events: begin, bid, ask, end
  feed.handle_frame(0, book(kA), MonoNanos{2});  // no room: A overflows
  EXPECT_EQ(feed.counters().ring_full, 1u);
  EXPECT_EQ(feed.counters().dropped_overflow, 3u);
  auto events = drain(*ring);
  ASSERT_EQ(events.size(), 4u);
  feed.handle_frame(0, book(kA), MonoNanos{3});  // the marker goes in before anything of A
  events = drain(*ring);
  ASSERT_EQ(events.size(), 4u) << "the stale marker and the first three events of the new book";
  EXPECT_EQ(events[0].type, EventType::stale);
  EXPECT_EQ(events[0].instrument, a);
  EXPECT_EQ(events[0].stale_reason, StaleReason::sequence_gap);
  EXPECT_EQ(events[1].type, EventType::snapshot_begin);
  EXPECT_EQ(feed.counters().stale_emitted, 1u);
}

}  // namespace
}  // namespace pmx
