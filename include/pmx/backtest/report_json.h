// The backtest's JSON report. Byte-stable: keys in a fixed order, money as exact decimals with six
// places (micro-dollars), prices with four (ticks of $0.0001), sizes with six (millionths of a
// contract), ratios and percentages with six decimals, times as UTC ISO-8601 with nanoseconds.
//
//   {"report":"pmx-backtest","version":1,"source":...,"seed":...,"start":...,"end":...,
//    "starting_capital":...,"final_capital":...,"total_return_pct":...,"sharpe_ratio":...|null,
//    "sharpe_days":...,"max_drawdown":...,"max_drawdown_pct":...,"win_rate":...,"wins":...,
//    "losses":...,"avg_win":...,"avg_loss":...,"fees_paid":...,"realized_pnl":...,
//    "unrealized_pnl":...,"round_trips":...,"open_positions":...,
//    "counts":{...},"strategies":[...],"daily_returns":[...],"equity_curve":[...],
//    "trades":[...],"notes":[...]}
#pragma once

#include <string>

#include "pmx/backtest/backtest_report.h"

namespace pmx {

std::string report_to_json(const BacktestReport& report);

// "2026-11-24T12:00:00.000000000Z"
std::string format_utc_nanos(WallNanos t);

}  // namespace pmx
