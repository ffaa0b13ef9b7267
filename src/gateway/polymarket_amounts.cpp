#include "pmx/gateway/polymarket_amounts.h"

namespace pmx::gateway {

namespace {

struct RoundConfig {
  int32_t tick_ticks;  // the tick size in Price ticks
  int price_decimals;
  int size_decimals;
  int amount_decimals;
};

constexpr RoundConfig kRoundConfigs[] = {
    {1000, 1, 2, 3}, {100, 2, 2, 4}, {10, 3, 2, 5}, {1, 4, 2, 6}, {50, 3, 2, 5}, {25, 4, 2, 6},
};

constexpr int64_t pow10(int n) noexcept {
  int64_t v = 1;
  while (n-- > 0)
    v *= 10;
  return v;
}

}  // namespace

GatewayError polymarket_limit_amounts(Side side, Price price, Qty size, Price tick,
                                      PolymarketAmounts& out) noexcept {
  const RoundConfig* config = nullptr;
  for (const RoundConfig& c : kRoundConfigs)
    if (c.tick_ticks == tick.ticks) config = &c;
  if (!config) return GatewayError::unknown_tick_size;
  if (price.ticks < tick.ticks || price.ticks > Price::kTicksPerDollar - tick.ticks)
    return GatewayError::bad_price;
  if (size.units <= 0) return GatewayError::bad_size;

  // price' in ticks: half-up to price_decimals (price is positive, so half-up = half away from zero).
  const int64_t price_step = pow10(Price::kDecimals - config->price_decimals);
  const int64_t rounded_price = (price.ticks + price_step / 2) / price_step * price_step;

  // shares in base units (10^-6): size floored to size_decimals.
  const int64_t size_step = pow10(Qty::kDecimals - config->size_decimals);
  const int64_t shares = size.units / size_step * size_step;

  // cash in base units: shares (10^-6) × price' (10^-4) / 10^4, exact because shares is a
  // multiple of 10^4; then floored to amount_decimals. 128 bits: no overflow for any int64 size.
  const Int128 cash_exact = static_cast<Int128>(shares) * rounded_price / Price::kTicksPerDollar;
  const int64_t amount_step = pow10(6 - config->amount_decimals);
  const Int128 cash = cash_exact / amount_step * amount_step;
  if (shares == 0 || cash == 0) return GatewayError::bad_size;
  if (cash > static_cast<Int128>(INT64_MAX)) return GatewayError::bad_size;

  const auto shares_units = static_cast<uint64_t>(shares);
  const auto cash_units = static_cast<uint64_t>(cash);
  out = side == Side::buy ? PolymarketAmounts{cash_units, shares_units}
                          : PolymarketAmounts{shares_units, cash_units};
  return GatewayError::ok;
}

}  // namespace pmx::gateway
