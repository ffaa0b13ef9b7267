// Backtest performance figures from an equity series and round-trip P&Ls.
//
// Sharpe ratio: from daily returns (one per UTC day that has data: that day's closing equity over
// the previous close, the first day over the starting capital), mean / sample standard deviation
// (n - 1), annualized by sqrt(365) because prediction markets trade every day of the year. No
// risk-free rate is subtracted. Undefined (nullopt) with fewer than two returns or no variance.
//
// Drawdown: the largest fall from a running peak of equity, in money and in percent of that peak.
// Win rate: round trips with P&L > 0 over all round trips (a break-even one is not a win).
// Money stays fixed point; averages are exact integer divisions truncated to the micro-dollar.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "pmx/core/clock.h"
#include "pmx/core/types.h"

namespace pmx {

// A UTC day number (days since 1970-01-01) and its date as yyyymmdd.
inline int64_t utc_day(WallNanos t) noexcept {
  return t.ns >= 0 ? t.ns / kNanosPerDay : -((-t.ns + kNanosPerDay - 1) / kNanosPerDay);
}
int32_t utc_date_yyyymmdd(int64_t day) noexcept;

struct DayClose {
  int64_t day = 0;  // utc_day
  Money equity{};   // the last equity of that day
};

struct DailyReturn {
  int64_t day = 0;
  Money close{};
  double return_fraction = 0.0;  // close / previous close - 1
};

std::vector<DailyReturn> daily_returns(std::span<const DayClose> closes, Money starting_capital);
std::optional<double> annualized_sharpe(std::span<const DailyReturn> returns);

struct DrawdownStats {
  Money max_drawdown{};           // >= 0
  double max_drawdown_pct = 0.0;  // of the peak it fell from, 0-100
};

// Running peak over the series, starting from `starting_capital`.
class DrawdownTracker {
 public:
  explicit DrawdownTracker(Money starting_capital) noexcept : peak_(starting_capital) {}
  void add(Money equity) noexcept;
  const DrawdownStats& stats() const noexcept { return stats_; }
  Money peak() const noexcept { return peak_; }
  Money drawdown() const noexcept { return current_; }

 private:
  Money peak_{};
  Money current_{};
  DrawdownStats stats_{};
};

DrawdownStats max_drawdown(std::span<const Money> equity, Money starting_capital) noexcept;

struct WinLossStats {
  uint64_t wins = 0;
  uint64_t losses = 0;    // P&L <= 0
  double win_rate = 0.0;  // wins / (wins + losses), 0 when there is no round trip
  Money avg_win{};        // mean P&L of the wins (>= 0)
  Money avg_loss{};       // mean P&L of the losses (<= 0)
};

WinLossStats win_loss(std::span<const Money> round_trips) noexcept;

}  // namespace pmx
