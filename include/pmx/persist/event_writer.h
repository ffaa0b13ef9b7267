// EventWriter: turns OpsEvents into rows, with prepared statements and bound parameters only.
//
// Runs on the ops thread inside the transaction the caller opened (OpsThread batches); it never
// throws after construction: a failed write is counted and the batch goes on. Instruments are
// written as (venue, ticker), looked up through the InstrumentNamer the engine provides (its
// instrument table, filled before the threads start and read-only afterwards).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "pmx/core/types.h"
#include "pmx/persist/database.h"
#include "pmx/persist/ops_event.h"
#include "pmx/persist/statement.h"

namespace pmx {

struct InstrumentName {
  Venue venue = Venue::kalshi;
  std::string_view key;  // Kalshi ticker or Polymarket token id; empty if unknown
};
// Must stay valid and return stable views for the writer's lifetime.
using InstrumentNamer = std::function<InstrumentName(InstrumentId)>;

enum class WriteResult : uint8_t {
  ok = 0,
  failed,  // SQLite refused the write (constraint, I/O, full disk): counted, the batch continues
};

struct EventWriterCounters {
  uint64_t written = 0;
  uint64_t failed = 0;
  uint64_t orphan_exec_reports = 0;  // a report for an intent with no order row (its record was lost)
  uint64_t unknown_instruments = 0;  // written as "#<id>"
};

class EventWriter {
 public:
  // Prepares every statement. Start-up: throws DatabaseError.
  EventWriter(Database& db, InstrumentNamer namer);

  WriteResult write(const OpsEvent& event) noexcept;

  const EventWriterCounters& counters() const noexcept { return counters_; }
  // SQLite's message for the last failed write (never holds bound values).
  const std::string& last_error() const noexcept { return last_error_; }

 private:
  bool write_order_submitted(const OrderSubmittedRecord& r) noexcept;
  bool write_exec_report(const ExecReport& r) noexcept;
  bool write_position(const PositionRecord& r) noexcept;
  bool write_opportunity(const OpportunityRecord& r) noexcept;
  bool write_audit(const AuditRecord& r) noexcept;
  bool write_price_sample(const PriceSampleRecord& r) noexcept;
  bool write_system_state(const SystemStateRecord& r) noexcept;
  bool write_daily_snapshot(const DailySnapshotRecord& r) noexcept;
  bool write_alert(const AlertRecord& r) noexcept;

  // The instrument's venue and key; "#<id>" (in `unknown_name_`) for an id the namer does not know.
  InstrumentName name_of(InstrumentId id) noexcept;
  bool done(Statement& statement) noexcept;  // executes, resets, records the error

  Database& db_;
  InstrumentNamer namer_;
  Statement insert_order_;
  Statement update_order_;
  Statement insert_fill_;
  Statement update_position_;
  Statement insert_position_;
  Statement insert_opportunity_;
  Statement insert_audit_;
  Statement insert_price_;
  Statement upsert_state_;
  Statement upsert_daily_;
  EventWriterCounters counters_;
  std::string last_error_;
  std::string unknown_name_;  // "#<id>" for the instrument being written
  std::string legs_;          // an opportunity's legs as JSON
};

}  // namespace pmx
