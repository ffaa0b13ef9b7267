// KalshiOrderSession: the live Kalshi venue behind OrderGateway<Backend> (the same four calls as
// PaperExchange: submit, cancel, advance, books; plus on_market_event for the book mirror).
//
//   submit ─► V2 body + signed head (presign cache, else inline RSA) ─► HttpSession (order priority)
//   cancel ─► DELETE /trade-api/v2/portfolio/events/orders/{order_id} (signed inline: the path
//             names the order, so it cannot be signed ahead)
//   lookup ─► GET /trade-api/v2/portfolio/orders?ticker=... (read priority, signed inline)
//   answers + the private `fill` channel ─► LiveOrderTable ─► ExecReports (advance)
//
// The fill channel: the session's own authenticated WebSocket (PrivateChannel, shared with the
// Polymarket session: the handshake signed like a GET of the WebSocket path, reconnect after 1 s,
// polled from advance on the gateway thread), not the feed's. Fills then land on the thread that owns the
// orders with no ring hop and no coupling of the feed to the order state; a feed reconnect cannot lose a
// fill; and Kalshi requires authentication on every connection anyway. Without a URL (tests,
// replay) fills are handed in with on_fill_message().
//
// Answers and retries (429, 5xx, timeouts and dropped connections: RetryPolicy, shared with the
// Polymarket session; resends carry the SAME client_order_id, which Kalshi deduplicates):
//   201/200        order: accepted; IOC/FOK (or nothing left) done with fill_count, fills from
//                  the channel (see live_order_table.h). cancel: done with count - reduced_by.
//   429 given up   order rejected, RejectReason::rate_limited; a cancel is dropped (counted).
//   other 4xx      rejected, RejectReason::venue — unless it answers a resend (below).
// Whenever the venue may hold an order whose answer we lack, the session looks it up by its
// client_order_id (the lookup; GET /trade-api/v2/portfolio/orders?ticker=..., the listed order
// matched by client_order_id, since REFERENCES.md documents no client_order_id filter):
//   409 on a resend      the first attempt arrived: accepted at once, then looked up
//   2xx unreadable       the order exists: accepted, then looked up
//   4xx on a resend      (after an attempt that may have arrived) looked up: listed -> as below,
//                        not listed -> rejected, RejectReason::venue
//   5xx / no answer given up after an attempt that may have arrived: looked up; not listed ->
//                        failed, RejectReason::timeout (nothing may have reached the venue at all)
//   404 on cancel        the order no longer rests (filled or cancelled): looked up for its exact
//                        fill count; not listed -> done with whatever the channel reports
// What a listed order shows is reported once: its order_id is bound (held channel fills apply,
// and a wanted cancel can now be sent); resting -> the order works on; executed / canceled -> done
// with its fill_count, and the fills the channel never delivered (it was down, or the order
// filled between the lost answer and the lookup) are reported after the grace, priced at the
// limit (the listed order's cost fields are not trusted for a side-correct average) with the
// listed fees. So the lookup also recovers IOC/FOK fills missed while the channel was down.
// A lookup is a read (behind orders and cancels, its own RetryPolicy `lookup_retry`); one that
// keeps failing, or keeps missing an order that must exist, ends the order failed with
// RejectReason::timeout, counted in lookups_given_up: reconcile positions and open orders then.
// Only the first page is read (limit=1000, one ticker): an order beyond it counts as missing.
// The client order id is a UUID made of the session epoch (high 64 bits; pass the persisted
// ClientOrderIdAllocator's epoch so ids never repeat across restarts) and the order's serial.
//
// Single-threaded (the gateway thread). noexcept after construction; the only allocations are
// OpenSSL's in an inline signature (cache miss, cancel, lookup).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "pmx/book/book_set.h"
#include "pmx/core/order.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/kalshi_presign_cache.h"
#include "pmx/gateway/kalshi_request.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/gateway/live/http_session.h"
#include "pmx/gateway/live/kalshi_messages.h"
#include "pmx/gateway/live/live_order_table.h"
#include "pmx/gateway/live/order_session_core.h"
#include "pmx/gateway/live/private_channel.h"
#include "pmx/gateway/live/retry_policy.h"

namespace pmx::gateway {

// Lookups: more patient than writes on a missing order (it may take a moment to be listed).
constexpr LiveRetryOptions kalshi_lookup_retry_defaults() noexcept {
  LiveRetryOptions o;
  o.retry_delay_ns = 250'000'000;  // 0.25, 0.5, 1, 2, 4, 8 s
  o.max_errors = 6;
  return o;
}

struct KalshiOrderSessionOptions {
  HttpSessionOptions http;  // origin "https://external-api.kalshi.com" (or the simulator)
  std::string fill_ws_url;  // "wss://external-api-ws.kalshi.com/trade-api/ws/v2"; empty: none
  std::string ws_ca_file;
  bool ws_verify_peer = true;
  LiveOrderTableOptions table;
  LiveRetryOptions retry;
  LiveRetryOptions lookup_retry = kalshi_lookup_retry_defaults();
  uint64_t client_id_epoch = 0;  // 0: the wall clock in ms at construction
  // Kalshi's self-trade prevention and flags for every order.
  KalshiSelfTradePrevention self_trade_prevention = KalshiSelfTradePrevention::taker_at_cross;
};

struct KalshiOrderSessionCounters : OrderSessionCounters {
  uint64_t presign_misses = 0;
  uint64_t fills_received = 0;
};

class KalshiOrderSession {
 public:
  // `signer` (and `presign`, nullable) must outlive the session. Books are made for every Kalshi
  // market of `universe`. Start-up: allocates, resolves the REST host, may throw.
  KalshiOrderSession(const MarketUniverse& universe, KalshiRequestBuilder builder, const KalshiSigner& signer,
                     KalshiPresignCache* presign, KalshiOrderSessionOptions options);
  ~KalshiOrderSession();
  KalshiOrderSession(const KalshiOrderSession&) = delete;
  KalshiOrderSession& operator=(const KalshiOrderSession&) = delete;

  // Backend interface (pmx/gateway/order_gateway.h).
  bool submit(const OrderIntent& intent, WallNanos now) noexcept;
  bool cancel(uint64_t intent_id, WallNanos now) noexcept;
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    pump(now);
    table_.drain(sink);
  }
  const BookSet& books() const noexcept { return books_; }
  void on_market_event(const MarketEvent& event, WallNanos now) noexcept;
  size_t open_orders() const noexcept { return table_.open_orders(); }

  // Opens the REST pool and the fill channel ahead of the first order.
  void start(WallNanos now) noexcept;
  // One message of the private `fill` channel (the owned WebSocket calls it too).
  void on_fill_message(std::string_view json, WallNanos now) noexcept;

  // The client order id of serial `serial` (36 characters into out).
  static void format_client_order_id(uint64_t epoch, uint64_t serial, char* out) noexcept;

  const KalshiOrderSessionCounters& counters() const noexcept { return counters_; }
  const LiveOrderTable& table() const noexcept { return core_.table(); }
  const HttpSession& http() const noexcept { return core_.http(); }
  const RetryPolicy& retry() const noexcept { return core_.retry(); }
  const RetryPolicy& lookup_retry() const noexcept { return core_.read_retry(); }
  uint64_t client_id_epoch() const noexcept { return epoch_; }

 private:
  void pump(WallNanos now) noexcept;
  void send_order(LiveOrder& order, int64_t now_ns) noexcept;
  void send_cancel(LiveOrder& order, int64_t now_ns) noexcept;
  void on_order_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void on_cancel_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void send_lookup(LiveOrder& order, int64_t now_ns) noexcept;
  void on_lookup_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void apply_listed(LiveOrder& order, const KalshiListedOrder& listed, int64_t now_ns) noexcept;

  const MarketUniverse& universe_;
  KalshiRequestBuilder builder_;
  const KalshiSigner& signer_;
  KalshiPresignCache* presign_;
  KalshiOrderSessionOptions options_;
  BookSet books_;
  KalshiOrderSessionCounters counters_;
  OrderSessionCore core_;
  LiveOrderTable& table_;  // core_.table()
  KalshiMessageParser parser_;
  KalshiMessageParser list_parser_;  // order lists are larger than any other answer
  std::string host_;                 // the Host of the lookup GET (the REST origin's)
  PrivateChannel channel_;
  uint64_t epoch_;
  int64_t now_ns_ = 0;
};

}  // namespace pmx::gateway
