#include "pmx/model/fees.h"

#include <cmath>

namespace pmx {
namespace {

constexpr int64_t kCentMicros = 10'000;

// micro-dollars = ppm x units x t x (10^4 - t) / (10^6 ppm x 10^6 units/contract x 10^8 ticks^2
// x 10^-6 micros/dollar) = ppm x units x t x (10^4 - t) / 10^14, rounded up.
Money kalshi_quadratic(double coefficient, Price price, Qty qty) noexcept {
  const int64_t t = price.ticks;
  if (qty.units <= 0 || t <= 0 || t >= Price::kTicksPerDollar || coefficient <= 0.0) return Money{};
  const auto ppm = static_cast<Int128>(std::llround(coefficient * 1e6));
  const Int128 numerator = ppm * qty.units * t * (Price::kTicksPerDollar - t);
  constexpr Int128 kDenominator = static_cast<Int128>(100'000'000'000'000);  // 10^14
  const Int128 micros = (numerator + kDenominator - 1) / kDenominator;
  const Int128 cents = (micros + kCentMicros - 1) / kCentMicros;
  return Money{static_cast<int64_t>(cents * kCentMicros)};
}

}  // namespace

Money kalshi_fee(Price price, Qty qty, Liquidity liquidity, const FeeParams& fees) noexcept {
  if (liquidity == Liquidity::maker) {
    if (!fees.kalshi_maker_fees) return Money{};
    return kalshi_quadratic(kKalshiMakerCoefficient * fees.kalshi_multiplier, price, qty);
  }
  return kalshi_quadratic(kKalshiTakerCoefficient * fees.kalshi_multiplier, price, qty);
}

Money polymarket_fee(Price price, Qty qty, Liquidity liquidity, const FeeParams& fees) noexcept {
  if (liquidity == Liquidity::maker || fees.polymarket_rate <= 0.0 || qty.units <= 0) return Money{};
  const double p = price.as_double();
  if (p <= 0.0 || p >= 1.0) return Money{};
  const double per_share = fees.polymarket_rate * std::pow(p * (1.0 - p), fees.polymarket_exponent);
  const double micros = per_share * qty.as_double() * static_cast<double>(Money::kMicrosPerDollar);
  return Money{static_cast<int64_t>(std::ceil(micros - 1e-6))};
}

Money trading_fee(Venue venue, Price price, Qty qty, Liquidity liquidity, const FeeParams& fees) noexcept {
  return venue == Venue::kalshi ? kalshi_fee(price, qty, liquidity, fees)
                                : polymarket_fee(price, qty, liquidity, fees);
}

}  // namespace pmx
