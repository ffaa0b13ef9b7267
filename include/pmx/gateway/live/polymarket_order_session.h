// PolymarketOrderSession: the live Polymarket CLOB venue behind OrderGateway<Backend> (submit,
// cancel, advance, books, on_market_event, open_orders, start — as KalshiOrderSession).
//
//   submit ─► EIP-712 order (V2, or V3 by the builder's account) signed with secp256k1, body
//             + L2 HMAC over its exact bytes (PolymarketRequestBuilder) ─► HttpSession: POST /order
//   cancel ─► DELETE /order {"orderID"}
//   answers + the user channel (trade, order events) ─► LiveOrderTable ─► ExecReports (advance)
//
// An intent names one outcome token (Outcome::yes of itself); Outcome::no is mapped to the
// market's complement token at the same price. Sizes must be whole hundredths of a share (the
// venue's size step): anything finer is rejected before sending rather than silently rounded.
// tif: gtc -> GTC, ioc -> FAK, fok -> FOK. Neg-risk markets (MarketInfo::mutually_exclusive) of
// a V2 account are signed for the neg-risk exchange: they need `neg_risk_builder`.
//
// Answers (429, 5xx, timeouts, dropped connections: RetryPolicy, shared with Kalshi). A resend
// carries the identical signed order (salt and timestamp fixed at the first send; RFC 6979 makes
// the signature identical), so the venue cannot book it twice:
//   success, "live"       accepted, resting; fills from the channel
//   success, "matched"    accepted; FAK/FOK (or the whole size matched) done with the shares
//                         matched (takingAmount for a BUY, makingAmount for a SELL)
//   success, "unmatched"  nothing matched and nothing rests: cancelled
//   success, "delayed"    accepted; the channel tells the rest (FAK/FOK end after the grace)
//   success false, 4xx    rejected, RejectReason::venue — unless an earlier attempt may have
//                         arrived (no answer to it): then the order may exist, so it is
//                         accepted under its own hash (the EIP-712 digest, the CLOB's order id;
//                         a guess, see below) and ends like a Kalshi 409 resend
// Cancel: "canceled" or "not_canceled" — either way the order is done at the venue; it ends
// once the channel's fills are in (the CANCELLATION event's size_matched, else after the grace).
//
// Fills (trade_ledger.h): a fill counts at the first status seen for its (trade, order) —
// MATCHED normally; later statuses change nothing. FAILED after a counted fill is a settlement
// failure: the chain reversed it, an ExecReport cannot, so it is reported apart
// (drain_settlement_failures) for reconciliation. Our side of a trade: the taker order when its
// id is ours; each maker order whose id is ours (or whose owner is our API key, before the id is
// bound). A trade naming no order of ours as maker is ours as taker (the user channel only
// carries our trades), so its fill waits for the id if the answer is late.
//
// Guesses not in REFERENCES.md: the POST answer's amounts for a BUY/SELL (above); the order id
// being the EIP-712 digest (used only in the ambiguous 4xx case).
//
// Single-threaded (the gateway thread). noexcept after construction; allocation-free except the
// WebSocket's own buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/core/order.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/live/http_session.h"
#include "pmx/gateway/live/live_order_table.h"
#include "pmx/gateway/live/order_session_core.h"
#include "pmx/gateway/live/polymarket_messages.h"
#include "pmx/gateway/live/private_channel.h"
#include "pmx/gateway/live/retry_policy.h"
#include "pmx/gateway/live/trade_ledger.h"
#include "pmx/gateway/polymarket_request.h"

namespace pmx::gateway {

struct PolymarketOrderSessionOptions {
  HttpSessionOptions http;  // origin "https://clob.polymarket.com" (or the simulator)
  std::string user_ws_url;  // "wss://ws-subscriptions-clob.polymarket.com/ws/user"; empty: none
  std::string ws_ca_file;
  bool ws_verify_peer = true;
  std::string api_secret;  // POLY_API_SECRET: the user channel authenticates with the creds
  LiveOrderTableOptions table;
  LiveRetryOptions retry;
  uint64_t salt_epoch = 0;                    // mixed into every order's salt; 0: the wall clock in ms
  int64_t ping_interval_ns = 10'000'000'000;  // "PING" text on the user channel
  uint32_t trade_ledger = 8192;
  uint32_t settlement_failures = 1024;
};

struct PolymarketOrderSessionCounters : OrderSessionCounters {
  uint64_t ambiguous_resends = 0;  // a 4xx to a resend whose first attempt may have arrived
  uint64_t trades_received = 0;    // (trade, order) pairs of ours reported by the channel
  uint64_t fills_counted = 0;
  uint64_t repeated_statuses = 0;  // MINED, CONFIRMED... of a fill already counted
  uint64_t settlement_failures = 0;
  uint64_t failures_dropped = 0;  // settlement failure ring full (drain it)
};

// A fill the venue reported (and the session counted) whose settlement then FAILED.
struct SettlementFailure {
  uint64_t intent_id = 0;
  InstrumentId instrument{};
  Side side = Side::buy;
  Outcome outcome = Outcome::yes;
  Price price{};
  Qty qty{};
  WallNanos ts{};
};

class PolymarketOrderSession {
 public:
  // Books are made for every Polymarket token of `universe`; token ids are parsed once here.
  // Start-up: allocates, resolves the REST host, may throw.
  PolymarketOrderSession(const MarketUniverse& universe, PolymarketRequestBuilder builder,
                         PolymarketOrderSessionOptions options,
                         std::optional<PolymarketRequestBuilder> neg_risk_builder = std::nullopt);
  ~PolymarketOrderSession();
  PolymarketOrderSession(const PolymarketOrderSession&) = delete;
  PolymarketOrderSession& operator=(const PolymarketOrderSession&) = delete;

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

  // Opens the REST pool and the user channel ahead of the first order.
  void start(WallNanos now) noexcept;
  // One frame of the user channel (the owned WebSocket calls it too).
  void on_user_message(std::string_view json, WallNanos now) noexcept;

  // Hands each settlement failure since the last call to `sink(const SettlementFailure&)`.
  template <typename Sink>
  size_t drain_settlement_failures(Sink&& sink) noexcept {
    size_t n = 0;
    for (; failure_head_ != failure_tail_; ++failure_head_, ++n)
      sink(failures_[failure_head_ % failures_.size()]);
    return n;
  }

  // The user channel's subscribe message (with the credentials: never log it).
  const std::string& subscribe_message() const noexcept { return subscribe_; }

  const PolymarketOrderSessionCounters& counters() const noexcept { return counters_; }
  const LiveOrderTable& table() const noexcept { return core_.table(); }
  const HttpSession& http() const noexcept { return core_.http(); }
  const RetryPolicy& retry() const noexcept { return core_.retry(); }

 private:
  // What an instrument trades as: its token, tick, and the builder of its exchange.
  struct Token {
    bool valid = false;
    bool neg_risk = false;
    Word id{};
    Price tick{};
  };
  struct BuiltOrder {
    PolymarketOrder order;
    PolymarketOrderType type = PolymarketOrderType::gtc;
    PolymarketRequestBuilder* builder = nullptr;
  };

  bool build(const LiveOrder& order, BuiltOrder& out) noexcept;
  void pump(WallNanos now) noexcept;
  void send_order(LiveOrder& order, int64_t now_ns) noexcept;
  void send_cancel(LiveOrder& order, int64_t now_ns) noexcept;
  void on_order_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void on_cancel_answer(LiveOrder& order, const HttpCompletion& c) noexcept;
  void accept_unanswered(LiveOrder& order, int64_t now_ns) noexcept;
  void on_trade(const PolymarketTradeEvent& trade, int64_t now_ns) noexcept;
  void on_trade_side(std::string_view trade_id, std::string_view status, std::string_view order_id,
                     bool hold_if_unknown, Price price, Qty qty, Liquidity liquidity,
                     int64_t now_ns) noexcept;
  void on_order_event(const PolymarketOrderEvent& event, int64_t now_ns) noexcept;
  void record_failure(const TradeRecord& r, int64_t now_ns) noexcept;

  const MarketUniverse& universe_;
  PolymarketRequestBuilder builder_;
  std::optional<PolymarketRequestBuilder> neg_risk_builder_;
  PolymarketOrderSessionOptions options_;
  std::vector<Token> tokens_;  // by InstrumentId
  BookSet books_;
  PolymarketOrderSessionCounters counters_;
  OrderSessionCore core_;
  LiveOrderTable& table_;  // core_.table()
  PolymarketMessageParser parser_;
  TradeLedger ledger_;
  std::vector<SettlementFailure> failures_;
  uint64_t failure_head_ = 0;
  uint64_t failure_tail_ = 0;
  std::string subscribe_;
  PrivateChannel channel_;
  uint64_t salt_mix_;
  int64_t now_ns_ = 0;
};

}  // namespace pmx::gateway
