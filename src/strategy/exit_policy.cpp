#include "pmx/strategy/exit_policy.h"

namespace pmx {

ExitDecision decide_exit(Price entry_price, Level best_bid, WallNanos entry_time, WallNanos now,
                         bool thesis_invalidated, const ExitPolicy& policy) noexcept {
  const bool has_bid = best_bid.valid();
  ExitReason reason = ExitReason::none;
  if (thesis_invalidated) {
    reason = ExitReason::thesis_invalidated;
  } else if (has_bid && policy.stop_loss.ticks > 0 && best_bid.price <= entry_price - policy.stop_loss) {
    reason = ExitReason::stop_loss;
  } else if (has_bid && policy.take_profit.ticks > 0 && best_bid.price >= entry_price + policy.take_profit) {
    reason = ExitReason::take_profit;
  } else if (policy.timeout_ns > 0 && now - entry_time >= policy.timeout_ns) {
    reason = ExitReason::timeout;
  }
  if (reason == ExitReason::none) return ExitDecision{};
  if (!has_bid) return ExitDecision{ExitAction::wait_for_bid, reason, Price{}, Qty{}};
  return ExitDecision{ExitAction::exit, reason, best_bid.price, best_bid.qty};
}

}  // namespace pmx
