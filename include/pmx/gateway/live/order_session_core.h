// OrderSessionCore: the order flow both live venue sessions (KalshiOrderSession,
// PolymarketOrderSession) share, held by each as a member (no virtual interface): the order
// table, the HTTP session and its retry policies, the request buffer, and the steps that do not
// depend on the venue —
//
//   open ─► want the order ─► send (venue builds the bytes; core submits at order priority)
//   HTTP answers ─► by serial ─► the venue's on_order / on_cancel / on_lookup (after the verdict)
//   pump ─► resend what is due, expire what outlived its grace
//
// A request's tag is (serial << 2 | kind), so an answer finds its order (or none: it ended).
// The venue keeps what differs: how an intent becomes bytes, how an answer reads, its channel.
//
// Lookups (a venue that can read an order back by its client order id: Kalshi) are reads: they
// go at HttpPriority::read, behind every order and cancel, under their own RetryPolicy (a 429 on
// a read holds reads, not writes: the venues keep separate read and write buckets). Bounded: a
// lookup that keeps failing or keeps missing the order ends it failed (RejectReason::timeout,
// counted in lookups_given_up) after its retry budget.
//
// Single-threaded (the gateway thread). noexcept after construction, allocation-free.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "pmx/core/order.h"
#include "pmx/gateway/gateway_error.h"
#include "pmx/gateway/live/http_session.h"
#include "pmx/gateway/live/live_order_table.h"
#include "pmx/gateway/live/retry_policy.h"

namespace pmx::gateway {

// What both sessions count the same way (each venue's counters extend it).
struct OrderSessionCounters {
  uint64_t orders_sent = 0;  // POSTs handed to the HTTP session (resends included)
  uint64_t cancels_sent = 0;
  uint64_t rejected_by_venue = 0;
  uint64_t build_errors = 0;  // the intent could not be expressed as a request
  uint64_t parse_errors = 0;
  uint64_t cancels_dropped = 0;  // given up after retries; the order keeps working
  uint64_t ws_connects = 0;
  uint64_t ws_disconnects = 0;    // each one may have lost fills: reconcile
  uint64_t lookups_sent = 0;      // reads of an order at the venue (resends included)
  uint64_t lookups_found = 0;     // answers that listed the order
  uint64_t lookups_missed = 0;    // answers that did not list it
  uint64_t lookups_given_up = 0;  // orders ended failed because the lookup never succeeded
};

// `configured` unless 0, else the wall clock in ms: a session epoch that differs per start.
uint64_t session_epoch(uint64_t configured) noexcept;

class OrderSessionCore {
 public:
  static constexpr size_t kRequestBytes = 4096;

  // `counters` (the venue session's) must outlive the core. Start-up: allocates, may throw.
  OrderSessionCore(const LiveOrderTableOptions& table, const HttpSessionOptions& http,
                   const LiveRetryOptions& retry, OrderSessionCounters& counters);
  // With lookups: `read_retry` governs them, and an order given up on errors after an attempt
  // that may have arrived is looked up (LookupCause::unanswered) instead of failed at once.
  OrderSessionCore(const LiveOrderTableOptions& table, const HttpSessionOptions& http,
                   const LiveRetryOptions& retry, const LiveRetryOptions& read_retry,
                   OrderSessionCounters& counters);

  // A table slot for `intent`, or nullptr with the intent rejected (RejectReason::risk).
  LiveOrder* open(const OrderIntent& intent, int64_t now_ns) noexcept;
  // Makes the order's first attempt due now.
  static void want_order(LiveOrder& order, int64_t now_ns) noexcept {
    order.order.wanted = true;
    order.order.next_attempt_ns = now_ns;
  }
  // Makes a lookup of the order due now (unless one is already wanted or in flight).
  static void want_lookup(LiveOrder& order, LookupCause cause, int64_t now_ns) noexcept {
    order.lookup_cause = cause;
    if (order.lookup.wanted || order.lookup.in_flight) return;
    order.lookup = RequestState{};
    order.lookup.wanted = true;
    order.lookup.next_attempt_ns = now_ns;
  }
  // The order to cancel now, or nullptr when there is none or its cancel is already under way.
  LiveOrder* want_cancel(uint64_t intent_id, int64_t now_ns) noexcept;

  bool order_due(const LiveOrder& order, int64_t now_ns) const noexcept {
    return retry_.due(order.order, now_ns);
  }
  // A cancel waits for the venue's order id (it names the order).
  bool cancel_due(const LiveOrder& order, int64_t now_ns) const noexcept {
    return !order.venue_id.empty() && retry_.due(order.cancel, now_ns);
  }
  bool lookup_due(const LiveOrder& order, int64_t now_ns) const noexcept {
    return read_retry_.due(order.lookup, now_ns);
  }
  std::span<char> request_buffer() noexcept { return {request_.get(), kRequestBytes}; }

  // Sends the order request the venue built into request_buffer(); a build error rejects the
  // order (RejectReason::risk), a full queue retries later or fails it once out of attempts.
  void send_order(LiveOrder& order, const RequestResult& built, int64_t now_ns) noexcept;
  // The same for a cancel; a cancel that cannot be sent is dropped (counted), the order lives.
  void send_cancel(LiveOrder& order, const RequestResult& built, int64_t now_ns) noexcept;
  // The same for a lookup (read priority); one that cannot be sent is retried, then given up.
  void send_lookup(LiveOrder& order, const RequestResult& built, int64_t now_ns) noexcept;

  // Polls HTTP; each answer whose order is still open goes to on_order(LiveOrder&, const
  // HttpCompletion&), on_cancel(...) or on_lookup(...).
  template <typename OnOrder, typename OnCancel, typename OnLookup>
  void poll_answers(int64_t now_ns, OnOrder&& on_order, OnCancel&& on_cancel, OnLookup&& on_lookup) noexcept {
    http_.poll(now_ns, [&](const HttpCompletion& c) {
      LiveOrder* order = table_.by_serial(c.tag >> 2);
      if (order == nullptr) return;  // the order ended meanwhile (e.g. the channel's fills completed it)
      switch (static_cast<Kind>(c.tag & 3)) {
        case Kind::order:
          return on_order(*order, c);
        case Kind::cancel:
          return on_cancel(*order, c);
        case Kind::lookup:
          return on_lookup(*order, c);
      }
    });
  }
  template <typename OnOrder, typename OnCancel>
  void poll_answers(int64_t now_ns, OnOrder&& on_order, OnCancel&& on_cancel) noexcept {
    poll_answers(now_ns, on_order, on_cancel, [](LiveOrder&, const HttpCompletion&) {});
  }
  // Calls send_order(LiveOrder&) / send_cancel(LiveOrder&) / send_lookup(LiveOrder&) for every
  // wanted request, then expires the orders whose grace is over.
  template <typename SendOrder, typename SendCancel, typename SendLookup>
  void resend_due(int64_t now_ns, SendOrder&& send_order, SendCancel&& send_cancel,
                  SendLookup&& send_lookup) noexcept {
    table_.for_each_open([&](LiveOrder& o) {
      const uint64_t serial = o.serial;
      if (o.order.wanted) send_order(o);
      if (o.serial == serial && o.cancel.wanted) send_cancel(o);
      if (o.serial == serial && o.lookup.wanted) send_lookup(o);
    });
    table_.expire(now_ns);
  }
  template <typename SendOrder, typename SendCancel>
  void resend_due(int64_t now_ns, SendOrder&& send_order, SendCancel&& send_cancel) noexcept {
    resend_due(now_ns, send_order, send_cancel, [](LiveOrder&) {});
  }

  // The retry verdict on an order answer: true when the venue answered (the caller reads it);
  // false when it is being retried or has ended (rate limited, venue error, no answer).
  bool order_answered(LiveOrder& order, const HttpCompletion& c, int64_t now_ns) noexcept;
  // The same for a cancel answer; a cancel given up is dropped (counted).
  bool cancel_answered(LiveOrder& order, const HttpCompletion& c, int64_t now_ns) noexcept;
  // The same for a lookup answer; a lookup given up fails the order (lookups_given_up).
  bool lookup_answered(LiveOrder& order, const HttpCompletion& c, int64_t now_ns) noexcept;
  // A lookup answer that could not be used (unreadable, or the order not listed where it must
  // be): retried, or the order failed once out of attempts.
  void lookup_unusable(LiveOrder& order, int64_t now_ns) noexcept;

  LiveOrderTable& table() noexcept { return table_; }
  const LiveOrderTable& table() const noexcept { return table_; }
  HttpSession& http() noexcept { return http_; }
  const HttpSession& http() const noexcept { return http_; }
  const RetryPolicy& retry() const noexcept { return retry_; }
  const RetryPolicy& read_retry() const noexcept { return read_retry_; }
  bool lookups_enabled() const noexcept { return lookups_; }

 private:
  enum class Kind : uint8_t { order = 0, cancel = 1, lookup = 2 };
  static uint64_t tag_of(uint64_t serial, Kind kind) noexcept {
    return serial << 2 | static_cast<uint64_t>(kind);
  }
  void give_up_lookup(LiveOrder& order, int64_t now_ns) noexcept;

  LiveOrderTable table_;
  HttpSession http_;
  RetryPolicy retry_;
  RetryPolicy read_retry_;
  bool lookups_ = false;
  std::unique_ptr<char[]> request_;
  OrderSessionCounters& counters_;
};

}  // namespace pmx::gateway
