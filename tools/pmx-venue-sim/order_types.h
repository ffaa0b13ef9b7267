// What the order side of pmx-venue-sim exchanges with its network layer (sim_server.cpp): an
// authenticated REST request in, an answer (with the fault to apply to its delivery) and the
// private WebSocket events it caused out. No I/O here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pmx/core/types.h"

#include "order_faults.h"

namespace pmx::sim {

struct OrderRequest {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // the full request path, without the query string
  std::string query;   // without the '?'
  std::string body;    // the exact bytes received
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header named `name` (ASCII case-insensitive); empty when absent.
  std::string_view header(std::string_view name) const noexcept;
};

// One frame for the private channels of authenticated sessions: Kalshi `fill` (its "sid" is
// rewritten to each subscriber's), Polymarket's user channel (sent to sessions whose markets
// include `market`, or all of them when a session listed none).
struct PrivateEvent {
  Venue venue = Venue::kalshi;
  std::string market;  // Kalshi ticker; Polymarket condition id
  std::string frame;
  int64_t delay_ms = 0;  // sent this long after the request (Polymarket MINED/CONFIRMED)
};

struct OrderReply {
  OrderReply() = default;
  OrderReply(int status_code, std::string json, OrderFault applied = OrderFault::none)
      : status(status_code), body(std::move(json)), fault(applied) {}

  int status = 200;
  std::string body;                     // application/json
  OrderFault fault = OrderFault::none;  // drop: close without answering; timeout: hold the answer
  std::vector<PrivateEvent> events;
};

// Fixed-point text: price ticks ($0.0001) as "0.5600"; counts in 0.01 as "10.00"; micro-dollars
// as "12.3400" (4 decimals at least, 6 when needed).
std::string price_text(int64_t ticks);
std::string count_text(int64_t hundredths);
std::string money_text(int64_t micros);
// A UUID-shaped id, unique per (kind, n) and the same on every run: kind 1 orders, 2 trades, ...
std::string sim_uuid(uint32_t kind, uint64_t n);
// Floor division (towards minus infinity) for possibly negative amounts.
int64_t floor_div(int64_t a, int64_t b) noexcept;

}  // namespace pmx::sim
