// Polymarket answers the order session reads (REFERENCES.md §3.8, §3.9), parsed with simdjson
// On-Demand from a padded copy owned by the parser:
//
//   DELETE /order {"canceled":[".."],"not_canceled":{"..":"reason"}}
//   POST /order  {"success":true,"errorMsg":"","orderID":"0x..","status":"live|matched|delayed|
//                 unmatched","takingAmount":"..","makingAmount":".."}
//   user channel trade  {"event_type":"trade","id","status":"MATCHED|MINED|CONFIRMED|RETRYING|
//                        FAILED","taker_order_id","side","size","price","fee_rate_bps"?,
//                        "maker_orders":[{"order_id","matched_amount","price"},...]}
//                order  {"event_type":"order","type":"PLACEMENT|UPDATE|CANCELLATION","id",
//                        "original_size","size_matched"}
//
// A channel frame may hold one event or an array of them; `each_event` visits every one. Views
// stay valid until the parser's next call. noexcept; no allocation after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <type_traits>

#include "pmx/core/types.h"

namespace pmx::gateway {

enum class PolymarketParseError : uint8_t { ok = 0, too_large, invalid_json, missing_field, bad_value };

struct PolymarketOrderAnswer {
  bool success = false;
  std::string_view error_message;
  std::string_view order_id;
  std::string_view status;  // "live", "matched", "delayed", "unmatched"
  Qty taking_amount{};      // shares (BUY) or collateral (SELL) matched at once
  Qty making_amount{};
};

// DELETE /order  {"canceled":["0x.."],"not_canceled":{"0x..":"reason"}}
struct PolymarketCancelAnswer {
  size_t canceled = 0;      // ids listed as cancelled
  size_t not_canceled = 0;  // ids the venue did not cancel (already done, unknown)
};

inline constexpr size_t kMaxMakerOrders = 16;

struct PolymarketMakerFill {
  std::string_view order_id;
  std::string_view owner;  // the maker's API key; empty when absent
  Qty matched{};
  Price price{};
};

struct PolymarketTradeEvent {
  std::string_view trade_id;
  std::string_view status;
  std::string_view taker_order_id;
  Qty size{};
  Price price{};
  uint32_t fee_rate_bps = 0;
  PolymarketMakerFill makers[kMaxMakerOrders];
  size_t maker_count = 0;
};

struct PolymarketOrderEvent {
  std::string_view type;  // "PLACEMENT", "UPDATE", "CANCELLATION"
  std::string_view order_id;
  Qty original_size{};
  Qty size_matched{};
};

class PolymarketMessageParser {
 public:
  explicit PolymarketMessageParser(size_t max_message_bytes = 256 * 1024);
  ~PolymarketMessageParser();
  PolymarketMessageParser(const PolymarketMessageParser&) = delete;
  PolymarketMessageParser& operator=(const PolymarketMessageParser&) = delete;

  PolymarketParseError order_answer(std::string_view json, PolymarketOrderAnswer& out) noexcept;
  PolymarketParseError cancel_answer(std::string_view json, PolymarketCancelAnswer& out) noexcept;

  // Calls on_trade(const PolymarketTradeEvent&) / on_order(const PolymarketOrderEvent&) for each
  // event of the frame; other event types are skipped. Returns the first error (events before it
  // were delivered).
  template <typename OnTrade, typename OnOrder>
  PolymarketParseError each_event(std::string_view json, OnTrade&& on_trade, OnOrder&& on_order) noexcept {
    return each_event_impl(
        json,
        [](void* c, const PolymarketTradeEvent& t) {
          (*static_cast<std::remove_reference_t<OnTrade>*>(c))(t);
        },
        const_cast<void*>(static_cast<const void*>(&on_trade)),
        [](void* c, const PolymarketOrderEvent& o) {
          (*static_cast<std::remove_reference_t<OnOrder>*>(c))(o);
        },
        const_cast<void*>(static_cast<const void*>(&on_order)));
  }

 private:
  using TradeFn = void (*)(void*, const PolymarketTradeEvent&);
  using OrderFn = void (*)(void*, const PolymarketOrderEvent&);
  PolymarketParseError each_event_impl(std::string_view json, TradeFn trade_fn, void* trade_ctx,
                                       OrderFn order_fn, void* order_ctx) noexcept;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx::gateway
