// Kalshi V2 order requests: the JSON body of `POST /trade-api/v2/portfolio/events/orders`
// (REFERENCES.md §2.5) and the mapping from an intent's (side, outcome, price) to the V2 single
// YES book.
//
//   {"ticker":"HIGHNY-24JAN01-T60","client_order_id":"8c35ecb3-...","side":"bid","count":"10.00",
//    "price":"0.5600","time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross",
//    "post_only":false,"cancel_order_on_pause":false,"reduce_only":false[,"expiration_time":..]
//    [,"subaccount":..][,"exchange_index":..]}
//
// `side` is the YES leg: bid = buy YES, ask = sell YES (= buy NO at $1 - price); `price` is
// always the YES price, a dollar string of 4 decimals; `count` a string of 2 decimals. The body
// is not signed (only timestamp + method + path are), which is what lets kalshi_presign_cache.h
// sign ahead. noexcept, no allocation.
#pragma once

#include <cstdint>
#include <string_view>

#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/gateway/fixed_buffer_writer.h"
#include "pmx/gateway/gateway_error.h"

namespace pmx::gateway {

inline constexpr std::string_view kKalshiHost = "external-api.kalshi.com";
inline constexpr std::string_view kKalshiOrdersPath = "/trade-api/v2/portfolio/events/orders";

enum class KalshiSelfTradePrevention : uint8_t { taker_at_cross = 0, maker };

struct KalshiOrder {
  std::string_view ticker;
  std::string_view client_order_id;  // idempotency key: unique, never reused
  BookSide side = BookSide::bid;     // of the YES book
  Price yes_price{};
  Qty count{};  // a multiple of 0.01 contract
  TimeInForce tif = TimeInForce::gtc;
  KalshiSelfTradePrevention self_trade_prevention = KalshiSelfTradePrevention::taker_at_cross;
  bool post_only = false;
  bool cancel_order_on_pause = false;
  bool reduce_only = false;
  int64_t expiration_time_s = 0;  // 0: none; good_till_canceled only
  int32_t subaccount = -1;        // < 0: omitted
  int32_t exchange_index = -1;    // < 0: omitted
};

struct KalshiYesLeg {
  BookSide side;
  Price yes_price;
  friend constexpr bool operator==(KalshiYesLeg, KalshiYesLeg) = default;
};

// Buying YES at p bids p; selling YES at p asks p; buying NO at p asks $1 - p (selling YES);
// selling NO at p bids $1 - p.
constexpr KalshiYesLeg kalshi_yes_leg(Side side, Outcome outcome, Price outcome_price) noexcept {
  const bool yes = outcome == Outcome::yes;
  const Price yes_price = yes ? outcome_price : Price::one_dollar() - outcome_price;
  const bool bid = (side == Side::buy) == yes;
  return {bid ? BookSide::bid : BookSide::ask, yes_price};
}

constexpr std::string_view kalshi_time_in_force(TimeInForce tif) noexcept {
  switch (tif) {
    case TimeInForce::gtc:
      return "good_till_canceled";
    case TimeInForce::ioc:
      return "immediate_or_cancel";
    case TimeInForce::fok:
      return "fill_or_kill";
  }
  return "good_till_canceled";
}

// Appends the body. Errors: bad_text (empty ticker or client id, or characters JSON would need
// escaped), bad_price (not strictly between $0 and $1), bad_size (not positive, or finer than
// 0.01), expiration_not_allowed (with IOC or FOK), buffer_too_small.
GatewayError write_kalshi_order_body(const KalshiOrder& order, FixedBufferWriter& out) noexcept;

}  // namespace pmx::gateway
