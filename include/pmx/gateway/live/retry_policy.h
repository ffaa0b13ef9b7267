// RetryPolicy: the retry and back-off discipline both live venue sessions apply to their writes
// (orders and cancels), in one place:
//
//   answer              verdict                 what happens to the request
//   ------------------  ----------------------  -----------------------------------------------
//   2xx, 4xx (not 429)  answered                the session reads the answer; 429 run reset
//   429                 retry / give_up_rate... every write of the session holds 1 s, 2 s, 4 s
//                                               ... 60 s (the bucket is the account's, so one
//                                               429 holds them all); given up after
//                                               max_rate_limited 429s of this request
//   5xx                 retry / give_up_venue   resent after retry_delay, doubling, up to
//   timeout, dropped    retry / give_up_no_...  max_errors times
//   connection, bad
//   bytes
//
// Resends carry the same idempotency key (Kalshi's client_order_id; Polymarket's identical
// signed order), so a request that did arrive cannot make a second order. The session keeps one
// RequestState per request (live_order_table.h) and asks due() before sending it.
//
// Single-threaded (the gateway thread); noexcept; no allocation.
#pragma once

#include <cstdint>

#include "pmx/gateway/live/http_session.h"
#include "pmx/gateway/live/live_order_table.h"

namespace pmx::gateway {

struct LiveRetryOptions {
  int64_t request_timeout_ns = 5'000'000'000;
  int64_t backoff_initial_ns = 1'000'000'000;  // 429: 1 s, doubling
  int64_t backoff_max_ns = 60'000'000'000;     // ... up to 60 s
  uint16_t max_rate_limited = 8;               // 1+2+4+...+60: about 2 minutes, then give up
  int64_t retry_delay_ns = 200'000'000;        // 5xx / timeout / dropped connection, doubling
  uint16_t max_errors = 3;
};

enum class RetryVerdict : uint8_t {
  answered = 0,          // a venue answer to read (2xx, or a 4xx other than 429)
  retry,                 // scheduled again (RequestState::wanted, next_attempt_ns)
  give_up_rate_limited,  // too many 429s: reject with RejectReason::rate_limited
  give_up_venue,         // too many 5xx: fail with RejectReason::venue
  give_up_no_answer,     // too many timeouts / dropped connections: fail with RejectReason::timeout
};

struct RetryCounters {
  uint64_t rate_limited = 0;      // 429 answers
  uint64_t server_errors = 0;     // 5xx answers
  uint64_t transport_errors = 0;  // timeouts, dropped connections, malformed answers
  uint64_t not_queued = 0;        // the HTTP session refused the request (queue full)
  uint64_t resends = 0;           // requests sent again after a 429 or an error
  uint64_t unusable = 0;          // answers the session could not use (retry_unusable)
};

class RetryPolicy {
 public:
  explicit RetryPolicy(LiveRetryOptions options = {}) noexcept : options_(options) {}

  // True when `r` is wanted, not in flight and both its own time and the account-wide 429 hold
  // have passed.
  bool due(const RequestState& r, int64_t now_ns) const noexcept {
    return r.wanted && !r.in_flight && now_ns >= r.next_attempt_ns && now_ns >= write_hold_until_;
  }
  int64_t deadline(int64_t now_ns) const noexcept { return now_ns + options_.request_timeout_ns; }

  // The request was handed to the HTTP session.
  void sent(RequestState& r) noexcept;
  // The HTTP session refused it (queue full): like a transport error. False: give up.
  bool not_queued(RequestState& r, int64_t now_ns) noexcept;
  // Reads a completion of `r`'s request; anything but `answered` has been scheduled or given up.
  RetryVerdict on_completion(RequestState& r, const HttpCompletion& c, int64_t now_ns) noexcept;
  // An answer the session could not use (unreadable, or a lookup that did not list the order):
  // scheduled again like a transport error. False: out of attempts (r no longer wanted).
  bool retry_unusable(RequestState& r, int64_t now_ns) noexcept;

  int64_t write_hold_until() const noexcept { return write_hold_until_; }
  const RetryCounters& counters() const noexcept { return counters_; }
  const LiveRetryOptions& options() const noexcept { return options_; }

 private:
  bool schedule_error(RequestState& r, int64_t now_ns) noexcept;

  LiveRetryOptions options_;
  uint32_t consecutive_rate_limited_ = 0;
  int64_t write_hold_until_ = 0;  // no write leaves before this (429 back-off)
  RetryCounters counters_;
};

}  // namespace pmx::gateway
