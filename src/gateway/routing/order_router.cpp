#include "pmx/gateway/order_router.h"

#include <algorithm>
#include <cmath>

namespace pmx {

RouteOptions RouteOptions::from(const ExecutionConfig& c) noexcept {
  RouteOptions o;
  o.small_order = c.small_order_usd;
  o.medium_order = c.medium_order_usd;
  o.limit_offset_pct = c.limit_offset_pct;
  o.limit_timeout_ns = int64_t{c.limit_timeout_s} * 1'000'000'000;
  o.twap_chunks = std::max(1, c.twap_chunks);
  o.twap_interval_ns = int64_t{c.twap_interval_s} * 1'000'000'000;
  o.max_slippage_pct = c.max_slippage_pct;
  o.min_depth = c.min_depth_usd;
  return o;
}

Price protected_limit(const OrderIntent& intent, double max_slippage_pct) noexcept {
  const double band = intent.decision_price.ticks * max_slippage_pct / 100.0;
  if (intent.side == Side::buy) {
    const Price cap{static_cast<int32_t>(std::floor(intent.decision_price.ticks + band))};
    return std::min({intent.limit_price, cap, Price::one_dollar()});
  }
  const Price floor_price{static_cast<int32_t>(std::ceil(intent.decision_price.ticks - band))};
  return std::max({intent.limit_price, floor_price, Price{}});
}

RoutePlan plan_route(const OrderIntent& intent, Level best_offer, Money depth_in_band, Price tick,
                     const RouteOptions& options) noexcept {
  RoutePlan plan;
  plan.band_limit = protected_limit(intent, options.max_slippage_pct);
  plan.price = plan.band_limit;
  plan.chunk_qty = intent.qty;
  if (intent.qty.units <= 0 || intent.limit_price.ticks <= 0 || intent.limit_price >= Price::one_dollar()) {
    plan.refusal = RejectReason::risk;
    return plan;
  }
  const Money order_notional = notional(intent.limit_price, intent.qty);
  const Money depth_needed = std::min(options.min_depth, order_notional);

  if ((intent.flags & kIntentArbitrageLeg) != 0) {
    plan.kind = RouteKind::fill_or_kill;
  } else if ((intent.flags & kIntentUrgent) != 0 || order_notional < options.small_order) {
    plan.kind = RouteKind::marketable_ioc;
  } else if (order_notional < options.medium_order) {
    plan.kind = RouteKind::limit_with_timeout;
    if (best_offer.valid()) {  // best offer + offset, on the tick, inside the band
      const double offset = best_offer.price.ticks * options.limit_offset_pct / 100.0;
      const int32_t t = std::max(tick.ticks, 1);
      int32_t p = 0;
      if (intent.side == Side::buy) {
        p = static_cast<int32_t>(std::floor((best_offer.price.ticks + offset) / t)) * t;
        plan.price = std::min(Price{p}, plan.band_limit);
      } else {
        p = static_cast<int32_t>(std::ceil((best_offer.price.ticks - offset) / t)) * t;
        plan.price = std::max(Price{p}, plan.band_limit);
      }
    }
    return plan;  // a resting order needs no depth now
  } else {
    plan.kind = RouteKind::twap;
    plan.chunks = options.twap_chunks;
    plan.chunk_qty = Qty{intent.qty.units / plan.chunks};
    if (plan.chunk_qty.units == 0) {
      plan.chunks = 1;
      plan.chunk_qty = intent.qty;
    }
    // Each chunk needs depth for itself only.
    const Money chunk_notional = notional(intent.limit_price, plan.chunk_qty);
    if (depth_in_band < std::min(options.min_depth, chunk_notional))
      plan.refusal = RejectReason::insufficient_depth;
    return plan;
  }
  if (!best_offer.valid() || depth_in_band < depth_needed) plan.refusal = RejectReason::insufficient_depth;
  return plan;
}

}  // namespace pmx
