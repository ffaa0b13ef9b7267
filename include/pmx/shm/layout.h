// The state segment /pmx.<instance>: a fixed, versioned layout written by the engine and
// read by every tool (mapped PROT_READ). This header is the contract; bump kLayoutVersion on
// any change to it.
//
//   offset                          section                                   writer
//   ------------------------------  ----------------------------------------  ---------------
//   0                               SegmentHeader (4 KiB)                     engine start-up
//                                     magic, layout_version, sizes, geometry,
//                                     section offsets, pid, start times,
//                                     instance name                           (then frozen)
//                                     heartbeat_ns                            strategy thread
//                                     status: Seqlock<EngineStatus>           strategy thread
//   header.counters_offset          CounterSlot[kMaxCounters]   64 B each     one thread each
//   header.threads_offset           ThreadSlot[kMaxThreads]    128 B each     that thread
//   header.rings_offset             RingSlot[kMaxRings]         64 B each     ring consumer
//   header.histograms_offset        LatencyHistogram[kStageCount]             one stage each
//   header.instruments_offset       InstrumentSlot[max_instruments]           start-up
//   header.books_offset             Seqlock<BookTop>[max_instruments]         strategy thread
//   header.positions_offset         Seqlock<PositionRow>[max_positions]       strategy thread
//   header.account_offset           Seqlock<AccountRow>, Seqlock<RiskRow>     strategy thread
//   header.opportunities_offset     RecordLog<OpportunityRow>                 strategy thread
//   header.orders_offset            RecordLog<OrderRow>                       gateway thread
//   header.tapes_offset             tape 0 | tape 1 | ...  (tape.h)           each feed thread
//
// Every section starts on a 4 KiB boundary. Every record is padded to whole cache lines so
// that two writers never share a line. Numbers are pmx's fixed-point types (types.h): prices
// in ticks of $0.0001, quantities in millionths, money in micro-dollars; doubles only for
// model outputs (fair value, percentages).
//
// The control segment /pmx.<instance>.ctl (control.h) is separate: it is the only memory a
// tool may write.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "pmx/shm/latency_histogram.h"
#include "pmx/shm/seqlock.h"

namespace pmx::shm {

inline constexpr uint64_t kStateMagic = 0x31'45'54'41'54'53'58'4dULL;  // "MXSTATE1" little-endian
inline constexpr uint32_t kLayoutVersion = 1;
inline constexpr size_t kSectionAlign = 4096;

inline constexpr size_t kMaxCounters = 256;
inline constexpr size_t kMaxThreads = 16;
inline constexpr size_t kMaxRings = 16;
inline constexpr size_t kMaxTapes = 4;
inline constexpr size_t kNameBytes = 48;

// Pipeline stages with a latency histogram each.
enum class Stage : uint8_t {
  feed_parse = 0,           // frame received -> events written to the ring
  feed_to_strategy = 1,     // event written -> strategy read it
  strategy_decision = 2,    // strategy read the event -> decision made
  strategy_to_gateway = 3,  // intent written -> gateway read it
  gateway_send = 4,         // gateway read the intent -> request bytes ready
  tick_to_order = 5,        // frame received -> request bytes ready
};
inline constexpr size_t kStageCount = 6;
inline constexpr const char* kStageNames[kStageCount] = {"feed_parse",        "feed_to_strategy",
                                                         "strategy_decision", "strategy_to_gateway",
                                                         "gateway_send",      "tick_to_order"};

enum class TradingMode : uint8_t { paper = 0, live = 1 };

// ---- header -----------------------------------------------------------------------------

struct Geometry {
  uint32_t max_instruments = 4096;
  uint32_t max_positions = 1024;
  uint32_t opportunity_capacity = 256;  // power of two
  uint32_t order_capacity = 256;        // power of two
  uint32_t tape_count = 2;              // one per feed
  uint32_t tape_entries = 1u << 16;     // power of two, per tape
  uint64_t tape_bytes = 1u << 24;       // power of two, data bytes per tape
};

struct EngineStatus {
  TradingMode mode = TradingMode::paper;
  uint8_t halted = 0;
  uint8_t reserved[6] = {};
  int64_t halted_since_ns = 0;  // wall clock
  uint64_t commands_applied = 0;
  char halt_reason[96] = {};
};

struct alignas(64) SegmentHeader {
  // Frozen after start-up (magic is written last, with release).
  std::atomic<uint64_t> magic;
  uint32_t layout_version;
  uint32_t header_bytes;
  uint64_t total_bytes;
  Geometry geometry;
  uint64_t counters_offset, threads_offset, rings_offset, histograms_offset, instruments_offset;
  uint64_t books_offset, positions_offset, account_offset, opportunities_offset, orders_offset;
  uint64_t tapes_offset, tape_stride;
  int64_t engine_pid;
  int64_t start_wall_ns;  // CLOCK_REALTIME
  int64_t start_mono_ns;  // CLOCK_MONOTONIC_RAW (same clock as heartbeat_ns)
  char instance[64];

  // Live.
  alignas(128) std::atomic<int64_t> heartbeat_ns;  // CLOCK_MONOTONIC_RAW, each strategy loop
  alignas(128) Seqlock<EngineStatus> status;
};
static_assert(sizeof(SegmentHeader) <= kSectionAlign, "the header fits its 4 KiB page");

// ---- counters, threads, rings -------------------------------------------------------------

// A named 64-bit counter with exactly one writer thread. The name is written at registration,
// before `registered` is released; readers acquire `registered` first.
struct alignas(64) CounterSlot {
  std::atomic<uint32_t> registered;
  uint32_t reserved;
  char name[kNameBytes];
  std::atomic<uint64_t> value;
};
static_assert(sizeof(CounterSlot) == 64, "one counter per cache line: writers never share a line");

struct alignas(128) ThreadSlot {
  std::atomic<uint32_t> registered;
  int32_t cpu;  // -1: not pinned
  char name[kNameBytes];
  std::atomic<uint64_t> loops;    // loop iterations
  std::atomic<uint64_t> busy_ns;  // time spent on work (not idle polling)
  std::atomic<int64_t> updated_ns;
};
static_assert(sizeof(ThreadSlot) == 128, "thread slots own a line pair");

struct alignas(64) RingSlot {
  std::atomic<uint32_t> registered;
  uint32_t reserved;
  char name[24];
  uint64_t capacity;
  std::atomic<uint64_t> occupancy;
  std::atomic<uint64_t> high_water;
};
static_assert(sizeof(RingSlot) == 64, "one ring per cache line");

// ---- instruments, books, positions, account ------------------------------------------------

struct alignas(64) InstrumentSlot {
  std::atomic<uint32_t> registered;
  uint8_t venue;  // pmx::Venue
  uint8_t reserved[3];
  char name[56];  // Kalshi ticker or Polymarket asset id (truncated if longer; see the table)
};
static_assert(sizeof(InstrumentSlot) == 64, "one instrument per cache line");

// Top of book and fair value of one instrument. Prices in YES terms.
struct BookTop {
  int32_t bid_ticks = 0;  // 0 with bid_size 0: no bid
  int32_t ask_ticks = 0;
  int64_t bid_size = 0;  // Qty units
  int64_t ask_size = 0;
  double fair_value = 0;   // probability, 0 if none yet
  int64_t updated_ns = 0;  // CLOCK_MONOTONIC_RAW of the event that changed it
  uint32_t flags = 0;      // kBookStale | kBookCrossed
  uint32_t reserved = 0;
};
inline constexpr uint32_t kBookStale = 1;
inline constexpr uint32_t kBookCrossed = 2;
struct alignas(64) BookSlot {
  Seqlock<BookTop> top;
};
static_assert(sizeof(BookSlot) == 64, "a book row is one cache line");

struct PositionRow {
  uint32_t instrument = UINT32_MAX;  // UINT32_MAX: slot unused
  uint8_t venue = 0;
  uint8_t outcome = 0;  // pmx::Outcome held
  uint8_t reserved[2] = {};
  int64_t quantity = 0;         // Qty units, signed
  int64_t avg_price_ticks = 0;  // Price ticks
  int64_t realized_micros = 0;
  int64_t unrealized_micros = 0;  // marked at mid
  int64_t fees_micros = 0;
  int64_t opened_wall_ns = 0;
};
struct alignas(64) PositionSlot {
  Seqlock<PositionRow> row;
};

struct AccountRow {
  int64_t capital_micros = 0;
  int64_t realized_micros = 0;
  int64_t unrealized_micros = 0;
  int64_t peak_micros = 0;
  int64_t daily_pnl_micros = 0;
  int64_t fees_micros = 0;
  double drawdown_pct = 0;
  uint32_t open_positions = 0;
  uint32_t trades_today = 0;
};

struct RiskRow {
  uint32_t breakers = 0;  // kBreaker* bits currently tripped
  uint32_t consecutive_losses = 0;
  int64_t cooldown_until_ns = 0;  // wall clock, 0: none
  int64_t daily_loss_micros = 0;
  uint32_t orders_last_minute = 0;
  uint32_t open_orders = 0;
  int64_t exposure_micros = 0;
};
inline constexpr uint32_t kBreakerDrawdown = 1u << 0;
inline constexpr uint32_t kBreakerDailyLoss = 1u << 1;
inline constexpr uint32_t kBreakerLossStreak = 1u << 2;
inline constexpr uint32_t kBreakerApiErrors = 1u << 3;
inline constexpr uint32_t kBreakerStaleFeed = 1u << 4;
inline constexpr uint32_t kBreakerDisconnect = 1u << 5;
inline constexpr uint32_t kBreakerKillSwitch = 1u << 6;
inline constexpr const char* kBreakerNames[] = {"drawdown",   "daily_loss", "loss_streak", "api_errors",
                                                "stale_feed", "disconnect", "kill_switch"};
inline constexpr size_t kBreakerCount = 7;

struct alignas(128) AccountSection {
  Seqlock<AccountRow> account;
  alignas(64) Seqlock<RiskRow> risk;
};

// ---- logs of recent records ------------------------------------------------------------------

struct OpportunityRow {
  uint64_t sequence = 0;  // position in the log; readers check it
  int64_t wall_ns = 0;
  uint8_t strategy = 0;  // see kStrategyNames
  uint8_t legs = 0;
  uint8_t reserved[6] = {};
  uint32_t instrument[4] = {};
  int32_t price_ticks[4] = {};
  int64_t size_units = 0;
  int64_t ev_micros = 0;  // expected value net of fees
  double kelly_fraction = 0;
  int64_t expiry_wall_ns = 0;
};
inline constexpr const char* kStrategyNames[] = {"grinding", "bundle_arb", "cross_venue_arb", "monotonicity",
                                                 "exit"};

struct OrderRow {
  uint64_t sequence = 0;
  int64_t wall_ns = 0;
  uint64_t client_order_id = 0;
  uint32_t instrument = 0;
  uint8_t venue = 0;
  uint8_t side = 0;    // pmx::Side
  uint8_t status = 0;  // see kOrderStatusNames
  uint8_t strategy = 0;
  int32_t price_ticks = 0;
  uint32_t reserved = 0;
  int64_t quantity_units = 0;
  int64_t filled_units = 0;
  int64_t fee_micros = 0;
};
inline constexpr const char* kOrderStatusNames[] = {"new",       "sent",     "partial", "filled",
                                                    "cancelled", "rejected", "expired", "failed"};

// The last `capacity` records, newest at head - 1. One writer.
template <typename Row>
struct alignas(128) RecordLogHeader {
  uint64_t capacity;                       // power of two
  alignas(64) std::atomic<uint64_t> head;  // records ever written (release by writer)
};
template <typename Row>
struct alignas(64) RecordSlot {
  Seqlock<Row> row;
};

template <typename Row>
constexpr size_t record_log_bytes(uint64_t capacity) noexcept {
  return sizeof(RecordLogHeader<Row>) + capacity * sizeof(RecordSlot<Row>);
}

static_assert(std::is_standard_layout_v<SegmentHeader>, "offsets must mean the same in every process");

}  // namespace pmx::shm
