#include "pmx/gateway/live/order_session_core.h"

#include <chrono>

namespace pmx::gateway {

uint64_t session_epoch(uint64_t configured) noexcept {
  if (configured != 0) return configured;
  using namespace std::chrono;
  return static_cast<uint64_t>(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

OrderSessionCore::OrderSessionCore(const LiveOrderTableOptions& table, const HttpSessionOptions& http,
                                   const LiveRetryOptions& retry, OrderSessionCounters& counters)
    : table_(table),
      http_(http),
      retry_(retry),
      read_retry_(retry),
      request_(std::make_unique<char[]>(kRequestBytes)),
      counters_(counters) {}

OrderSessionCore::OrderSessionCore(const LiveOrderTableOptions& table, const HttpSessionOptions& http,
                                   const LiveRetryOptions& retry, const LiveRetryOptions& read_retry,
                                   OrderSessionCounters& counters)
    : OrderSessionCore(table, http, retry, counters) {
  read_retry_ = RetryPolicy(read_retry);
  lookups_ = true;
}

LiveOrder* OrderSessionCore::open(const OrderIntent& intent, int64_t now_ns) noexcept {
  LiveOrder* order = table_.open(intent);
  if (order == nullptr) table_.reject_intent(intent, RejectReason::risk, now_ns);
  return order;
}

LiveOrder* OrderSessionCore::want_cancel(uint64_t intent_id, int64_t now_ns) noexcept {
  LiveOrder* order = table_.by_intent(intent_id);
  if (order == nullptr || order->final_known || order->cancel.wanted || order->cancel.in_flight)
    return nullptr;
  order->cancel.wanted = true;
  order->cancel.next_attempt_ns = now_ns;
  return order;
}

void OrderSessionCore::send_order(LiveOrder& order, const RequestResult& built, int64_t now_ns) noexcept {
  if (!built.ok()) {
    ++counters_.build_errors;
    table_.reject(order, RejectReason::risk, now_ns);
    return;
  }
  if (!http_.submit(HttpPriority::order, {request_.get(), built.size}, tag_of(order.serial, Kind::order),
                    retry_.deadline(now_ns))) {
    if (!retry_.not_queued(order.order, now_ns)) table_.fail(order, RejectReason::risk, now_ns);
    return;
  }
  ++counters_.orders_sent;
  retry_.sent(order.order);
}

void OrderSessionCore::send_cancel(LiveOrder& order, const RequestResult& built, int64_t now_ns) noexcept {
  if (!built.ok()) {
    ++counters_.build_errors;
    ++counters_.cancels_dropped;
    order.cancel.wanted = false;
    return;
  }
  if (!http_.submit(HttpPriority::order, {request_.get(), built.size}, tag_of(order.serial, Kind::cancel),
                    retry_.deadline(now_ns))) {
    if (!retry_.not_queued(order.cancel, now_ns)) ++counters_.cancels_dropped;
    return;
  }
  ++counters_.cancels_sent;
  retry_.sent(order.cancel);
}

void OrderSessionCore::send_lookup(LiveOrder& order, const RequestResult& built, int64_t now_ns) noexcept {
  if (!built.ok()) {
    ++counters_.build_errors;
    return give_up_lookup(order, now_ns);
  }
  if (!http_.submit(HttpPriority::read, {request_.get(), built.size}, tag_of(order.serial, Kind::lookup),
                    read_retry_.deadline(now_ns))) {
    if (!read_retry_.not_queued(order.lookup, now_ns)) give_up_lookup(order, now_ns);
    return;
  }
  ++counters_.lookups_sent;
  read_retry_.sent(order.lookup);
}

bool OrderSessionCore::lookup_answered(LiveOrder& order, const HttpCompletion& c, int64_t now_ns) noexcept {
  const RetryVerdict verdict = read_retry_.on_completion(order.lookup, c, now_ns);
  if (verdict == RetryVerdict::answered) return true;
  if (verdict != RetryVerdict::retry) give_up_lookup(order, now_ns);
  return false;
}

void OrderSessionCore::lookup_unusable(LiveOrder& order, int64_t now_ns) noexcept {
  if (!read_retry_.retry_unusable(order.lookup, now_ns)) give_up_lookup(order, now_ns);
}

// The order's state at the venue stays unknown: it ends failed so that the strategy is not left
// waiting, and the count tells reconciliation (positions, open orders) to look.
void OrderSessionCore::give_up_lookup(LiveOrder& order, int64_t now_ns) noexcept {
  ++counters_.lookups_given_up;
  order.lookup.wanted = false;
  table_.fail(order, RejectReason::timeout, now_ns);
}

bool OrderSessionCore::order_answered(LiveOrder& order, const HttpCompletion& c, int64_t now_ns) noexcept {
  switch (retry_.on_completion(order.order, c, now_ns)) {
    case RetryVerdict::answered:
      return true;
    case RetryVerdict::retry:
      return false;
    case RetryVerdict::give_up_rate_limited:
      table_.reject(order, RejectReason::rate_limited, now_ns);
      return false;
    case RetryVerdict::give_up_venue:
    case RetryVerdict::give_up_no_answer:
      if (lookups_ && order.order.maybe_arrived) {  // an attempt may have made an order: find out
        want_lookup(order, LookupCause::unanswered, now_ns);
        return false;
      }
      table_.fail(order, c.outcome == HttpOutcome::response ? RejectReason::venue : RejectReason::timeout,
                  now_ns);
      return false;
  }
  return false;
}

bool OrderSessionCore::cancel_answered(LiveOrder& order, const HttpCompletion& c, int64_t now_ns) noexcept {
  const RetryVerdict verdict = retry_.on_completion(order.cancel, c, now_ns);
  if (verdict == RetryVerdict::retry) return false;
  if (verdict != RetryVerdict::answered) {
    ++counters_.cancels_dropped;
    return false;
  }
  return true;
}

}  // namespace pmx::gateway
