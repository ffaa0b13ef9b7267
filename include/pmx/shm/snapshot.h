// Snapshot: everything an operator tool shows, copied out of the state segment at one moment
// into plain values (no pointers into shared memory), so a tool can render it, diff two of
// them for rates, or print it as JSON after the engine is gone.
//
// Units: the snapshot keeps the segment's exact fixed-point integers (price ticks of $0.0001,
// quantity units of 1e-6 contract, micro-dollars, nanoseconds). The formatters convert
// exactly for display: to_json() writes prices in dollars (4800 ticks -> 0.48), sizes in
// contracts and money in dollars as JSON numbers printed from the integers in decimal, never
// through a double, so 0.48 is "0.48" and not 0.47999999999999998.
//
// Reading: every table row is taken with a bounded seqlock read (a writer that died mid-write
// cannot hang a tool; such a row is skipped), and every registered slot's `registered` flag
// is acquired before its name is read.
//
//   StateReader reader("pmx");
//   Snapshot before = take_snapshot(reader);
//   ... one second later ...
//   Snapshot after = take_snapshot(reader);
//   Rates r = rates(before, after);        // counters and thread loops per second
//   std::puts(to_json(after).c_str());
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/decimal.h"
#include "pmx/shm/layout.h"
#include "pmx/shm/segment.h"

namespace pmx::shm {

struct Snapshot {
  std::string instance;
  int64_t taken_mono_ns = 0;  // CLOCK_MONOTONIC_RAW when the snapshot was taken
  int64_t taken_wall_ns = 0;

  struct Engine {
    int64_t pid = 0;
    TradingMode mode = TradingMode::paper;
    int64_t uptime_ns = 0;
    int64_t heartbeat_age_ns = 0;
    bool halted = false;
    std::string halt_reason;
    int64_t halted_since_ns = 0;  // wall clock
    uint64_t commands_applied = 0;
    bool alive = true;  // the engine pid still exists
  } engine;

  struct Counter {
    std::string name;
    uint64_t value = 0;
  };
  std::vector<Counter> counters;  // registered slots, in registration order

  struct Latency {
    uint64_t count = 0, p50 = 0, p99 = 0, p999 = 0, max = 0;  // nanoseconds
  };
  std::array<Latency, kStageCount> latency{};  // indexed by Stage; names in kStageNames

  struct Ring {
    std::string name;
    uint64_t capacity = 0, occupancy = 0, high_water = 0;
  };
  std::vector<Ring> rings;

  struct Thread {
    std::string name;
    int32_t cpu = -1;  // -1: not pinned
    uint64_t loops = 0;
    uint64_t busy_ns = 0;
  };
  std::vector<Thread> threads;

  struct Instrument {
    uint32_t id = 0;
    uint8_t venue = 0;  // pmx::Venue
    std::string name;
  };
  std::vector<Instrument> instruments;  // registered, by ascending id

  struct Book {
    uint32_t instrument = 0;
    uint8_t venue = 0;  // pmx::Venue
    std::string name;
    BookTop top;           // exact ticks and units; bid_size 0: no bid, ask_size 0: no ask
    uint64_t updates = 0;  // writes to this row since start (activity)
    bool stale() const noexcept { return (top.flags & kBookStale) != 0; }
  };
  std::vector<Book> books;  // registered instruments whose book has been written

  struct Position {
    uint32_t slot = 0;
    std::string name;  // the instrument's name, or "#<id>" if unregistered
    PositionRow row;
  };
  std::vector<Position> positions;  // non-empty rows

  AccountRow account;                         // capital, P&L, peak, drawdown
  RiskRow risk;                               // breakers, streak, cooldown, daily loss, exposure
  std::vector<OpportunityRow> opportunities;  // oldest first
  std::vector<OrderRow> orders;               // oldest first

  // The name of instrument `id` as registered, or "#<id>".
  std::string instrument_name(uint32_t id) const;
  std::vector<std::string> tripped_breakers() const;
};

// How many recent opportunities and orders a snapshot keeps.
inline constexpr size_t kSnapshotRecent = 32;

Snapshot take_snapshot(const StateReader& reader);

// Counter and thread rates between two snapshots of the same engine. A counter that went
// down (the engine restarted) or is missing from `before` counts from zero.
struct Rates {
  double interval_s = 0;
  struct Counter {
    std::string name;
    double per_second = 0;
  };
  std::vector<Counter> counters;  // in `after`'s order
  struct Thread {
    std::string name;
    double loops_per_second = 0;
    double busy_pct = 0;  // busy_ns growth / wall time
  };
  std::vector<Thread> threads;
  struct Book {
    uint32_t instrument = 0;
    double updates_per_second = 0;
  };
  std::vector<Book> books;  // in `after`'s order
};
Rates rates(const Snapshot& before, const Snapshot& after);

// One JSON object (see the keys in snapshot_json.cpp); every string from shared memory is
// escaped, including < > & so the text can be embedded in HTML.
std::string to_json(const Snapshot& snapshot);

// Plain text for terminals and logs (pmx-ctl status, shm-top --once).
std::string to_text(const Snapshot& snapshot);

// Exact decimal text of `value / 10^decimals` without trailing zeros: (4800, 4) -> "0.48",
// (-1500000, 6) -> "-1.5", (7, 0) -> "7".

// A latency for people: "850ns", "12.3us", "4.56ms", "1.20s".
std::string format_duration_ns(uint64_t nanos);

// "kalshi", "polymarket" or "unknown".
std::string_view venue_name(uint8_t venue) noexcept;

}  // namespace pmx::shm
