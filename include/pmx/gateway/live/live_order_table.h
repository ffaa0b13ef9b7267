// LiveOrderTable: the orders a live venue session has in hand, and the one place that turns
// what the venue says about them into ExecReports. Shared by the Kalshi and Polymarket sessions,
// which own the wire (requests, responses, the private channel) and call the verbs below.
//
// Each order ends in exactly one terminal report, and its slot is released in the same call:
//
//   open ──accept──► working ──fill (partial_fill ... fill)───────────────────────► fill
//     │                 │
//     │                 └─finish(final_filled): the venue says the order is done ──► cancelled
//     │                      (IOC remainder, cancel answer) once the fills reach final_filled,
//     │                      or after `fill_grace_ns` with the missing quantity reported as one
//     │                      fill at the venue's average price (the private channel lost it)
//     └─reject(reason) / fail(reason) ───────────────────────────────────────────► rejected / failed
//
// Fills come from the private channel (price, size and fee per trade), answers from REST (what is
// filled in total): the two race, so neither alone decides the end. A fill for an order id not
// yet known (the channel beat the order's REST answer) waits in a small buffer until the id is
// bound (up to held_fill_ttl_ns), and is counted as late if it never is.
//
// Lookups: by intent id (cancel), by venue order id (fills), by serial (REST answers, client
// order ids). A serial is unique for the life of the session and carries its slot in the low
// 22 bits, so the answer to a request is found in O(1) and a stale answer (slot reused) is
// recognised. Two SlotIndexes (slot_index.h) keep every lookup allocation-free after construction.
//
// Single-threaded (the gateway thread); noexcept after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/gateway/live/slot_index.h"

namespace pmx::gateway {

inline constexpr size_t kMaxVenueOrderIdChars = 80;  // Kalshi: a UUID (36); Polymarket: 0x + 64 hex
inline constexpr uint32_t kSerialSlotBits = 22;

template <size_t N>
struct FixedText {
  char data[N] = {};
  uint8_t size = 0;
  std::string_view view() const noexcept { return {data, size}; }
  bool assign(std::string_view text) noexcept {
    if (text.size() > N) return false;
    std::memcpy(data, text.data(), text.size());
    size = static_cast<uint8_t>(text.size());
    return true;
  }
  bool empty() const noexcept { return size == 0; }
};

// Retry bookkeeping of one request (the order or its cancel), owned by the venue session.
struct RequestState {
  bool in_flight = false;
  bool wanted = false;         // to be (re)sent at next_attempt_ns
  uint16_t rate_limited = 0;   // 429 answers so far
  uint16_t errors = 0;         // 5xx, timeouts, dropped connections so far
  bool maybe_arrived = false;  // an attempt was written and got no definite answer (timeout,
                               // dropped connection, 5xx): the venue may have acted on it
  int64_t next_attempt_ns = 0;
};

// Why a session looks an order up at the venue by its client order id (Kalshi), which decides
// what an answer that does not list the order means.
enum class LookupCause : uint8_t {
  none = 0,
  exists,          // a resend was answered 409 (or the answer was unreadable): the order exists,
                   // so not finding it is retried
  refused_resend,  // a resend was refused (4xx) after an attempt that may have arrived: not
                   // found means it did not, and the order is rejected
  unanswered,      // retries exhausted after an attempt that may have arrived: not found fails it
  cancel_refused,  // a cancel answered 404 (no longer resting): the lookup gives the exact fills
};

struct LiveOrder {
  OrderIntent intent{};
  uint64_t serial = 0;  // 0: free slot
  RequestState order;
  RequestState cancel;
  RequestState lookup;  // a read of the order at the venue (lookup_cause says why)
  LookupCause lookup_cause = LookupCause::none;
  bool accepted = false;     // the accepted report went out
  bool final_known = false;  // the venue said the order is done, with final_filled
  bool synthesize = true;    // at grace expiry report the missing fills (false: end as is)
  Qty filled{};
  Money fees{};
  Qty final_filled{};
  int64_t final_known_ns = 0;
  // The signed order's identity (Polymarket: salt and creation time in ms), fixed at the first
  // send so that a resend carries the identical order.
  uint64_t signed_salt = 0;
  int64_t signed_timestamp_ms = 0;
  Price average_price{};  // of the venue's answer (outcome price), for a synthesised fill
  Money average_fee{};    // per contract, for a synthesised fill
  FixedText<kMaxVenueOrderIdChars> venue_id;
};

struct LiveOrderTableOptions {
  uint32_t max_orders = 4096;
  uint32_t max_reports = 0;  // 0: max_orders * 4 + 64
  int64_t fill_grace_ns = 3'000'000'000;
  uint32_t unmatched_fills = 64;  // fills waiting for their order id
  // How long a fill waits for its order id before it counts as late. Longer than the grace: the
  // answer that names the order can take the whole retry budget (timeouts, 429 back-off, a
  // lookup), and a fill dropped meanwhile would be a fill the venue made and we never reported.
  int64_t held_fill_ttl_ns = 120'000'000'000;
};

struct LiveOrderTableCounters {
  uint64_t opened = 0;
  uint64_t terminal = 0;
  uint64_t fills = 0;
  uint64_t synthesized_fills = 0;  // quantity the private channel never reported
  uint64_t overfills = 0;          // fills beyond the order's quantity (clamped)
  uint64_t late_fills = 0;         // fills for no known order (finished, or never bound)
  uint64_t reports_dropped = 0;    // report ring full (a bug: sized for the worst case)
};

// A fill as the private channel gives it: the price in the intent's outcome terms, or the YES
// price (Kalshi reports every fill in YES terms) converted when applied to a NO order.
struct VenueFill {
  Price price{};
  bool price_is_yes = false;
  Qty qty{};
  Money fee{};
  Liquidity liquidity = Liquidity::taker;
};

class LiveOrderTable {
 public:
  explicit LiveOrderTable(LiveOrderTableOptions options = {});

  // A free slot for `intent`, with a fresh serial; null when full or the intent id is in use.
  LiveOrder* open(const OrderIntent& intent) noexcept;

  LiveOrder* by_intent(uint64_t intent_id) noexcept;
  LiveOrder* by_venue_id(std::string_view venue_id) noexcept;
  LiveOrder* by_serial(uint64_t serial) noexcept;
  // Binds the venue's order id (once) and applies the fills that were waiting for it.
  void bind_venue_id(LiveOrder& order, std::string_view venue_id, int64_t now_ns) noexcept;

  // Reports acceptance once (the first answer that says the venue holds the order).
  void accept(LiveOrder& order, int64_t now_ns) noexcept;
  // One fill of `order`; may end it (fill when complete, or cancelled once final_filled is met).
  void fill(LiveOrder& order, const VenueFill& fill, int64_t now_ns) noexcept;
  // A fill for a venue order id: applied, held until the id is bound, or counted late.
  void fill_by_venue_id(std::string_view venue_id, const VenueFill& fill, int64_t now_ns) noexcept;
  // The venue says the order is done with `final_filled` filled in total (a second statement can
  // only lower it: a cancel's fallback, then the venue's exact count).
  void finish(LiveOrder& order, Qty final_filled, bool synthesize_missing, int64_t now_ns) noexcept;
  void reject(LiveOrder& order, RejectReason reason, int64_t now_ns) noexcept;
  void fail(LiveOrder& order, RejectReason reason, int64_t now_ns) noexcept;

  // Ends the orders whose grace ran out; drops held fills older than held_fill_ttl_ns.
  void expire(int64_t now_ns) noexcept;

  // For the sessions' per-round scans (retries): every open order.
  template <typename Fn>
  void for_each_open(Fn&& fn) noexcept {
    for (uint32_t i = 0; i < high_water_; ++i)
      if (orders_[i].serial != 0) fn(orders_[i]);
  }

  // Hands every report produced so far to `sink(const ExecReport&)`, in order.
  template <typename Sink>
  void drain(Sink&& sink) noexcept {
    for (; report_head_ != report_tail_; ++report_head_)
      sink(reports_[report_head_ % reports_.size()]);
  }

  // A standalone rejection for an intent that never got a slot (table full, unknown market).
  void reject_intent(const OrderIntent& intent, RejectReason reason, int64_t now_ns) noexcept;

  size_t open_orders() const noexcept { return open_count_; }
  const LiveOrderTableCounters& counters() const noexcept { return counters_; }
  const LiveOrderTableOptions& options() const noexcept { return options_; }

 private:
  struct HeldFill {
    FixedText<kMaxVenueOrderIdChars> venue_id;
    VenueFill fill;
    int64_t at_ns = 0;
    bool used = false;
  };

  static uint64_t hash_text(std::string_view text) noexcept {
    return SlotIndex::hash_text(text.data(), text.size());
  }
  void report(const LiveOrder& order, ExecType type, RejectReason reason, const VenueFill& fill,
              int64_t now_ns) noexcept;
  void settle(LiveOrder& order, int64_t now_ns) noexcept;
  void release(LiveOrder& order) noexcept;

  LiveOrderTableOptions options_;
  std::vector<LiveOrder> orders_;
  std::vector<uint32_t> free_;
  uint32_t high_water_ = 0;
  size_t open_count_ = 0;
  uint64_t next_sequence_ = 1;
  SlotIndex by_intent_;
  SlotIndex by_venue_;
  std::vector<HeldFill> held_;
  std::vector<ExecReport> reports_;
  uint64_t report_head_ = 0;
  uint64_t report_tail_ = 0;
  LiveOrderTableCounters counters_;
};

}  // namespace pmx::gateway
