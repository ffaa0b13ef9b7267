// Percent thresholds on money and the UTC day, shared by the portfolio, the circuit breakers and
// the pre-trade checks so that every "x % of capital" means exactly the same micro-dollar figure.
//
// Configured percentages are doubles (risk.max_drawdown_pct = 20.0); money is exact. A breaker
// that trips when a loss reaches pct % of a base must trip at the first micro-dollar at or above
// the real-valued threshold (ceil), and a cap that allows exposure up to pct % of a base must allow
// the last micro-dollar at or below it (floor). A tolerance of 1e-6 micro-dollar absorbs the binary
// representation of the percentage (0.1 is not exact), so $10,000 x 20 % is exactly $2,000.
#pragma once

#include <cmath>
#include <cstdint>

#include "pmx/core/clock.h"
#include "pmx/core/types.h"

namespace pmx {

namespace risk_detail {
inline constexpr double kPercentTolerance = 1e-6;  // micro-dollars
inline double percent_of_micros(Money base, double pct) noexcept {
  return static_cast<double>(base.micros) * pct / 100.0;
}
}  // namespace risk_detail

// Smallest whole micro-dollar amount >= pct % of `base`: a loss of this much trips a breaker.
inline Money threshold_of(Money base, double pct) noexcept {
  const double real = risk_detail::percent_of_micros(base, pct);
  return Money{static_cast<int64_t>(std::ceil(real - risk_detail::kPercentTolerance))};
}

// Largest whole micro-dollar amount <= pct % of `base`: exposure up to this much is allowed.
inline Money cap_of(Money base, double pct) noexcept {
  const double real = risk_detail::percent_of_micros(base, pct);
  return Money{static_cast<int64_t>(std::floor(real + risk_detail::kPercentTolerance))};
}

// The UTC day number of a wall-clock time (days since 1970-01-01), floor division.
constexpr int64_t utc_day(WallNanos t) noexcept {
  return t.ns >= 0 ? t.ns / kNanosPerDay : -((-t.ns + kNanosPerDay - 1) / kNanosPerDay);
}

constexpr int64_t seconds_to_nanos(int64_t seconds) noexcept {
  return seconds * kNanosPerSecond;
}

}  // namespace pmx
