#include "pmx/alert/alert_text.h"

#include <cstdint>

namespace pmx {

namespace {

// |value| as unsigned, correct for INT64_MIN too.
uint64_t magnitude(int64_t value) noexcept {
  return value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

// "1,234" from 1234.
void append_grouped(std::string& out, uint64_t whole) {
  const std::string digits = std::to_string(whole);
  for (size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
}

// The `decimals`-digit fraction, trailing zeros dropped down to `min_decimals` digits.
void append_fraction(std::string& out, uint64_t fraction, int decimals, int min_decimals) {
  std::string digits(static_cast<size_t>(decimals), '0');
  for (int k = decimals - 1; k >= 0; --k, fraction /= 10)
    digits[static_cast<size_t>(k)] = static_cast<char>('0' + fraction % 10);
  size_t keep = digits.size();
  while (keep > static_cast<size_t>(min_decimals) && digits[keep - 1] == '0')
    --keep;
  if (keep == 0) return;
  out += '.';
  out.append(digits, 0, keep);
}

std::string fixed_text(int64_t value, uint64_t scale, int decimals, int min_decimals, bool dollar,
                       bool plus) {
  std::string out;
  if (value < 0)
    out += '-';
  else if (plus)
    out += '+';
  if (dollar) out += '$';
  const uint64_t m = magnitude(value);
  append_grouped(out, m / scale);
  append_fraction(out, m % scale, decimals, min_decimals);
  return out;
}

}  // namespace

std::string money_text(Money money) {
  return fixed_text(money.micros, Money::kMicrosPerDollar, Money::kDecimals, 2, true, false);
}

std::string signed_money_text(Money money) {
  return fixed_text(money.micros, Money::kMicrosPerDollar, Money::kDecimals, 2, true, true);
}

std::string price_text(Price price) {
  return fixed_text(price.ticks, Price::kTicksPerDollar, Price::kDecimals, 2, true, false);
}

std::string qty_text(Qty qty) {
  return fixed_text(qty.units, Qty::kUnitsPerContract, Qty::kDecimals, 0, false, false);
}

}  // namespace pmx
