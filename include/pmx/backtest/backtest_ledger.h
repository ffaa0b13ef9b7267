// BacktestLedger: the ReplayObserver that turns the stages' ops records into a BacktestReport.
//
//   order_submitted  -> an intent (its strategy, for the fills that follow)
//   exec_report      -> a trade per fill; terminal rejections and cancellations counted
//   opportunity      -> counted by strategy (and whether intents were sent for it)
//   audit            -> decisions and refusals (by reason)
//   (fills also go to a mirror Portfolio: a fill that closes a position ends a round trip, whose
//   P&L net of fees the Portfolio reports; the PositionRecord of a close carries the reset
//   round_trip_pnl, 0, so it cannot be used)
//   every round      -> equity at mid: running drawdown, the UTC day's close, the equity curve
//
// Round trips still open at the end count at the engine's final mark (finish()). The equity curve
// keeps a point at most every curve_interval_ns of simulated time (and at every fill), then is
// thinned to at most max_curve_points for the report. Start-up/report code: allocates.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "pmx/backtest/backtest_report.h"
#include "pmx/backtest/metrics.h"
#include "pmx/backtest/replay_pipeline.h"
#include "pmx/feed/market_info.h"
#include "pmx/risk/portfolio.h"

namespace pmx {

struct BacktestLedgerOptions {
  int64_t curve_interval_ns = 60'000'000'000;
  size_t max_curve_points = 2'000;
};

class BacktestLedger final : public ReplayObserver {
 public:
  // `universe` must be complete (its size sizes the mirror Portfolio) and outlive the ledger.
  BacktestLedger(const MarketUniverse& universe, Money starting_capital, BacktestLedgerOptions options = {});

  void on_ops_event(const OpsEvent& event) override;
  void on_round(WallNanos now, const Portfolio& portfolio) override;

  // The results into `report` (trades, breakdown, metrics, counts); `portfolio` is the engine's
  // at the end of the replay.
  void finish(const Portfolio& portfolio, BacktestReport& report) const;

  const std::vector<TradeRow>& trades() const noexcept { return trades_; }
  const std::vector<OpportunityRecord>& opportunities() const noexcept { return opportunities_; }
  const std::vector<OrderIntent>& intents() const noexcept { return intents_; }

 private:
  static constexpr size_t kUnwind = kStrategyKindCount;  // the extra breakdown row
  static constexpr size_t kRows = kStrategyKindCount + 1;

  size_t row_of_intent(uint64_t intent_id, uint64_t group_id) const noexcept;
  void on_fill(const ExecReport& report);
  void add_curve_point(WallNanos now, Money equity);

  const MarketUniverse& universe_;
  Money starting_capital_;
  BacktestLedgerOptions options_;

  std::unordered_map<uint64_t, uint8_t> intent_strategy_;    // intent id -> StrategyKind
  std::unordered_map<uint64_t, uint8_t> position_strategy_;  // instrument*2+outcome -> opener
  Portfolio mirror_;  // the engine's positions, rebuilt from the same fills
  std::vector<TradeRow> trades_;
  std::vector<OpportunityRecord> opportunities_;
  std::vector<OrderIntent> intents_;
  std::array<uint64_t, kRows> opportunities_by_row_{};
  std::array<uint64_t, kRows> intents_by_row_{};
  std::array<uint64_t, kRows> fills_by_row_{};
  std::array<Money, kRows> fees_by_row_{};
  std::array<std::vector<Money>, kRows> round_trips_by_row_;
  uint64_t opportunities_acted_ = 0;
  uint64_t decisions_ = 0;
  uint64_t rejected_ = 0;
  uint64_t cancelled_ = 0;
  std::map<std::string, uint64_t> refusals_;  // by reason text (sorted: stable output)
  uint64_t other_audit_ = 0;

  DrawdownTracker drawdown_;
  std::vector<DayClose> day_closes_;
  std::vector<EquityPoint> curve_;
  bool fill_this_round_ = false;
  WallNanos first_round_{};
  WallNanos last_round_{};
  bool any_round_ = false;
};

}  // namespace pmx
