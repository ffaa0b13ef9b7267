#include "pmx/backtest/metrics.h"

#include <cmath>

namespace pmx {

int32_t utc_date_yyyymmdd(int64_t day) noexcept {
  // Howard Hinnant's civil_from_days.
  const int64_t z = day + 719'468;
  const int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const int64_t doe = z - era * 146'097;
  const int64_t yoe = (doe - doe / 1'460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return static_cast<int32_t>(y * 10'000 + m * 100 + d);
}

std::vector<DailyReturn> daily_returns(std::span<const DayClose> closes, Money starting_capital) {
  std::vector<DailyReturn> out;
  out.reserve(closes.size());
  Money previous = starting_capital;
  for (const DayClose& c : closes) {
    DailyReturn r;
    r.day = c.day;
    r.close = c.equity;
    r.return_fraction = previous.micros != 0 ? static_cast<double>(c.equity.micros - previous.micros) /
                                                   static_cast<double>(previous.micros)
                                             : 0.0;
    out.push_back(r);
    previous = c.equity;
  }
  return out;
}

std::optional<double> annualized_sharpe(std::span<const DailyReturn> returns) {
  if (returns.size() < 2) return std::nullopt;
  double sum = 0.0;
  for (const DailyReturn& r : returns)
    sum += r.return_fraction;
  const double n = static_cast<double>(returns.size());
  const double mean = sum / n;
  double squares = 0.0;
  for (const DailyReturn& r : returns)
    squares += (r.return_fraction - mean) * (r.return_fraction - mean);
  const double sd = std::sqrt(squares / (n - 1.0));
  if (!(sd > 0.0)) return std::nullopt;
  return mean / sd * std::sqrt(365.0);
}

void DrawdownTracker::add(Money equity) noexcept {
  if (equity > peak_) peak_ = equity;
  current_ = peak_ - equity;
  if (current_ > stats_.max_drawdown) {
    stats_.max_drawdown = current_;
    stats_.max_drawdown_pct =
        peak_.micros > 0 ? 100.0 * static_cast<double>(current_.micros) / static_cast<double>(peak_.micros)
                         : 0.0;
  }
}

DrawdownStats max_drawdown(std::span<const Money> equity, Money starting_capital) noexcept {
  DrawdownTracker tracker(starting_capital);
  for (const Money e : equity)
    tracker.add(e);
  return tracker.stats();
}

WinLossStats win_loss(std::span<const Money> round_trips) noexcept {
  WinLossStats s;
  int64_t won = 0, lost = 0;
  for (const Money pnl : round_trips) {
    if (pnl.micros > 0) {
      ++s.wins;
      won += pnl.micros;
    } else {
      ++s.losses;
      lost += pnl.micros;
    }
  }
  const uint64_t total = s.wins + s.losses;
  if (total > 0) s.win_rate = static_cast<double>(s.wins) / static_cast<double>(total);
  if (s.wins > 0) s.avg_win = Money::from_micros(won / static_cast<int64_t>(s.wins));
  if (s.losses > 0) s.avg_loss = Money::from_micros(lost / static_cast<int64_t>(s.losses));
  return s;
}

}  // namespace pmx
