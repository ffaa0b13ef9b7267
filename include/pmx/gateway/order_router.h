// How an OrderIntent is worked (the spec's routing, ExecutionConfig):
//
//   arbitrage leg (kIntentArbitrageLeg)     fill-or-kill at the protected limit; the gateway unwinds
//                                           the other legs if one fails
//   urgent, or notional < small_order_usd   marketable limit IOC (Kalshi has no market orders
//                                           since 2026-02-11)
//   notional < medium_order_usd             limit at best offer + limit_offset_pct, resting, cancelled
//                                           after limit_timeout_s (re-priced when the book moves away)
//   larger                                  TWAP: twap_chunks marketable IOC chunks twap_interval_s apart
//
// Slippage protection: no route ever pays more than max_slippage_pct beyond the decision price
// (nor beyond the intent's own limit), and an order that would take liquidity needs at least
// min_depth_usd of depth inside that band — or its own notional when that is smaller, so that a
// $5 order is not refused for want of $100 of depth.
//
// Pure and noexcept: the gateway passes in what it sees of the book.
#pragma once

#include <cstdint>

#include "pmx/book/book_types.h"
#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/core/types.h"

namespace pmx {

enum class RouteKind : uint8_t { marketable_ioc = 0, limit_with_timeout, twap, fill_or_kill };

struct RouteOptions {
  Money small_order{Money::dollars(50)};
  Money medium_order{Money::dollars(500)};
  double limit_offset_pct = 0.1;
  int64_t limit_timeout_ns = 30'000'000'000;
  int twap_chunks = 5;
  int64_t twap_interval_ns = 60'000'000'000;
  double max_slippage_pct = 2.0;
  Money min_depth{Money::dollars(100)};

  static RouteOptions from(const ExecutionConfig& c) noexcept;
};

struct RoutePlan {
  RouteKind kind = RouteKind::marketable_ioc;
  RejectReason refusal = RejectReason::none;  // none: route it
  Price price{};                              // child order limit (outcome terms)
  Price band_limit{};                         // the worst price any child may take
  int chunks = 1;
  Qty chunk_qty{};  // the last chunk takes the remainder
};

// The protected limit: the intent's limit, tightened to max_slippage_pct from the decision price.
Price protected_limit(const OrderIntent& intent, double max_slippage_pct) noexcept;

// `best_offer`: the best level a taker of this intent's side and outcome sees (invalid if none);
// `depth_in_band`: the notional takeable at or better than the protected limit; `tick`: the
// market's tick for the resting price.
RoutePlan plan_route(const OrderIntent& intent, Level best_offer, Money depth_in_band, Price tick,
                     const RouteOptions& options) noexcept;

constexpr const char* to_string(RouteKind k) noexcept {
  constexpr const char* kNames[] = {"marketable_ioc", "limit_with_timeout", "twap", "fill_or_kill"};
  return kNames[static_cast<int>(k)];
}

}  // namespace pmx
