#include "pmx/gateway/live/retry_policy.h"

#include <algorithm>

namespace pmx::gateway {

void RetryPolicy::sent(RequestState& r) noexcept {
  if (r.rate_limited + r.errors > 0) ++counters_.resends;
  r.in_flight = true;
  r.wanted = false;
}

bool RetryPolicy::not_queued(RequestState& r, int64_t now_ns) noexcept {
  ++counters_.not_queued;
  return schedule_error(r, now_ns);
}

bool RetryPolicy::retry_unusable(RequestState& r, int64_t now_ns) noexcept {
  ++counters_.unusable;
  return schedule_error(r, now_ns);
}

bool RetryPolicy::schedule_error(RequestState& r, int64_t now_ns) noexcept {
  r.in_flight = false;
  ++r.errors;
  if (r.errors > options_.max_errors) {
    r.wanted = false;
    return false;
  }
  r.wanted = true;
  r.next_attempt_ns = now_ns + (options_.retry_delay_ns << std::min<int>(r.errors - 1, 20));
  return true;
}

RetryVerdict RetryPolicy::on_completion(RequestState& r, const HttpCompletion& c, int64_t now_ns) noexcept {
  if (c.outcome != HttpOutcome::response || c.status >= 500) {
    const bool server = c.outcome == HttpOutcome::response;
    if (c.request_sent) r.maybe_arrived = true;
    ++(server ? counters_.server_errors : counters_.transport_errors);
    if (schedule_error(r, now_ns)) return RetryVerdict::retry;
    return server ? RetryVerdict::give_up_venue : RetryVerdict::give_up_no_answer;
  }
  if (c.status == 429) {
    ++counters_.rate_limited;
    r.in_flight = false;
    ++r.rate_limited;
    ++consecutive_rate_limited_;
    const uint32_t doublings = std::min<uint32_t>(consecutive_rate_limited_ - 1, 30);
    const int64_t delay = std::min(options_.backoff_max_ns, options_.backoff_initial_ns << doublings);
    write_hold_until_ = std::max(write_hold_until_, now_ns + delay);
    if (r.rate_limited >= options_.max_rate_limited) {
      r.wanted = false;
      return RetryVerdict::give_up_rate_limited;
    }
    r.wanted = true;
    r.next_attempt_ns = write_hold_until_;
    return RetryVerdict::retry;
  }
  consecutive_rate_limited_ = 0;
  r.in_flight = false;
  return RetryVerdict::answered;
}

}  // namespace pmx::gateway
