// Orders between the strategy thread and the gateway thread: OrderIntent out, ExecReport back.
//
// Both are trivially copyable 64-byte records carried on SPSC rings (strategy -> gateway and
// gateway -> strategy) and copied to the ops queue for persistence. Prices are in terms of the
// outcome traded: a Kalshi NO buy carries the NO price (1 - YES price); a Polymarket instrument is
// one outcome token, always `Outcome::yes` of itself.
//
// Every intent ends in exactly one terminal ExecReport (fill, cancelled, rejected, expired,
// failed); partial fills and acceptance may come before it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "pmx/core/types.h"

namespace pmx {

// Which decision produced an intent; also the strategy column of opportunities.
enum class StrategyKind : uint8_t {
  grinding = 0,     // high-probability outcomes near expiry
  bundle_arb,       // buy every outcome of a mutually exclusive event below $1
  cross_venue_arb,  // YES on one venue + NO on the other below $1
  monotonicity,     // strike-ladder (Dutch book) violation
  exit,             // closing a position (thesis invalidated, stop, timeout, kill switch)
  manual,           // pmx-ctl
};
inline constexpr int kStrategyKindCount = 6;

enum class TimeInForce : uint8_t {
  gtc = 0,  // rests until filled, cancelled or the router's timeout
  ioc,      // immediate or cancel (marketable limit: Kalshi has no market orders since 2026-02-11)
  fok,      // fill or kill (arbitrage legs)
};

// OrderIntent::flags bits.
inline constexpr uint8_t kIntentUrgent = 1;        // route as marketable IOC whatever the size
inline constexpr uint8_t kIntentArbitrageLeg = 2;  // one leg of a group: unwind the others if it fails
inline constexpr uint8_t kIntentReduceOnly = 4;    // must not open or grow a position
// Not an order: the kill switch's "cancel every open order" message on the intents ring. Only
// intent_id (0), decision_ts and the receive timestamp are meaningful.
inline constexpr uint8_t kIntentCancelAll = 8;

struct OrderIntent {
  uint64_t intent_id = 0;                        // 0   unique for the life of the database (never reused)
  InstrumentId instrument{};                     // 8
  Venue venue = Venue::kalshi;                   // 12
  Side side = Side::buy;                         // 13
  Outcome outcome = Outcome::yes;                // 14
  TimeInForce tif = TimeInForce::ioc;            // 15
  Price limit_price{};                           // 16  worst acceptable price of `outcome`
  Price decision_price{};                        // 20  the price the strategy decided on (slippage reference)
  Qty qty{};                                     // 24  > 0
  uint64_t group_id = 0;                         // 32  legs of one arbitrage share it; 0 = a single order
  WallNanos decision_ts{};                       // 40  the strategy clock (simulated time in backtests)
  Money expected_value{};                        // 48  net of fees, for the whole qty
  StrategyKind strategy = StrategyKind::manual;  // 56
  uint8_t flags = 0;                             // 57  kIntent* bits
  uint8_t leg_count = 1;                         // 58  legs in the group
  uint8_t receive_ts_low[5] = {};                // 59  receive time of the causing event, mod 2^40 ns

  // Tick-to-trade: the local receive time (MonoNanos) of the market event that caused the intent.
  // Only its low 40 bits fit the five spare bytes (the record stays one cache line), which is
  // enough: 2^40 ns is 18.3 minutes, and receive_ts_near() rebuilds the full timestamp from any
  // clock reading taken less than that after it (an intent is sent within microseconds; the
  // latency histograms saturate at 17 s anyway). 0 = unknown (e.g. a manual order).
  static constexpr int kReceiveTsBits = 40;
  static constexpr uint64_t kReceiveTsMask = (uint64_t{1} << kReceiveTsBits) - 1;

  constexpr void set_receive_ts(MonoNanos received) noexcept {
    const uint64_t low = static_cast<uint64_t>(received.ns) & kReceiveTsMask;
    for (int i = 0; i < 5; ++i)
      receive_ts_low[i] = static_cast<uint8_t>(low >> (8 * i));
  }
  constexpr uint64_t receive_ts_bits() const noexcept {
    uint64_t low = 0;
    for (int i = 0; i < 5; ++i)
      low |= uint64_t{receive_ts_low[i]} << (8 * i);
    return low;
  }
  constexpr bool has_receive_ts() const noexcept { return receive_ts_bits() != 0; }
  // The latest time <= `now` whose low 40 bits are the stored ones: the exact receive time when
  // `now` is within 18.3 minutes after it.
  constexpr MonoNanos receive_ts_near(MonoNanos now) const noexcept {
    const uint64_t now_bits = static_cast<uint64_t>(now.ns);
    const uint64_t back = (now_bits - receive_ts_bits()) & kReceiveTsMask;
    return MonoNanos{static_cast<int64_t>(now_bits - back)};
  }

  friend bool operator==(const OrderIntent&, const OrderIntent&) = default;
};

enum class ExecType : uint8_t {
  accepted = 0,  // the venue (or the paper simulator) holds the order
  partial_fill,  // a fill; more may follow
  fill,          // terminal: the whole quantity is filled
  cancelled,     // terminal: cancelled (by us, the router's timeout, or IOC/FOK remainder)
  rejected,      // terminal: refused by risk, the router or the venue
  expired,       // terminal: the venue expired it
  failed,        // terminal: the gateway could not get an answer (gave up after retries)
};

constexpr bool is_terminal(ExecType t) noexcept {
  return t != ExecType::accepted && t != ExecType::partial_fill;
}

enum class RejectReason : uint8_t {
  none = 0,
  risk,          // the gateway's own last checks (kill switch, rate cap)
  slippage,      // the book moved beyond the allowed slippage or depth
  venue,         // the venue refused the order
  rate_limited,  // gave up after 429 back-off
  timeout,       // no answer from the venue
  unwind,        // another leg of the group failed
  insufficient_depth,
};

enum class Liquidity : uint8_t { taker = 0, maker = 1 };

struct ExecReport {
  uint64_t intent_id = 0;                    // 0
  InstrumentId instrument{};                 // 8
  Venue venue = Venue::kalshi;               // 12
  Side side = Side::buy;                     // 13
  Outcome outcome = Outcome::yes;            // 14
  ExecType type = ExecType::accepted;        // 15
  Price fill_price{};                        // 16  this fill's price of `outcome` (fills only)
  RejectReason reason = RejectReason::none;  // 20
  Liquidity liquidity = Liquidity::taker;    // 21
  uint8_t reserved[2] = {};                  // 22
  Qty fill_qty{};                            // 24  this fill
  Qty cumulative_qty{};                      // 32  filled so far, this one included
  Money fee{};                               // 40  this fill's fee
  WallNanos ts{};                            // 48
  uint64_t group_id = 0;                     // 56

  friend bool operator==(const ExecReport&, const ExecReport&) = default;
};

// A report on `intent`'s order: the order's identity (intent, instrument, venue, side, outcome,
// arbitrage group), what happened and when. Prices, sizes, fees and the reason are the caller's.
constexpr ExecReport report_for(const OrderIntent& intent, ExecType type, WallNanos ts) noexcept {
  ExecReport r;
  r.intent_id = intent.intent_id;
  r.instrument = intent.instrument;
  r.venue = intent.venue;
  r.side = intent.side;
  r.outcome = intent.outcome;
  r.type = type;
  r.ts = ts;
  r.group_id = intent.group_id;
  return r;
}

static_assert(std::is_trivially_copyable_v<OrderIntent> && sizeof(OrderIntent) == 64,
              "OrderIntent fills one cache line on the strategy -> gateway ring");
static_assert(std::is_trivially_copyable_v<ExecReport> && sizeof(ExecReport) == 64,
              "ExecReport fills one cache line on the gateway -> strategy ring");
static_assert(std::has_unique_object_representations_v<OrderIntent> &&
                  std::has_unique_object_representations_v<ExecReport>,
              "no implicit padding: records compare bytewise and persist deterministically");

constexpr std::string_view to_string(StrategyKind k) noexcept {
  constexpr std::string_view kNames[] = {"grinding",     "bundle_arb", "cross_venue_arb",
                                         "monotonicity", "exit",       "manual"};
  return kNames[static_cast<int>(k)];
}
constexpr std::string_view to_string(TimeInForce t) noexcept {
  constexpr std::string_view kNames[] = {"gtc", "ioc", "fok"};
  return kNames[static_cast<int>(t)];
}
constexpr std::string_view to_string(ExecType t) noexcept {
  constexpr std::string_view kNames[] = {"accepted", "partial_fill", "fill",  "cancelled",
                                         "rejected", "expired",      "failed"};
  return kNames[static_cast<int>(t)];
}
constexpr std::string_view to_string(RejectReason r) noexcept {
  constexpr std::string_view kNames[] = {"none",         "risk",    "slippage", "venue",
                                         "rate_limited", "timeout", "unwind",   "insufficient_depth"};
  return kNames[static_cast<int>(r)];
}

}  // namespace pmx
