#include "pmx/gateway/kalshi_order.h"

#include "pmx/core/decimal.h"

namespace pmx::gateway {

namespace {

constexpr int64_t kCountStep = Qty::kUnitsPerContract / 100;  // counts carry 2 decimals

// Tickers and client order ids are ASCII without quotes, backslashes or controls: such text
// needs no JSON escaping, and anything else is refused rather than escaped.
bool is_plain_text(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return true;
}

}  // namespace

GatewayError write_kalshi_order_body(const KalshiOrder& order, FixedBufferWriter& out) noexcept {
  if (!is_plain_text(order.ticker) || !is_plain_text(order.client_order_id)) return GatewayError::bad_text;
  if (order.yes_price.ticks <= 0 || order.yes_price.ticks >= Price::kTicksPerDollar)
    return GatewayError::bad_price;
  if (order.count.units <= 0 || order.count.units % kCountStep != 0) return GatewayError::bad_size;
  if (order.expiration_time_s != 0 && order.tif != TimeInForce::gtc)
    return GatewayError::expiration_not_allowed;

  char number[kMaxFixedChars];
  out.append(R"({"ticker":")");
  out.append(order.ticker);
  out.append(R"(","client_order_id":")");
  out.append(order.client_order_id);
  out.append(order.side == BookSide::bid ? R"(","side":"bid","count":")" : R"(","side":"ask","count":")");
  out.append(format_qty(order.count, 2, number, sizeof number));
  out.append(R"(","price":")");
  out.append(format_price(order.yes_price, 4, number, sizeof number));
  out.append(R"(","time_in_force":")");
  out.append(kalshi_time_in_force(order.tif));
  out.append(order.self_trade_prevention == KalshiSelfTradePrevention::taker_at_cross
                 ? R"(","self_trade_prevention_type":"taker_at_cross")"
                 : R"(","self_trade_prevention_type":"maker")");
  out.append(order.post_only ? R"(,"post_only":true)" : R"(,"post_only":false)");
  out.append(order.cancel_order_on_pause ? R"(,"cancel_order_on_pause":true)"
                                         : R"(,"cancel_order_on_pause":false)");
  out.append(order.reduce_only ? R"(,"reduce_only":true)" : R"(,"reduce_only":false)");
  if (order.expiration_time_s != 0) {
    out.append(R"(,"expiration_time":)");
    out.append_int(order.expiration_time_s);
  }
  if (order.subaccount >= 0) {
    out.append(R"(,"subaccount":)");
    out.append_int(order.subaccount);
  }
  if (order.exchange_index >= 0) {
    out.append(R"(,"exchange_index":)");
    out.append_int(order.exchange_index);
  }
  out.append('}');
  return out.ok() ? GatewayError::ok : GatewayError::buffer_too_small;
}

}  // namespace pmx::gateway
