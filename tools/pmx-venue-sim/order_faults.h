// Fault injection on the order side of pmx-venue-sim (the trading REST endpoints of both venues),
// seeded and deterministic: the same flags and the same sequence of requests give the same faults.
//
// Order requests (Kalshi /portfolio/*, Polymarket POST/DELETE /order) are counted n = 1, 2, ...
// once their authentication passed (a bad signature is always a plain 401). For each request the
// first rule that fires decides its fate:
//   too_many_requests  (--fault-429-every N, n % N == 0)  429 with the venue's body; not acted on
//   server_error       (--fault-5xx-every N)               503 with the venue's body; not acted on
//   reject             (--fault-reject-every N)            the venue's reject body; not acted on
//   drop               (--fault-drop-every N)              acted on, then the connection is closed
//                                                          without an answer (outcome unknown)
//   timeout            (--fault-timeout-every N)           acted on, the answer held past the
//                                                          client's timeout (--fault-timeout-ms)
// --fault-partial-fill caps the marketable part of every order at half its size (0.01 steps).
// --fault-trade-fail-every N: every Nth Polymarket trade ends FAILED instead of MINED/CONFIRMED
// (and its fill is reversed in the account).
// --fault-storm SEED turns every rule on at moderate rates drawn from a SplitMix64 stream seeded
// with SEED (per request: 429 6%, 5xx 4%, reject 4%, drop 3%, timeout 2%; trade FAILED 5%;
// partial fills on).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace pmx::sim {

enum class OrderFault : uint8_t { none, too_many_requests, server_error, reject, drop, timeout };

std::string_view to_string(OrderFault fault) noexcept;

struct OrderFaultOptions {
  uint64_t too_many_requests_every = 0;
  uint64_t server_error_every = 0;
  uint64_t reject_every = 0;
  uint64_t drop_every = 0;
  uint64_t timeout_every = 0;
  uint64_t trade_fail_every = 0;
  bool partial_fill = false;
  bool storm = false;
  uint64_t storm_seed = 0;
  std::chrono::milliseconds timeout_hold{35'000};  // past HttpClient's default 30 s
};

struct OrderFaultCounts {
  uint64_t requests = 0;
  uint64_t too_many_requests = 0;
  uint64_t server_error = 0;
  uint64_t reject = 0;
  uint64_t drop = 0;
  uint64_t timeout = 0;
  uint64_t partial_fill = 0;
  uint64_t trade_fail = 0;
};

class OrderFaults {
 public:
  explicit OrderFaults(OrderFaultOptions options = {});

  // The fault for the next order request (counts it). Only requests that place an order can be
  // rejected (`can_reject`); for the others the reject rule does not fire.
  OrderFault next_request(bool can_reject = true);
  // True when this marketable order is to be capped at half (counts it when true).
  bool partial_fill();
  // True when the next Polymarket trade is to fail (counts it when true).
  bool trade_fails();

  const OrderFaultOptions& options() const noexcept { return options_; }
  const OrderFaultCounts& counts() const noexcept { return counts_; }
  // One line: "order faults: requests 12, 429 2, 5xx 1, reject 0, drop 1, timeout 0, ..."
  std::string summary() const;

 private:
  uint64_t next_random();
  bool chance_percent(uint64_t percent);

  OrderFaultOptions options_;
  OrderFaultCounts counts_;
  uint64_t trades_ = 0;
  uint64_t rng_state_ = 0;
};

}  // namespace pmx::sim
