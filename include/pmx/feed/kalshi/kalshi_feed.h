// KalshiFeed: the Kalshi feed handler. One object, owned and polled by one feed thread, that keeps
// a WebSocket session to /trade-api/ws/v2 alive and turns every frame into MarketEvents on the
// strategy's SPSC ring (library pmx_feed_kalshi: it links pmx_net and pmx_signing, which pmx_feed
// users such as pmx-feedcat and the replay tests must not be made to link, see
// src/feed/kalshi/CMakeLists.txt).
//
// One poll() is one round, never blocking and never sleeping:
//   1. WsClient::poll(): ready socket handlers run; each text frame is copied into a padded buffer
//      (WsClient promises no simdjson padding after its views), parsed by KalshiParser, and each
//      event pushed onto the ring. WebSocket pings are answered inside WsClient (Beast).
//   2. pending stale events (ring was full, see below) are pushed if the ring has room;
//   3. pending commands are sent: get_snapshot after a sequence gap, the resubscription after a
//      terminal venue error;
//   4. while disconnected, a connect attempt once the ReconnectPolicy delay has passed (measured
//      with the injectable clock, so tests drive time without sleeping).
//
// Session. On open the feed subscribes, in one `subscribe` command, to orderbook_delta (with
// `use_yes_price: false` pinned: NO levels stay NO bids, REFERENCES.md §1.9), ticker, trade and
// market_lifecycle_v2 for the configured market tickers, and, when a signer is configured (an
// authenticated session), to `fill` in a second command (fill takes no market list). The sid of
// each channel is read from its `subscribed` reply.
//
// Sequence gaps. The parser's sequencer turns a gap into `stale` events in the very frame that
// revealed it (the strategy never trades a stale book). At the end of the round the feed sends
// one `update_subscription` {action: get_snapshot} on the orderbook sid for every configured
// market the sequencer says needs a snapshot (including markets whose first snapshot was the lost
// message). Open question (REFERENCES.md §1.10): whether the venue's reply restarts the sid's seq
// is unconfirmed; the feed assumes it continues (as pmx-venue-sim does).
//
// Terminal venue errors (10, 17, 25: the venue dropped the subscription). Every configured market
// is marked stale, the known sids are unsubscribed (an `unknown sid` reply is harmless) and
// forgotten by the sequencer, and the channels are subscribed again; the new snapshots repair the
// books.
//
// Disconnects. Every configured market gets a `stale` event (reason `unsubscribed`: the
// subscription that fed the book ended with the connection), the sequencer forgets every sid and
// binding (the next connection's sids restart at seq 1 and must not be taken for duplicates), and
// the next attempt is scheduled after ReconnectPolicy::next_delay(). A refused upgrade (Kalshi's
// 401 for a bad signature) is counted in auth_failures and retried with the same backoff.
//
// Ring full. A book event cannot simply be dropped: the book it belongs to would silently diverge.
// When the ring has no slot for an event of instrument X, the event is dropped and X is marked
// `overflowed`: every further event for X is dropped too (counted in dropped_overflow) until a
// `stale` event for X (reason sequence_gap) gets into the ring, which happens as soon as the
// strategy frees a slot (tried before every push and every round). Then a get_snapshot for X is
// requested; the BookSet drops X's deltas while X is stale and the snapshot rebuilds it. So the
// ring never carries an event for X between the lost one and X's stale marker.
//
// Allocation: start-up (tables, buffers, the ring) and connect/command paths (headers, command
// text: a few per connection) only; the per-message path (copy, parse, push) does not allocate
// after warm-up.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/feed/feed_error.h"
#include "pmx/feed/instrument_table.h"
#include "pmx/feed/market_event.h"
#include "pmx/net/reconnect_policy.h"
#include "pmx/net/ws_client.h"
#include "pmx/ring/spsc_ring.h"

namespace pmx::gateway {
class KalshiSigner;
}

namespace pmx {

inline constexpr std::string_view kKalshiWsPath = "/trade-api/ws/v2";

struct KalshiFeedOptions {
  // wss://api.elections.kalshi.com/trade-api/ws/v2, or a pmx-venue-sim URL in tests.
  std::string url;
  std::vector<std::string> market_tickers;  // registered in the InstrumentTable at construction
  // Authentication: when `signer` is set, the upgrade carries KALSHI-ACCESS-* headers signed over
  // timestamp_ms + "GET" + kKalshiWsPath, and `fill` is subscribed. The signer must outlive the feed.
  const gateway::KalshiSigner* signer = nullptr;
  std::string key_id;
  net::WsClientOptions ws{};
  net::ReconnectOptions reconnect{};
  net::ReconnectPolicy::Random reconnect_random{};  // empty: the policy's own generator
  // Monotonic clock for reconnect delays (tests inject one); null: pmx::mono_now.
  MonoNanos (*clock)() = nullptr;
  // Wall clock in ms for the signature timestamp; null: the system clock.
  int64_t (*wall_ms)() = nullptr;
  // Optional tap called with every raw text frame before it is parsed (the shm tape, tests).
  void (*frame_tap)(void* context, std::string_view frame, MonoNanos received) = nullptr;
  void* frame_tap_context = nullptr;
};

// Written by the feed thread only; copy them out (shm) from that thread.
struct KalshiFeedCounters {
  uint64_t frames = 0;               // text frames received
  uint64_t events = 0;               // MarketEvents pushed onto the ring (stale markers included)
  uint64_t gaps = 0;                 // sequence gaps seen by the parser
  uint64_t snapshots_requested = 0;  // markets named in get_snapshot requests
  uint64_t snapshot_commands = 0;    // get_snapshot commands sent
  uint64_t connects = 0;             // handshakes completed
  uint64_t reconnects = 0;           // connect attempts after a disconnect or failure
  uint64_t disconnects = 0;          // on_disconnect, any stage
  uint64_t auth_failures = 0;        // upgrade refused with 401/403
  uint64_t ring_full = 0;            // events that found the ring full
  uint64_t dropped_overflow = 0;     // events dropped because their instrument had overflowed
  uint64_t stale_emitted = 0;        // stale markers the feed itself pushed (disconnect, overflow...)
  uint64_t errors = 0;               // frames the parser rejected
  uint64_t venue_errors = 0;         // Kalshi `error` frames
  uint64_t resubscribes = 0;         // after terminal venue errors 10/17/25
};

enum class KalshiFeedState : uint8_t {
  idle,        // not started (first poll() connects)
  connecting,  // upgrade in progress
  open,        // subscribed or subscribing
  waiting,     // disconnected, waiting out the reconnect delay
};

class KalshiFeed {
 public:
  // Registers the market tickers in `instruments` (allocates: start-up). Throws
  // std::invalid_argument for an implausible ticker or an empty list.
  KalshiFeed(InstrumentTable& instruments, SpscRing<MarketEvent>& ring, KalshiFeedOptions options);
  ~KalshiFeed();
  KalshiFeed(const KalshiFeed&) = delete;
  KalshiFeed& operator=(const KalshiFeed&) = delete;

  // One round (see above). Returns the number of socket handlers run plus frames handled.
  size_t poll();

  // Asks for fresh snapshots of every configured market at the end of the next round (a
  // strategy's resync; also what tests use to settle the books after a replay ends).
  void request_snapshots() noexcept;

  // Graceful close; the feed then stays down until poll() after resume().
  void stop();
  void resume() noexcept;

  // The per-frame path the socket calls for every text frame (tap, copy, parse, push). Public so
  // that tests can drive it without a socket (the no-allocation test).
  void handle_frame(std::string_view frame, MonoNanos received) noexcept;

  KalshiFeedState state() const noexcept;
  const KalshiFeedCounters& counters() const noexcept;
  const FeedCounters& parser_counters() const noexcept;
  const net::WsDisconnect& last_disconnect() const noexcept;  // kind read_failed, empty message if none
  std::span<const InstrumentId> instruments() const noexcept;
  uint32_t orderbook_sid() const noexcept;  // 0 until `subscribed` arrives

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx
