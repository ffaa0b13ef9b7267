// BacktestReport: everything a backtest found, as plain data for the JSON and HTML writers.
// Money, prices and sizes are the fixed-point types (printed as exact decimals); ratios are
// doubles (printed with a fixed number of decimals, so two runs give the same bytes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pmx/backtest/metrics.h"
#include "pmx/core/order.h"
#include "pmx/core/types.h"

namespace pmx {

struct TradeRow {
  WallNanos time{};
  Venue venue = Venue::kalshi;
  std::string instrument;  // Kalshi ticker or Polymarket token id
  Side side = Side::buy;
  Outcome outcome = Outcome::yes;
  Price price{};
  Qty size{};
  Money fee{};
  std::string strategy;  // StrategyKind name, or "unwind" for the gateway's own unwinds
  Liquidity liquidity = Liquidity::taker;
  uint64_t intent_id = 0;
};

struct EquityPoint {
  WallNanos time{};
  Money equity{};    // cash + positions marked at mid
  Money drawdown{};  // below the running peak
};

struct StrategyBreakdown {
  std::string strategy;
  uint64_t opportunities = 0;
  uint64_t intents = 0;
  uint64_t trades = 0;  // fills
  uint64_t round_trips = 0;
  Money pnl{};   // round trips' P&L net of fees (open positions at the final mark)
  Money fees{};  // fees of the fills
  WinLossStats win_loss{};
};

struct BacktestReport {
  // Inputs.
  std::string source;  // "capture" or "price_history"
  uint64_t seed = 0;
  WallNanos start{};
  WallNanos end{};

  // Results.
  Money starting_capital{};
  Money final_capital{};  // equity at mid at the end
  Money realized_pnl{};
  Money unrealized_pnl{};
  Money fees_paid{};
  double total_return_pct = 0.0;
  std::optional<double> sharpe_ratio;
  DrawdownStats drawdown{};
  WinLossStats win_loss{};
  uint64_t round_trips = 0;
  uint64_t open_positions = 0;  // at the end (their round trips are counted at the final mark)

  std::vector<TradeRow> trades;
  std::vector<StrategyBreakdown> strategies;  // StrategyKind order, then "unwind"
  std::vector<DailyReturn> daily_returns;
  std::vector<EquityPoint> equity_curve;

  // Named counts in a fixed order: opportunities, intents, refusals (by reason), input quality.
  std::vector<std::pair<std::string, uint64_t>> counts;
  std::vector<std::string> notes;
};

}  // namespace pmx
