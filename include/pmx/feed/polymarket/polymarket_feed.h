// PolymarketFeed: the Polymarket feed handler. One object, owned and polled by one feed thread,
// that keeps the public CLOB market channel (/ws/market, no auth) alive over several WebSocket
// connections and turns every frame into MarketEvents on the strategy's SPSC ring (library
// pmx_feed_polymarket: it links pmx_net, which pmx_feed users must not be made to link).
//
// Shards. The configured asset (token) ids are cut, in order, into shards of at most
// assets_per_connection (default 200; third parties report a 500-asset limit per connection,
// REFERENCES.md §3.2). Each shard has its own connection, which sends on open
//   {"assets_ids":[...the shard's ids...],"type":"market","custom_feature_enabled":true}
// and its own ReconnectPolicy, so one shard's outage leaves the others' books live.
//
// One thread drives every shard: each shard's WsClient owns an io_context (pmx_net's design), and
// poll() polls them in turn without blocking; no handler runs outside poll(). One poll() is:
//   1. every shard's WsClient::poll(): each text frame is copied into a padded buffer, parsed by
//      PolymarketParser, and each event of an instrument of THAT shard pushed onto the ring;
//   2. pending stale markers (ring was full, see below) are pushed if the ring has room;
//   3. per open shard: a resync if one is wanted, else the text `PING` once ping_interval has
//      passed since the last (the server answers `PONG`, counted in pongs);
//   4. per waiting shard: a connect attempt once its ReconnectPolicy delay has passed (measured
//      with the injectable clock, so tests drive time without sleeping).
//
// Events of other shards. The server sends a price_change for a market (both outcome tokens) to
// every connection subscribed to either token, and the simulator sends a frame to a connection
// when it touches any of its assets (the initial dump array holds every book). Each connection
// therefore keeps only the events of its own instruments (the rest is counted in
// other_shard_events): every instrument has exactly one source, so its events keep their order.
//
// Disconnects. Every instrument of the shard gets a `stale` event (reason `unsubscribed`: the
// subscription that fed the book ended with the connection) and the next attempt is scheduled after
// the shard's ReconnectPolicy::next_delay(). On reconnect the shard subscribes again and the
// server's `book` snapshots (sent on subscribe) rebuild the books. Polymarket has no sequence
// numbers: nothing else to reset.
//
// tick_size_change is forwarded as it is: the BookSet drops the book and keeps it stale until the
// next `book` for that asset. The market channel has no snapshot request; the server sends a `book`
// when a trade changes the book (the tick changes when trades push the price near 0 or 1).
//
// Ring full. As in KalshiFeed: when the ring has no slot for an event of instrument X, the event is
// dropped and X is marked `overflowed`; every further event for X is dropped too (counted in
// dropped_overflow) until a `stale` event for X (reason sequence_gap) gets into the ring, which
// happens as soon as the strategy frees a slot. Then X's shard is resynchronised: its instruments
// are marked stale, its connection is closed, and it reconnects (with its backoff, so a ring too
// small for a shard's initial dump cannot make it hammer the venue) and receives fresh `book`s.
// Size the ring for the largest frame: a shard's initial dump is about 50 events per asset.
//
// Allocation: start-up (tables, subscribe messages, clients, the ring), connects and pings (a few
// per connection per 10 s); the per-message path (copy, parse, filter, push) does not allocate after
// warm-up (the largest frame seen).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/types.h"
#include "pmx/feed/feed_error.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/market_event.h"
#include "pmx/net/reconnect_policy.h"
#include "pmx/net/ws_client.h"
#include "pmx/ring/spsc_ring.h"

namespace pmx {

inline constexpr std::string_view kPolymarketMarketWsPath = "/ws/market";

struct PolymarketFeedOptions {
  // wss://ws-subscriptions-clob.polymarket.com/ws/market, or a pmx-venue-sim URL in tests.
  std::string url;
  std::vector<std::string> asset_ids;  // registered in the InstrumentTable at construction
  size_t assets_per_connection = 200;
  std::chrono::milliseconds ping_interval{10'000};  // text PING per connection; 0 disables
  bool custom_feature_enabled = true;               // best_bid_ask, new_market, market_resolved
  net::WsClientOptions ws{};
  net::ReconnectOptions reconnect{};
  net::ReconnectPolicy::Random reconnect_random{};  // empty: each policy's own generator
  // Monotonic clock for reconnect delays and pings (tests inject one); null: pmx::mono_now.
  MonoNanos (*clock)() = nullptr;
  // Optional tap called with every raw text frame (PONG included) before it is parsed: the shm
  // tape (TapeWriter::append(frame, received.ns)), tests. Same hook as KalshiFeedOptions.
  void (*frame_tap)(void* context, std::string_view frame, MonoNanos received) = nullptr;
  void* frame_tap_context = nullptr;
};

// The feed options of the engine's [venues.polymarket] section for these asset ids.
PolymarketFeedOptions polymarket_feed_options(const PolymarketConfig& config,
                                              std::vector<std::string> asset_ids);

// Written by the feed thread only; copy them out (shm) from that thread.
struct PolymarketFeedCounters {
  uint64_t frames = 0;                // text frames received on open connections
  uint64_t events = 0;                // MarketEvents pushed onto the ring (stale markers included)
  uint64_t other_shard_events = 0;    // parsed events of another connection's instruments: dropped
  uint64_t pings = 0;                 // PING frames sent
  uint64_t pongs = 0;                 // PONG frames received
  uint64_t connects = 0;              // handshakes completed
  uint64_t reconnects = 0;            // connect attempts after a disconnect or failure
  uint64_t disconnects = 0;           // on_disconnect, any stage, any shard
  uint64_t resyncs = 0;               // shards closed to recover events lost to a full ring
  uint64_t ring_full = 0;             // events that found the ring full
  uint64_t dropped_overflow = 0;      // events dropped because their instrument had overflowed
  uint64_t stale_emitted = 0;         // stale markers the feed itself pushed (disconnect, overflow)
  uint64_t errors = 0;                // frames the parser rejected (parser_counters() says why)
  uint64_t frames_while_closing = 0;  // frames of a connection being closed for a resync: dropped
};

enum class PolymarketConnectionState : uint8_t {
  idle,        // not started (the next poll() connects)
  connecting,  // upgrade in progress
  open,        // subscribed
  closing,     // closed by the feed for a resync; on_disconnect follows
  waiting,     // disconnected, waiting out the reconnect delay
};

class PolymarketFeed {
 public:
  // Registers the asset ids in `instruments` and cuts them into shards (allocates: start-up; a
  // repeated id is registered once). Throws std::invalid_argument for an empty list, an
  // implausible id or assets_per_connection == 0.
  PolymarketFeed(InstrumentTable& instruments, SpscRing<MarketEvent>& ring, PolymarketFeedOptions options);
  ~PolymarketFeed();
  PolymarketFeed(const PolymarketFeed&) = delete;
  PolymarketFeed& operator=(const PolymarketFeed&) = delete;

  // One round (see above). Returns the number of socket handlers run plus frames handled.
  size_t poll();

  // Graceful close of every connection; the feed then stays down until poll() after resume().
  void stop();
  void resume() noexcept;

  // The per-frame path every connection's socket calls (tap, copy, parse, keep the connection's
  // own instruments, push). Public so that tests can drive it without a socket.
  void handle_frame(size_t connection, std::string_view frame, MonoNanos received) noexcept;

  size_t connection_count() const noexcept;
  PolymarketConnectionState connection_state(size_t connection) const noexcept;
  std::span<const InstrumentId> connection_instruments(size_t connection) const noexcept;
  size_t connection_of(InstrumentId id) const noexcept;        // SIZE_MAX for an instrument not fed here
  std::span<const InstrumentId> instruments() const noexcept;  // every asset, in configured order

  const PolymarketFeedCounters& counters() const noexcept;
  const FeedCounters& parser_counters() const noexcept;
  const net::WsDisconnect& last_disconnect() const noexcept;  // kind read_failed, empty message if none

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx
