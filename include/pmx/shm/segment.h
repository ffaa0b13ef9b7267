// Creating, owning and opening the state segment /pmx.<instance> and the control segment
// /pmx.<instance>.ctl (Boost.Interprocess shared_memory_object + mapped_region).
//
// Lifecycle rules:
//   * One engine per instance. The engine holds an exclusive flock on
//     /dev/shm/pmx.<instance>.lock for its whole life; a second engine fails with a message
//     naming the holder's pid. The kernel drops the lock when the holder dies, however it dies.
//   * Holding the lock, the engine removes whatever segments a dead engine left and creates
//     fresh ones, writing the magic last (release) so no reader sees a half-built segment.
//   * Tools map the state segment PROT_READ and only the control segment writable. A wrong
//     magic or layout version is refused, naming both versions. A missing segment is
//     "no engine <instance>". A tool notices an engine restart (the segment was replaced) with
//     replaced() and reopens.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pmx/shm/control.h"
#include "pmx/shm/layout.h"
#include "pmx/shm/tape.h"

namespace pmx::shm {

// Start-up and attach failures. what() is one line, fit for a tool to print.
class SegmentError : public std::runtime_error {
 public:
  enum class Kind { no_engine, instance_held, version_mismatch, bad_magic, bad_name, system };
  SegmentError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

// "/pmx.<instance>" and "/pmx.<instance>.ctl"; instance names are [A-Za-z0-9_-]{1,48}.
std::string state_segment_name(std::string_view instance);
std::string control_segment_name(std::string_view instance);
bool valid_instance_name(std::string_view instance) noexcept;

// Byte offsets of every section for a geometry (what the header records).
struct SectionOffsets {
  uint64_t counters, threads, rings, histograms, instruments, books, positions, account, opportunities,
      orders, tapes, tape_stride, total;
};
SectionOffsets compute_offsets(const Geometry& geometry) noexcept;

// ---- engine side ----------------------------------------------------------------------------

// A counter handle: one writer thread increments; relaxed is enough because no other data is
// published through a counter's value.
class Counter {
 public:
  Counter() = default;
  explicit Counter(std::atomic<uint64_t>* value) noexcept : value_(value) {}
  void add(uint64_t n = 1) noexcept {
    value_->store(value_->load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void set(uint64_t v) noexcept { value_->store(v, std::memory_order_relaxed); }
  uint64_t value() const noexcept { return value_->load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t>* value_ = nullptr;
};

// The engine's view: owns both segments and the instance lock; removes the segments on
// destruction (a crash leaves them for the next engine to replace).
class StateWriter {
 public:
  // Throws SegmentError (instance_held, bad_name, system).
  StateWriter(std::string_view instance, const Geometry& geometry, TradingMode mode);
  ~StateWriter();
  StateWriter(const StateWriter&) = delete;
  StateWriter& operator=(const StateWriter&) = delete;

  // ---- start-up registration (allocates nothing in shared memory later) ----
  Counter add_counter(std::string_view name);  // throws if the table is full or name taken
  ThreadSlot& add_thread(std::string_view name, int cpu);
  RingSlot& add_ring(std::string_view name, uint64_t capacity);
  void add_instrument(uint32_t instrument, uint8_t venue, std::string_view name);
  TapeWriter tape(uint32_t index, uint8_t venue) noexcept;  // index < geometry.tape_count

  // ---- hot path ----
  LatencyHistogram& histogram(Stage stage) noexcept { return histograms_[static_cast<size_t>(stage)]; }
  void publish_top(uint32_t instrument, const BookTop& top) noexcept { books_[instrument].top.store(top); }
  void publish_position(uint32_t slot, const PositionRow& row) noexcept { positions_[slot].row.store(row); }
  void publish_account(const AccountRow& row) noexcept { account_->account.store(row); }
  void publish_risk(const RiskRow& row) noexcept { account_->risk.store(row); }
  void append_opportunity(OpportunityRow row) noexcept;
  void append_order(OrderRow row) noexcept;
  void heartbeat(int64_t mono_ns) noexcept {
    header_->heartbeat_ns.store(mono_ns, std::memory_order_relaxed);
  }
  void publish_status(const EngineStatus& status) noexcept { header_->status.store(status); }

  ControlPoller& control() noexcept { return poller_; }
  const SegmentHeader& header() const noexcept { return *header_; }
  const Geometry& geometry() const noexcept { return header_->geometry; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  SegmentHeader* header_ = nullptr;
  CounterSlot* counters_ = nullptr;
  ThreadSlot* threads_ = nullptr;
  RingSlot* rings_ = nullptr;
  LatencyHistogram* histograms_ = nullptr;
  InstrumentSlot* instruments_ = nullptr;
  BookSlot* books_ = nullptr;
  PositionSlot* positions_ = nullptr;
  AccountSection* account_ = nullptr;
  RecordLogHeader<OpportunityRow>* opportunity_log_ = nullptr;
  RecordLogHeader<OrderRow>* order_log_ = nullptr;
  ControlPoller poller_;
  uint64_t opportunity_head_ = 0;
  uint64_t order_head_ = 0;
  uint32_t counters_used_ = 0, threads_used_ = 0, rings_used_ = 0;
};

// ---- tool side ------------------------------------------------------------------------------

// A tool's view: the state segment read-only, the control segment writable.
class StateReader {
 public:
  // Throws SegmentError: no_engine, bad_magic, version_mismatch, bad_name, system.
  explicit StateReader(std::string_view instance);
  ~StateReader();
  StateReader(const StateReader&) = delete;
  StateReader& operator=(const StateReader&) = delete;

  const std::string& instance() const noexcept { return instance_; }
  const SegmentHeader& header() const noexcept { return *header_; }
  const Geometry& geometry() const noexcept { return header_->geometry; }

  // True when /pmx.<instance> no longer is the object this reader mapped (the engine
  // restarted or exited): reopen with a new StateReader.
  bool replaced() const noexcept;
  // Nanoseconds since the engine's last heartbeat (CLOCK_MONOTONIC_RAW is system-wide).
  int64_t heartbeat_age_ns() const noexcept;
  bool engine_alive() const noexcept;  // the engine pid still exists

  const CounterSlot* counters() const noexcept { return at<CounterSlot>(header_->counters_offset); }
  const ThreadSlot* threads() const noexcept { return at<ThreadSlot>(header_->threads_offset); }
  const RingSlot* rings() const noexcept { return at<RingSlot>(header_->rings_offset); }
  const LatencyHistogram& histogram(Stage s) const noexcept {
    return at<LatencyHistogram>(header_->histograms_offset)[static_cast<size_t>(s)];
  }
  const InstrumentSlot* instruments() const noexcept {
    return at<InstrumentSlot>(header_->instruments_offset);
  }
  const BookSlot* books() const noexcept { return at<BookSlot>(header_->books_offset); }
  const PositionSlot* positions() const noexcept { return at<PositionSlot>(header_->positions_offset); }
  const AccountSection& account() const noexcept { return *at<AccountSection>(header_->account_offset); }
  const void* tape(uint32_t index) const noexcept {
    return base_ + header_->tapes_offset + index * header_->tape_stride;
  }

  // Up to `max` most recent records, oldest first, each read consistently.
  template <typename Row, typename Sink>
  void recent(const RecordLogHeader<Row>* log, size_t max, Sink&& sink) const;
  template <typename Sink>
  void recent_opportunities(size_t max, Sink&& sink) const {
    recent(at<RecordLogHeader<OpportunityRow>>(header_->opportunities_offset), max, sink);
  }
  template <typename Sink>
  void recent_orders(size_t max, Sink&& sink) const {
    recent(at<RecordLogHeader<OrderRow>>(header_->orders_offset), max, sink);
  }

  ControlBlock& control() noexcept { return *control_; }

 private:
  template <typename T>
  const T* at(uint64_t offset) const noexcept {
    return reinterpret_cast<const T*>(base_ + offset);
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string instance_;
  const char* base_ = nullptr;
  const SegmentHeader* header_ = nullptr;
  ControlBlock* control_ = nullptr;
};

template <typename Row, typename Sink>
void StateReader::recent(const RecordLogHeader<Row>* log, size_t max, Sink&& sink) const {
  const uint64_t head = log->head.load(std::memory_order_acquire);
  const uint64_t capacity = log->capacity;
  const uint64_t keep = max < capacity ? max : capacity;
  const uint64_t first = head > keep ? head - keep : 0;
  const auto* slots = reinterpret_cast<const RecordSlot<Row>*>(log + 1);
  for (uint64_t n = first; n < head; ++n) {
    Row row;
    if (!slots[n & (capacity - 1)].row.try_load(row)) continue;  // being rewritten: skip
    if (row.sequence != n) continue;                             // already replaced
    sink(row);
  }
}

}  // namespace pmx::shm
