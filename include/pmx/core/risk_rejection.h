// risk_rejection(): the report for an order refused inside pmx before it reached a venue (the
// gateway stage, the recording backend, the live backend and the strategy all refuse this way).
#pragma once

#include "pmx/core/order.h"

namespace pmx {

// Rejected by risk at `now`, naming the intent's order. Not a venue answer, so it leaves the API
// error-rate window alone.
inline ExecReport risk_rejection(const OrderIntent& intent, WallNanos now) noexcept {
  ExecReport r;
  r.intent_id = intent.intent_id;
  r.instrument = intent.instrument;
  r.venue = intent.venue;
  r.side = intent.side;
  r.outcome = intent.outcome;
  r.type = ExecType::rejected;
  r.reason = RejectReason::risk;
  r.ts = now;
  r.group_id = intent.group_id;
  return r;
}

}  // namespace pmx
