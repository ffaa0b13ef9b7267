// pmx-venue-sim's Kalshi order endpoints, without I/O (REFERENCES.md §1.8, §2.2, §2.5–2.9). The
// subset implemented, below the Kalshi REST prefix (/trade-api/v2):
//
//   POST   /portfolio/events/orders            V2 create: {"ticker","client_order_id","side":"bid"|
//          "ask","count":"10.00","price":"0.5600","time_in_force":"good_till_canceled"|
//          "immediate_or_cancel"|"fill_or_kill","self_trade_prevention_type":"taker_at_cross"|"maker",
//          "post_only","reduce_only","cancel_order_on_pause","subaccount","exchange_index",
//          "expiration_time","order_group_id"} -> 201 {"order_id","client_order_id","fill_count",
//          "remaining_count","average_fill_price"?,"average_fee_paid"?,"ts_ms"}
//   DELETE /portfolio/events/orders/{order_id} V2 cancel -> 200 {"order_id","client_order_id",
//          "reduced_by","ts_ms"}
//   DELETE /portfolio/orders/{order_id}        legacy cancel -> 200 {"order":Order,"reduced_by_fp"}
//   GET    /portfolio/orders                   {"orders":[Order],"cursor":""}; ?status=resting|
//          canceled|executed, ?ticker=
//   GET    /portfolio/positions                {"market_positions":[...],"event_positions":[],
//          "cursor":""}; ?ticker=
//   GET    /portfolio/balance                  {"balance":cents,"balance_dollars","portfolio_value":
//          cents (balance + exposure at cost),"updated_ts":s,"balance_breakdown":[...]}
//
// Every request must carry a valid KALSHI-ACCESS-* signature of timestamp + METHOD + full path
// (kalshi_auth.h): 401 {"error":{"code":"authentication_error",...}} otherwise.
//
// Matching (matching_book.h): the marketable part of an order fills at once against the book at
// the book's prices, walking depth (taker; fee 0.07·C·P·(1-P) rounded up to $0.0001); the rest
// rests (good_till_canceled) or is cancelled (immediate_or_cancel). fill_or_kill fills entirely or
// not at all (201 with fill_count "0.00", remaining_count "0.00": killed). post_only orders that
// would cross are rejected. Resting orders fill at their own price (maker, no fee) when the book
// moves through them (on_book_moved). Each fill is one `fill` frame (§1.8) on the private `fill`
// channel: trade_id, order_id, client_order_id, market_ticker, exchange_index 0, is_taker, side,
// action, purchased_side (legacy), outcome_side, book_side, yes_price_dollars, count_fp, fee_cost,
// post_position_fp, ts, ts_ms. The reference gives no user_orders format, so no order-update
// frames are sent.
//
// Errors (the order-errors page's shape): 400 {"error":{"code":"invalid_order"|"missing_parameters"
// |"insufficient_balance","message","details"}}; an unparsable body 400 {"code":"bad_request",
// "message","details"} at top level; 404 {"error":{"code":"market_not_found"|"not_found",...}};
// a client_order_id seen before 409 {"error":{"code":"order_already_exists",...}} (the code is
// this simulator's guess: the reference does not list it). Faults (order_faults.h): 429
// {"error":"too many requests"} (§2.9), 503 {"error":{"code":"service_unavailable",...}}, reject
// 400 invalid_order with details naming the fault.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kalshi_auth.h"
#include "kalshi_portfolio.h"
#include "matching_book.h"
#include "order_faults.h"
#include "order_types.h"

namespace pmx::sim {

struct KalshiOrder {
  std::string order_id;
  std::string client_order_id;
  std::string ticker;
  size_t market = 0;
  BookSide side = BookSide::bid;
  int64_t price = 0;  // YES price, $0.0001
  int64_t initial = 0;
  int64_t filled = 0;
  int64_t remaining = 0;  // resting
  std::string time_in_force;
  std::string status;  // resting | canceled | executed
  int64_t taker_fees = 0;
  int64_t maker_fees = 0;
  int64_t taker_cost = 0;  // micro-dollars of YES price × count, per liquidity
  int64_t maker_cost = 0;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

class KalshiExchange {
 public:
  KalshiExchange(MatchingBook& book, OrderFaults& faults, KalshiAuthConfig auth, int64_t balance_micros);

  // Answers `request` when `below` (its path below the Kalshi REST prefix) is one of the
  // endpoints above; nullopt otherwise.
  std::optional<OrderReply> handle(const OrderRequest& request, std::string_view below, int64_t now_ms);

  // After the book moved: fills resting orders it crosses; appends their fill frames.
  void on_book_moved(int64_t now_ms, std::vector<PrivateEvent>& events);

  const KalshiPortfolio& portfolio() const noexcept { return portfolio_; }
  const std::vector<KalshiOrder>& orders() const noexcept { return orders_; }

 private:
  OrderReply create(const OrderRequest& request, int64_t now_ms);
  OrderReply cancel(std::string_view order_id, bool legacy, int64_t now_ms);
  OrderReply list_orders(std::string_view query) const;
  OrderReply positions(std::string_view query) const;
  OrderReply balance(int64_t now_ms) const;
  void fill(KalshiOrder& order, const BookFill& f, bool taker, int64_t now_ms,
            std::vector<PrivateEvent>& out);

  MatchingBook& book_;
  OrderFaults& faults_;
  KalshiAuthConfig auth_;
  KalshiPortfolio portfolio_;
  std::vector<KalshiOrder> orders_;
  std::map<std::string, size_t, std::less<>> by_client_id_;
  uint64_t next_order_ = 1;
  uint64_t next_trade_ = 1;
};

// The JSON of a legacy Order object (REFERENCES.md §2.5): order_id, client_order_id, ticker,
// side, action, outcome_side, book_side, type "limit", status, yes/no_price_dollars, counts, fees.
std::string kalshi_order_json(const KalshiOrder& order);

}  // namespace pmx::sim
