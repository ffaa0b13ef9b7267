// Kalshi answers the order session reads on the gateway thread (REFERENCES.md §1.8, §2.5, §2.6),
// parsed with simdjson On-Demand from a padded copy owned by the parser:
//
//   POST /portfolio/events/orders  201 {"order_id","client_order_id","fill_count":"0.00",
//                                       "remaining_count":"10.00","average_fill_price"?,
//                                       "average_fee_paid"?,"ts_ms"}
//   DELETE .../events/orders/{id}  200 {"order_id","client_order_id","reduced_by":"10.00","ts_ms"}
//   WS `fill`                          {"type":"fill","sid":13,"msg":{"trade_id","order_id",
//                                       "market_ticker","is_taker","yes_price_dollars","count_fp",
//                                       "fee_cost","client_order_id"?,...}}
//   GET /portfolio/orders          200 {"orders":[{"order_id","client_order_id","status":"resting"|
//                                       "canceled"|"executed","fill_count_fp","remaining_count_fp",
//                                       "taker_fees_dollars","maker_fees_dollars",...}],"cursor"}
//                                  (the legacy Order object, REFERENCES.md §2.5; find_order picks
//                                  the one order whose client_order_id is asked for)
//
// Fields may come in any order; unknown fields are skipped. Views in the results point into the
// parser's buffer and stay valid until its next parse. noexcept; no allocation after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "pmx/core/types.h"

namespace pmx::gateway {

enum class KalshiParseError : uint8_t {
  ok = 0,
  too_large,      // longer than the parser's buffer
  invalid_json,   // not JSON, or not an object where one is required
  missing_field,  // a required field is absent
  bad_value,      // a field of the wrong type, or a number / decimal that does not parse
  not_a_fill,     // a channel message of another type (subscribed, ok, error...)
  not_listed,     // find_order: no order of the list has the client order id
};
std::string_view to_string(KalshiParseError e) noexcept;

struct KalshiOrderAnswer {
  std::string_view order_id;
  std::string_view client_order_id;
  Qty fill_count{};
  Qty remaining_count{};
  Price average_fill_price{};  // YES price; zero when absent
  Money average_fee_paid{};    // per contract; zero when absent
};

struct KalshiCancelAnswer {
  std::string_view order_id;
  std::string_view client_order_id;
  Qty reduced_by{};
};

struct KalshiFill {
  std::string_view trade_id;
  std::string_view order_id;
  std::string_view client_order_id;  // empty when absent
  std::string_view market_ticker;
  Price yes_price{};
  Qty count{};
  Money fee{};
  bool is_taker = true;
};

// One order of GET /portfolio/orders, as find_order reads it.
struct KalshiListedOrder {
  enum class Status : uint8_t { resting, canceled, executed };
  std::string_view order_id;
  std::string_view client_order_id;
  Status status = Status::resting;
  Qty fill_count{};
  Qty remaining_count{};
  Money fees{};  // taker + maker fees paid
};

class KalshiMessageParser {
 public:
  explicit KalshiMessageParser(size_t max_message_bytes = 64 * 1024);
  ~KalshiMessageParser();
  KalshiMessageParser(const KalshiMessageParser&) = delete;
  KalshiMessageParser& operator=(const KalshiMessageParser&) = delete;

  KalshiParseError order_answer(std::string_view json, KalshiOrderAnswer& out) noexcept;
  KalshiParseError cancel_answer(std::string_view json, KalshiCancelAnswer& out) noexcept;
  KalshiParseError fill(std::string_view json, KalshiFill& out) noexcept;
  // The order of the list whose client_order_id is `client_order_id` (not_listed when none).
  KalshiParseError find_order(std::string_view json, std::string_view client_order_id,
                              KalshiListedOrder& out) noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmx::gateway
