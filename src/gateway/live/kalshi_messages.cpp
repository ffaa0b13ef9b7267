#include "pmx/gateway/live/kalshi_messages.h"

#include "ondemand_message.h"

namespace pmx::gateway {

std::string_view to_string(KalshiParseError e) noexcept {
  constexpr std::string_view kNames[] = {"ok",        "too_large",  "invalid_json", "missing_field",
                                         "bad_value", "not_a_fill", "not_listed"};
  return kNames[static_cast<int>(e)];
}

using namespace ondemand_message;

struct KalshiMessageParser::Impl : PaddedMessage {
  using PaddedMessage::PaddedMessage;
};

KalshiMessageParser::KalshiMessageParser(size_t max_message_bytes)
    : impl_(std::make_unique<Impl>(max_message_bytes)) {}
KalshiMessageParser::~KalshiMessageParser() = default;

KalshiParseError KalshiMessageParser::order_answer(std::string_view json, KalshiOrderAnswer& out) noexcept {
  od::object obj;
  if (const auto e = impl_->open_object<KalshiParseError>(json, obj); e != KalshiParseError::ok) return e;
  out = KalshiOrderAnswer{};
  bool has_id = false, has_fill = false, has_remaining = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return KalshiParseError::invalid_json;
    bool ok = true;
    if (key == "order_id") {
      ok = has_id = read_text(v, out.order_id);
    } else if (key == "client_order_id") {
      ok = read_text(v, out.client_order_id);
    } else if (key == "fill_count") {
      ok = has_fill = read_qty(v, out.fill_count);
    } else if (key == "remaining_count") {
      ok = has_remaining = read_qty(v, out.remaining_count);
    } else if (key == "average_fill_price") {
      ok = is_null(v) || read_price(v, out.average_fill_price);
    } else if (key == "average_fee_paid") {
      ok = is_null(v) || read_money(v, out.average_fee_paid);
    }
    if (!ok) return KalshiParseError::bad_value;
  }
  if (!has_id || !has_fill || !has_remaining) return KalshiParseError::missing_field;
  return KalshiParseError::ok;
}

KalshiParseError KalshiMessageParser::cancel_answer(std::string_view json, KalshiCancelAnswer& out) noexcept {
  od::object obj;
  if (const auto e = impl_->open_object<KalshiParseError>(json, obj); e != KalshiParseError::ok) return e;
  out = KalshiCancelAnswer{};
  bool has_reduced = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return KalshiParseError::invalid_json;
    bool ok = true;
    if (key == "order_id") {
      ok = read_text(v, out.order_id);
    } else if (key == "client_order_id") {
      ok = read_text(v, out.client_order_id);
    } else if (key == "reduced_by") {
      ok = has_reduced = read_qty(v, out.reduced_by);
    }
    if (!ok) return KalshiParseError::bad_value;
  }
  return has_reduced ? KalshiParseError::ok : KalshiParseError::missing_field;
}

KalshiParseError KalshiMessageParser::fill(std::string_view json, KalshiFill& out) noexcept {
  od::object obj;
  if (const auto e = impl_->open_object<KalshiParseError>(json, obj); e != KalshiParseError::ok) return e;
  out = KalshiFill{};
  bool is_fill = false, has_msg = false;
  bool has_order = false, has_price = false, has_count = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return KalshiParseError::invalid_json;
    if (key == "type") {
      std::string_view type;
      if (!read_text(v, type)) return KalshiParseError::bad_value;
      is_fill = type == "fill";
      if (!is_fill) return KalshiParseError::not_a_fill;
    } else if (key == "msg") {
      od::object msg;
      if (v.get_object().get(msg)) return KalshiParseError::not_a_fill;  // ok/error carry other shapes
      has_msg = true;
      for (auto f : msg) {
        std::string_view k;
        od::value x;
        if (f.unescaped_key().get(k) || f.value().get(x)) return KalshiParseError::invalid_json;
        bool ok = true;
        if (k == "order_id") {
          ok = has_order = read_text(x, out.order_id);
        } else if (k == "trade_id") {
          ok = read_text(x, out.trade_id);
        } else if (k == "client_order_id") {
          ok = is_null(x) || read_text(x, out.client_order_id);
        } else if (k == "market_ticker") {
          ok = read_text(x, out.market_ticker);
        } else if (k == "yes_price_dollars") {
          ok = has_price = read_price(x, out.yes_price);
        } else if (k == "count_fp") {
          ok = has_count = read_qty(x, out.count);
        } else if (k == "fee_cost") {
          ok = read_money(x, out.fee);
        } else if (k == "is_taker") {
          ok = x.get_bool().get(out.is_taker) == simdjson::SUCCESS;
        }
        if (!ok) return KalshiParseError::bad_value;
      }
    }
  }
  if (!is_fill) return KalshiParseError::not_a_fill;
  if (!has_msg || !has_order || !has_price || !has_count) return KalshiParseError::missing_field;
  return KalshiParseError::ok;
}

KalshiParseError KalshiMessageParser::find_order(std::string_view json, std::string_view client_order_id,
                                                 KalshiListedOrder& out) noexcept {
  od::object root;
  if (const auto e = impl_->open_object<KalshiParseError>(json, root); e != KalshiParseError::ok) return e;
  od::array orders;
  bool has_orders = false;
  for (auto field : root) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) || field.value().get(v)) return KalshiParseError::invalid_json;
    if (key != "orders") continue;
    if (v.get_array().get(orders)) return KalshiParseError::bad_value;
    has_orders = true;
    for (auto item : orders) {
      od::object o;
      if (item.get_object().get(o)) return KalshiParseError::bad_value;
      KalshiListedOrder listed;
      std::string_view status;
      bool has_id = false, has_fill = false;
      for (auto f : o) {
        std::string_view k;
        od::value x;
        if (f.unescaped_key().get(k) || f.value().get(x)) return KalshiParseError::invalid_json;
        bool ok = true;
        Money fee{};
        if (k == "order_id") {
          ok = has_id = read_text(x, listed.order_id);
        } else if (k == "client_order_id") {
          ok = is_null(x) || read_text(x, listed.client_order_id);
        } else if (k == "status") {
          ok = read_text(x, status);
        } else if (k == "fill_count_fp") {
          ok = has_fill = read_qty(x, listed.fill_count);
        } else if (k == "remaining_count_fp") {
          ok = read_qty(x, listed.remaining_count);
        } else if (k == "taker_fees_dollars" || k == "maker_fees_dollars") {
          ok = is_null(x) || read_money(x, fee);
          listed.fees = listed.fees + fee;
        }
        if (!ok) return KalshiParseError::bad_value;
      }
      if (listed.client_order_id != client_order_id) continue;
      if (!has_id || !has_fill || status.empty()) return KalshiParseError::missing_field;
      if (status == "resting") {
        listed.status = KalshiListedOrder::Status::resting;
      } else if (status == "canceled") {
        listed.status = KalshiListedOrder::Status::canceled;
      } else if (status == "executed") {
        listed.status = KalshiListedOrder::Status::executed;
      } else {
        return KalshiParseError::bad_value;
      }
      out = listed;
      return KalshiParseError::ok;
    }
  }
  return has_orders ? KalshiParseError::not_listed : KalshiParseError::missing_field;
}

}  // namespace pmx::gateway
