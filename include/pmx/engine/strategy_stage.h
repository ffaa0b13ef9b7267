// StrategyStage: the strategy thread's loop body around StrategyEngine. One poll() is one round
// and never blocks:
//
//   1. control   the shm control mailbox (one acquire load when empty): kill / resume / mode / set
//                (a set of a runtime key goes on to StrategyEngine::apply_runtime_config at once)
//   2. reports   the gateway's ExecReports -> engine (positions, risk); position records to ops
//                (realized P&L and fees of the round trip since the position opened, net of fees:
//                Position::round_trip_pnl / round_trip_fees, still there in the closing fill's record)
//   3. intents   intents that found the ring full last round go first (the backlog)
//   4. events    up to max_events_per_round from each feed ring, in order: each is forwarded to
//                book_mirror FIRST (so the gateway's books are never behind an intent the event
//                caused), then run through the engine; its intents go to the intents ring, its
//                opportunities to shm and ops, its decisions and refusals to the ops audit trail.
//                A feed ring is left alone while book_mirror or the intent backlog has no room
//                (back-pressure: nothing is dropped).
//   5. ops       price samples (a sweep of every book every price_sample_interval_ns, a bounded
//                slice per round) and the daily snapshot once the UTC clock passes the hour
//   6. shm       every publish_interval_ns (mono): heartbeat, counters, the tops of the books that
//                changed, positions, account and risk rows
//
// Kill switch (halt): the engine refuses every new intent at once; a cancel-all message
// (kIntentCancelAll) goes to the gateway on the intents ring, behind any intent already sent;
// with close_positions, one reduce-only marketable IOC per open position follows it; the shm
// status shows halted + reason at once; ops gets system_state trading_halted=1, an audit
// kill_switch record and a critical alert. A kill command is acted on in the round that reads it,
// before that round's events, so no intent is decided after it.
//
// Time is injected: `now` (WallNanos) is the strategy clock (simulated in backtests); `mono`
// drives the publish cadence. Latency histograms (feed_to_strategy, strategy_decision) use
// options.clock (the real monotonic clock by default) and compare it with each event's recv_ts.
//
// Single-threaded (the strategy thread), noexcept and allocation-free after construction, apart
// from control commands (rare; their reply text is formatted).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "pmx/core/clock.h"
#include "pmx/core/order.h"
#include "pmx/engine/control_commands.h"
#include "pmx/engine/engine_rings.h"
#include "pmx/engine/strategy_engine.h"
#include "pmx/feed/market_info.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/shm/segment.h"

namespace pmx {

// Intents the stage makes itself (kill-switch closes) have this bit set; the engine's ids never
// do, and the gateway's own use bits 63 and 62. A close id is run_scoped_id(kStageIntentBit,
// run_epoch, n) (pmx/persist/run_epoch.h): unique for the life of the database, as the orders
// table finds a row by its intent_id.
inline constexpr uint64_t kStageIntentBit = uint64_t{1} << 61;

struct StrategyStageOptions {
  size_t max_events_per_round = 256;  // per feed ring
  size_t max_reports_per_round = 1024;
  size_t intent_backlog = 1024;                       // intents waiting for room in the intents ring
  int64_t publish_interval_ns = 1'000'000;            // shm tables, mono clock
  int64_t price_sample_interval_ns = 60'000'000'000;  // wall clock; <= 0: no price samples
  size_t price_samples_per_round = 64;
  int daily_snapshot_hour_utc = 0;           // 0..23; < 0: no daily snapshot
  bool record_latencies = true;              // feed_to_strategy, strategy_decision histograms
  MonoNanos (*clock)() noexcept = mono_now;  // latency stamps only
  ControlState control{};                    // initial status, config and allow_live
  uint64_t run_epoch = 0;                    // begin_run()'s value: folded into the close ids
};

struct StrategyStageCounters {
  uint64_t rounds = 0;
  uint64_t events = 0;       // taken from the feed rings
  uint64_t mirror_full = 0;  // rounds a feed was left waiting because book_mirror was full
  uint64_t intents = 0;      // pushed to the intents ring (closes and cancel-alls included)
  uint64_t intent_backlog_high = 0;
  uint64_t intents_lost = 0;  // backlog full: answered to the engine as rejected (a sizing bug)
  uint64_t reports = 0;
  uint64_t fills = 0;
  uint64_t opportunities = 0;
  uint64_t refusals = 0;  // opportunity groups risk refused
  uint64_t halts = 0;
  uint64_t resumes = 0;
  uint64_t closes_sent = 0;  // kill-switch reduce-only closes
  uint64_t commands = 0;
  uint64_t command_failures = 0;  // a command handler threw (allocation failure)
  uint64_t price_samples = 0;
  uint64_t daily_snapshots = 0;
  uint64_t ops_dropped = 0;  // OpsQueue full: the record is lost (never waited for)
  uint64_t publishes = 0;
};

class StrategyStage {
 public:
  // Start-up (allocates; registers shm counters, which throws if their names are taken).
  // `shm` and `ops` may be null (backtests, tests). Everything referenced must outlive the stage.
  StrategyStage(StrategyEngine& engine, EngineRings& rings, const MarketUniverse& universe,
                shm::StateWriter* shm, OpsQueue* ops, StrategyStageOptions options = {});
  StrategyStage(const StrategyStage&) = delete;
  StrategyStage& operator=(const StrategyStage&) = delete;

  // One round (see above). True when it did any work.
  bool poll(WallNanos now, MonoNanos mono) noexcept;

  // Kill switch; see above. Idempotent apart from the cancel-all, which is sent again.
  void halt(bool close_positions, WallNanos now, std::string_view reason = "kill switch") noexcept;
  void resume(WallNanos now) noexcept;
  bool halted() const noexcept { return status().halted != 0; }

  void on_feed_connected(Venue venue, WallNanos now) noexcept;
  void on_feed_disconnected(Venue venue, WallNanos now) noexcept;

  // The daily snapshot now (shutdown); also what the hourly trigger sends.
  void write_daily_snapshot(WallNanos now) noexcept;

  const shm::EngineStatus& status() const noexcept { return control_.status; }
  const Config& config() const noexcept { return control_.config; }
  const StrategyStageCounters& counters() const noexcept { return counters_; }
  size_t intent_backlog() const noexcept { return backlog_count_; }

 private:
  struct ShmCounters;

  void poll_control(WallNanos now, MonoNanos mono) noexcept;
  size_t drain_reports(WallNanos now) noexcept;
  size_t drain_feed(SpscRing<MarketEvent>& ring, WallNanos now) noexcept;
  void on_event(const MarketEvent& event, WallNanos now) noexcept;
  void send_intent(const OrderIntent& intent, WallNanos now) noexcept;
  bool flush_backlog(WallNanos now) noexcept;
  void on_opportunity(const Opportunity& opportunity) noexcept;
  void audit_decision(const OrderIntent& intent, WallNanos now) noexcept;
  void audit_refusals(const OrderIntent* first_intent, WallNanos now) noexcept;
  void close_positions(WallNanos now) noexcept;
  void sample_prices(WallNanos now) noexcept;
  void maybe_daily_snapshot(WallNanos now) noexcept;
  void publish(WallNanos now, MonoNanos mono) noexcept;
  void publish_status() noexcept;
  void mark_dirty(InstrumentId id) noexcept;
  bool push_ops(const OpsEvent& event) noexcept;
  void alert(AuditKind kind, uint16_t code, std::string_view reason, WallNanos now) noexcept;

  StrategyEngine& engine_;
  EngineRings& rings_;
  const MarketUniverse& universe_;
  shm::StateWriter* shm_;
  OpsQueue* ops_;
  std::optional<OpsQueue::Producer> producer_;
  StrategyStageOptions options_;
  ControlState control_;
  StrategyStageCounters counters_;

  // Intents waiting for the ring: a fixed FIFO.
  std::vector<OrderIntent> backlog_;
  size_t backlog_head_ = 0;
  size_t backlog_count_ = 0;
  bool cancel_all_pending_ = false;

  // One event's opportunities, held until its intents are known (acted or not).
  std::array<OpportunityRecord, 8> event_opportunities_{};
  size_t event_opportunity_count_ = 0;
  uint64_t event_intents_ = 0;
  std::array<OrderIntent, Opportunity::kMaxLegs + 1> event_intent_log_{};  // for the audit trail
  std::array<uint64_t, 32> refusals_seen_{};  // by RiskRefusal, what has been audited
  uint64_t groups_refused_seen_ = 0;
  uint64_t close_seq_ = 0;

  // shm publishing.
  std::vector<uint32_t> dirty_list_;
  std::vector<uint8_t> dirty_flag_;
  std::vector<uint32_t> position_slot_;  // by instrument: shm position slot, UINT32_MAX none
  std::vector<uint32_t> held_;           // instruments with a position slot
  std::vector<uint8_t> opened_by_;       // by instrument: StrategyKind of the last intent
  int64_t next_publish_mono_ = 0;
  std::vector<shm::Counter> shm_counters_;
  shm::LatencyHistogram* feed_to_strategy_ = nullptr;
  shm::LatencyHistogram* strategy_decision_ = nullptr;

  // ops schedule.
  int64_t next_sample_wall_ = 0;
  uint32_t sample_cursor_ = UINT32_MAX;  // UINT32_MAX: no sweep in progress
  int64_t snapshot_day_ = INT64_MIN;     // UTC day of the last daily snapshot (or start-up's skip)
  int64_t fills_today_ = 0, wins_today_ = 0, losses_today_ = 0, opportunities_today_ = 0;
  int64_t stats_day_ = INT64_MIN;
  Money worst_drawdown_today_{};
};

}  // namespace pmx
