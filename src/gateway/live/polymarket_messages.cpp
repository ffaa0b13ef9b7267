#include "pmx/gateway/live/polymarket_messages.h"

#include "ondemand_message.h"

namespace pmx::gateway {

using namespace ondemand_message;
using E = PolymarketParseError;

namespace {

// A trade or order event object; `kind` 1 = trade, 2 = order, 0 = other.
E read_event(od::object& obj, int& kind, PolymarketTradeEvent& trade, PolymarketOrderEvent& order) noexcept {
  kind = 0;
  trade = PolymarketTradeEvent{};
  order = PolymarketOrderEvent{};
  std::string_view id;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return E::invalid_json;
    bool ok = true;
    if (key == "event_type") {
      std::string_view t;
      ok = read_text(v, t);
      kind = t == "trade" ? 1 : t == "order" ? 2 : 0;
    } else if (key == "id") {
      ok = read_text(v, id);
    } else if (key == "status") {
      ok = read_text(v, trade.status);
    } else if (key == "taker_order_id") {
      ok = read_text(v, trade.taker_order_id);
    } else if (key == "size") {
      ok = read_qty(v, trade.size);
    } else if (key == "price") {
      ok = read_price(v, trade.price);
    } else if (key == "fee_rate_bps") {
      std::string_view s;
      int64_t bps = 0;
      ok = read_text(v, s) && parse_fixed(s, 0, bps) == DecimalError::ok && bps >= 0 && bps < 10'000;
      trade.fee_rate_bps = static_cast<uint32_t>(bps);
    } else if (key == "type") {
      ok = read_text(v, order.type);
    } else if (key == "original_size") {
      ok = read_qty(v, order.original_size);
    } else if (key == "size_matched") {
      ok = read_qty(v, order.size_matched);
    } else if (key == "maker_orders") {
      od::array makers;
      if (v.get_array().get(makers)) return E::bad_value;
      for (auto element : makers) {
        od::object m;
        if (element.get_object().get(m)) return E::bad_value;
        PolymarketMakerFill fill;
        for (auto f : m) {
          std::string_view k;
          od::value x;
          if (f.unescaped_key().get(k) || f.value().get(x)) return E::invalid_json;
          bool good = true;
          if (k == "order_id") {
            good = read_text(x, fill.order_id);
          } else if (k == "owner") {
            good = read_text(x, fill.owner);
          } else if (k == "matched_amount") {
            good = read_qty(x, fill.matched);
          } else if (k == "price") {
            good = read_price(x, fill.price);
          }
          if (!good) return E::bad_value;
        }
        if (trade.maker_count < kMaxMakerOrders) trade.makers[trade.maker_count++] = fill;
      }
    }
    if (!ok) return E::bad_value;
  }
  trade.trade_id = id;
  order.order_id = id;
  if (kind != 0 && id.empty()) return E::missing_field;
  return E::ok;
}

}  // namespace

struct PolymarketMessageParser::Impl : PaddedMessage {
  using PaddedMessage::PaddedMessage;
  PolymarketTradeEvent trade;
  PolymarketOrderEvent order;
};

PolymarketMessageParser::PolymarketMessageParser(size_t max_message_bytes)
    : impl_(std::make_unique<Impl>(max_message_bytes)) {}
PolymarketMessageParser::~PolymarketMessageParser() = default;

PolymarketParseError PolymarketMessageParser::order_answer(std::string_view json,
                                                           PolymarketOrderAnswer& out) noexcept {
  od::object obj;
  if (const E e = impl_->open_object<E>(json, obj); e != E::ok) return e;
  out = PolymarketOrderAnswer{};
  bool has_success = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return E::invalid_json;
    bool ok = true;
    if (key == "success") {
      ok = has_success = v.get_bool().get(out.success) == simdjson::SUCCESS;
    } else if (key == "errorMsg") {
      ok = read_text(v, out.error_message);
    } else if (key == "orderID") {
      ok = read_text(v, out.order_id);
    } else if (key == "status") {
      ok = read_text(v, out.status);
    } else if (key == "takingAmount") {
      std::string_view s;
      ok = read_text(v, s) && (s.empty() || parse_qty(s, out.taking_amount) == DecimalError::ok);
    } else if (key == "makingAmount") {
      std::string_view s;
      ok = read_text(v, s) && (s.empty() || parse_qty(s, out.making_amount) == DecimalError::ok);
    }
    if (!ok) return E::bad_value;
  }
  if (!has_success) return E::missing_field;
  if (out.success && out.order_id.empty()) return E::missing_field;
  return E::ok;
}

PolymarketParseError PolymarketMessageParser::cancel_answer(std::string_view json,
                                                            PolymarketCancelAnswer& out) noexcept {
  od::object obj;
  if (const E e = impl_->open_object<E>(json, obj); e != E::ok) return e;
  out = PolymarketCancelAnswer{};
  bool seen = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return E::invalid_json;
    if (key == "canceled") {
      od::array ids;
      if (v.get_array().get(ids)) return E::bad_value;
      for (auto id : ids) {
        std::string_view text;
        if (id.get_string().get(text)) return E::bad_value;
        ++out.canceled;
      }
      seen = true;
    } else if (key == "not_canceled") {
      od::object reasons;
      if (v.get_object().get(reasons)) return E::bad_value;
      for (auto reason : reasons) {
        std::string_view id;
        if (reason.unescaped_key().get(id)) return E::bad_value;
        ++out.not_canceled;
      }
      seen = true;
    }
  }
  return seen ? E::ok : E::missing_field;
}

PolymarketParseError PolymarketMessageParser::each_event_impl(std::string_view json, TradeFn trade_fn,
                                                              void* trade_ctx, OrderFn order_fn,
                                                              void* order_ctx) noexcept {
  if (const E e = impl_->open<E>(json); e != E::ok) return e;
  auto visit = [&](od::object& obj) {
    int kind = 0;
    const E e = read_event(obj, kind, impl_->trade, impl_->order);
    if (e != E::ok) return e;
    if (kind == 1) trade_fn(trade_ctx, impl_->trade);
    if (kind == 2) order_fn(order_ctx, impl_->order);
    return E::ok;
  };
  od::json_type type;
  if (impl_->doc().type().get(type)) return E::invalid_json;
  if (type == od::json_type::object) {
    od::object obj;
    if (impl_->doc().get_object().get(obj)) return E::invalid_json;
    return visit(obj);
  }
  if (type != od::json_type::array) return E::invalid_json;
  od::array events;
  if (impl_->doc().get_array().get(events)) return E::invalid_json;
  for (auto element : events) {
    od::object obj;
    if (element.get_object().get(obj)) return E::bad_value;
    if (const E e = visit(obj); e != E::ok) return e;
  }
  return E::ok;
}

}  // namespace pmx::gateway
