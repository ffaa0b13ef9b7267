// KalshiOrderSession: the live Kalshi venue behind OrderGateway<Backend> (the same four calls as
// PaperExchange: submit, cancel, advance, books; plus on_market_event for the book mirror).
//
//   submit ─► V2 body + signed head (presign cache, else inline RSA) ─► HttpSession (order priority)
//   cancel ─► DELETE /trade-api/v2/portfolio/events/orders/{order_id} (signed inline: the path
//             names the order, so it cannot be signed ahead)
//   answers + the private `fill` channel ─► LiveOrderTable ─► ExecReports (advance)
//
// The fill channel: the session's own authenticated WebSocket (WsClient, polled from advance on
// the gateway thread), not the feed's. Fills then land on the thread that owns the orders with
// no ring hop and no coupling of the feed to the order state; a feed reconnect cannot lose a
// fill; and Kalshi requires authentication on every connection anyway. Without a URL (tests,
// replay) fills are handed in with on_fill_message().
//
// Answers and retries (429, 5xx, timeouts and dropped connections: RetryPolicy, shared with the
// Polymarket session; resends carry the SAME client_order_id, which Kalshi deduplicates):
//   201/200        order: accepted; IOC/FOK (or nothing left) done with fill_count, fills from
//                  the channel (see live_order_table.h). cancel: done with count - reduced_by.
//   429 given up   order rejected, RejectReason::rate_limited; a cancel is dropped (counted).
//   5xx / no answer given up: failed, RejectReason::venue / timeout; a cancel is dropped.
//   409 on a resend  the first attempt arrived: the order is accepted without its id; fills are
//                  matched by client_order_id; IOC/FOK end after the grace period.
//   404 on cancel  the order is no longer resting: done with whatever the channel reports.
//   other 4xx      rejected, RejectReason::venue.
// The client order id is a UUID made of the session epoch (high 64 bits; pass the persisted
// ClientOrderIdAllocator's epoch so ids never repeat across restarts) and the order's serial.
//
// Single-threaded (the gateway thread). noexcept after construction; the only allocations are
// OpenSSL's in an inline signature (cache miss, cancel).
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
#include "pmx/gateway/live/retry_policy.h"

namespace pmx::net {
class WsClient;
}

namespace pmx::gateway {

struct KalshiOrderSessionOptions {
  HttpSessionOptions http;  // origin "https://external-api.kalshi.com" (or the simulator)
  std::string fill_ws_url;  // "wss://external-api-ws.kalshi.com/trade-api/ws/v2"; empty: none
  std::string ws_ca_file;
  bool ws_verify_peer = true;
  LiveOrderTableOptions table;
  LiveRetryOptions retry;
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
  uint64_t client_id_epoch() const noexcept { return epoch_; }

 private:
  void pump(WallNanos now) noexcept;
  void send_order(LiveOrder& order, int64_t now_ns) noexcept;
  void send_cancel(LiveOrder& order, int64_t now_ns) noexcept;
  void on_order_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void on_cancel_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void connect_fill_channel(int64_t now_ns) noexcept;

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
  std::unique_ptr<net::WsClient> ws_;
  int64_t ws_retry_at_ = 0;
  bool ws_down_ = true;
  uint64_t epoch_;
  int64_t now_ns_ = 0;
};

}  // namespace pmx::gateway
