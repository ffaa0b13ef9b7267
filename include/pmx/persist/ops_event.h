// The records hot threads hand to the ops thread (through OpsQueue) for SQLite and alerts.
//
// Every record is a trivially copyable POD with fixed char arrays for text, so pushing one is a
// plain copy: no allocation, no pointer into hot-thread memory. Instruments travel as dense ids;
// the ops thread turns them into venue tickers (the ids are reassigned at every start, tickers
// are what the database keeps).
//
// OpsEvent is a tagged union of them; build one with OpsEvent::of(record) and read it back with
// the accessor matching `kind`.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <type_traits>

#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/core/types.h"
#include "pmx/persist/client_order_id.h"

namespace pmx {

// Copies `text` into `out`, truncated at a UTF-8 character boundary, always NUL-terminated.
template <size_t N>
void copy_text(char (&out)[N], std::string_view text) noexcept {
  size_t n = text.size() < N - 1 ? text.size() : N - 1;
  if (n < text.size())
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
      --n;  // not mid-character
  std::memcpy(out, text.data(), n);
  out[n] = '\0';
}

template <size_t N>
std::string_view text_view(const char (&text)[N]) noexcept {
  return {text, ::strnlen(text, N)};
}

// The gateway records an intent and its client order id BEFORE the request leaves; if the push
// fails (queue full) the order must not be sent.
struct OrderSubmittedRecord {
  OrderIntent intent{};  // intent.intent_id == the client order id's sequence
  ClientOrderId client_order_id{};
  WallNanos submitted_ts{};
};

// A position after a change: qty 0 closes it. One per (instrument, outcome): binary contracts
// are held long YES or long NO.
struct PositionRecord {
  InstrumentId instrument{};
  Outcome outcome = Outcome::yes;
  StrategyKind strategy = StrategyKind::manual;  // what opened it
  uint8_t reserved[2] = {};
  Price average_price{};  // average entry price of `outcome`
  Price mark_price{};     // latest mark (for unrealized P&L); 0 = unknown
  Qty qty{};              // >= 0; 0 = closed
  Money realized_pnl{};   // net of fees, since the position opened
  Money fees{};           // paid since the position opened
  WallNanos ts{};
};

// A fixed-size copy of what a strategy found; independent of the strategy module's own type.
struct OpportunityRecord {
  static constexpr int kMaxLegs = 4;

  StrategyKind strategy = StrategyKind::manual;
  uint8_t leg_count = 0;  // legs used in `instruments` and `prices`
  uint8_t acted = 0;      // 1 if intents were sent for it
  uint8_t reserved[1] = {};
  InstrumentId instruments[kMaxLegs] = {};
  Outcome outcomes[kMaxLegs] = {};
  Price prices[kMaxLegs] = {};  // each leg's price of its outcome
  Money expected_value{};       // net of fees, for `size`
  Qty size{};
  WallNanos ts{};
};

// Every decision and refusal the risk checks and strategies make, for the audit trail.
enum class AuditKind : uint8_t {
  decision = 0,  // an intent was approved
  refusal,       // a check refused (code + reason say which)
  circuit_breaker,
  kill_switch,
  error,
  note,
};
inline constexpr int kAuditKindCount = 6;

constexpr std::string_view to_string(AuditKind k) noexcept {
  constexpr std::string_view kNames[] = {"decision",    "refusal", "circuit_breaker",
                                         "kill_switch", "error",   "note"};
  return kNames[static_cast<int>(k)];
}

struct AuditRecord {
  AuditKind kind = AuditKind::note;
  StrategyKind strategy = StrategyKind::manual;
  uint16_t code = 0;          // the emitting module's check or error enum value
  InstrumentId instrument{};  // invalid when not about one instrument
  uint64_t intent_id = 0;     // 0 when no intent
  Money amount{};             // the notional or limit the check looked at, if any
  WallNanos ts{};
  char reason[96] = {};  // "max_position_pct 10% exceeded: 1,050.00 > 1,000.00"
};

// Top of book and fair value of one instrument, sampled at a configured interval.
struct PriceSampleRecord {
  InstrumentId instrument{};
  Price bid{};         // 0 = no bid
  Price ask{};         // 0 = no ask
  Price fair_value{};  // 0 = no model value
  Qty bid_size{};
  Qty ask_size{};
  WallNanos ts{};
};

// Trading halted or resumed, or the mode changed. `trading_halted` persists until resumed.
struct SystemStateRecord {
  bool halted = false;
  TradingMode mode = TradingMode::paper;
  uint8_t reserved[6] = {};
  WallNanos ts{};
  char reason[96] = {};  // why it halted (or who resumed)
};

// One row per UTC day, written at the configured hour and at shutdown.
struct DailySnapshotRecord {
  int32_t date_yyyymmdd = 0;  // 20261124
  int32_t open_positions = 0;
  Money equity{};  // cash + marked positions
  Money cash{};
  Money realized_pnl{};  // today's
  Money unrealized_pnl{};
  Money fees{};          // today's
  Money max_drawdown{};  // from the equity peak, today's worst
  int64_t trades = 0;    // fills today
  int64_t wins = 0;      // positions closed in profit today
  int64_t losses = 0;
  int64_t opportunities = 0;
  WallNanos ts{};
};

// Something an operator must hear about now (the kill switch, a feed lost): the ops thread's
// observer sends it as an alert; the database keeps it in the audit trail.
enum class AlertSeverity : uint8_t { info = 0, warning, critical };
inline constexpr int kAlertSeverityCount = 3;

constexpr std::string_view to_string(AlertSeverity s) noexcept {
  constexpr std::string_view kNames[] = {"info", "warning", "critical"};
  return kNames[static_cast<int>(s)];
}

struct AlertRecord {
  AlertSeverity severity = AlertSeverity::info;
  uint8_t reserved[7] = {};
  WallNanos ts{};
  char title[40] = {};  // "Kill switch"
  char text[96] = {};   // "trading halted: kill switch from 4242; closing positions"
};

enum class OpsEventKind : uint8_t {
  order_submitted = 0,
  exec_report,
  position,
  opportunity,
  audit,
  price_sample,
  system_state,
  daily_snapshot,
  alert,
};
inline constexpr int kOpsEventKindCount = 9;

struct OpsEvent {
  OpsEventKind kind = OpsEventKind::audit;
  union Payload {
    Payload() noexcept : audit{} {}
    OrderSubmittedRecord order_submitted;
    ExecReport exec_report;
    PositionRecord position;
    OpportunityRecord opportunity;
    AuditRecord audit;
    PriceSampleRecord price_sample;
    SystemStateRecord system_state;
    DailySnapshotRecord daily_snapshot;
    AlertRecord alert;
  } payload;

  static OpsEvent of(const OrderSubmittedRecord& r) noexcept {
    return make(OpsEventKind::order_submitted, &Payload::order_submitted, r);
  }
  static OpsEvent of(const ExecReport& r) noexcept {
    return make(OpsEventKind::exec_report, &Payload::exec_report, r);
  }
  static OpsEvent of(const PositionRecord& r) noexcept {
    return make(OpsEventKind::position, &Payload::position, r);
  }
  static OpsEvent of(const OpportunityRecord& r) noexcept {
    return make(OpsEventKind::opportunity, &Payload::opportunity, r);
  }
  static OpsEvent of(const AuditRecord& r) noexcept { return make(OpsEventKind::audit, &Payload::audit, r); }
  static OpsEvent of(const PriceSampleRecord& r) noexcept {
    return make(OpsEventKind::price_sample, &Payload::price_sample, r);
  }
  static OpsEvent of(const SystemStateRecord& r) noexcept {
    return make(OpsEventKind::system_state, &Payload::system_state, r);
  }
  static OpsEvent of(const DailySnapshotRecord& r) noexcept {
    return make(OpsEventKind::daily_snapshot, &Payload::daily_snapshot, r);
  }
  static OpsEvent of(const AlertRecord& r) noexcept { return make(OpsEventKind::alert, &Payload::alert, r); }

 private:
  template <typename Record>
  static OpsEvent make(OpsEventKind kind, Record Payload::*member, const Record& r) noexcept {
    OpsEvent e;
    e.kind = kind;
    std::construct_at(&(e.payload.*member), r);  // `member` becomes the union's active member
    return e;
  }
};

static_assert(std::is_trivially_copyable_v<OpsEvent>,
              "OpsEvent is copied into a lock-free queue by hot threads: a plain memcpy, no destructor");
static_assert(sizeof(OpsEvent) <= 192, "OpsEvent stays within three cache lines");

constexpr std::string_view to_string(OpsEventKind k) noexcept {
  constexpr std::string_view kNames[] = {"order_submitted", "exec_report",    "position",
                                         "opportunity",     "audit",          "price_sample",
                                         "system_state",    "daily_snapshot", "alert"};
  return kNames[static_cast<int>(k)];
}

}  // namespace pmx
