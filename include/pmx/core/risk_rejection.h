// risk_rejection(): the report for an order refused inside pmx before it reached a venue (the
// gateway stage, the recording backend, the live backend and the strategy all refuse this way).
#pragma once

#include "pmx/core/order.h"

namespace pmx {

// Rejected by risk at `now`, naming the intent's order. Not a venue answer, so it leaves the API
// error-rate window alone.
inline ExecReport risk_rejection(const OrderIntent& intent, WallNanos now) noexcept {
  ExecReport r = report_for(intent, ExecType::rejected, now);
  r.reason = RejectReason::risk;
  return r;
}

}  // namespace pmx
