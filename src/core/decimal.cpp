// Out-of-line parts of decimal.h: error names, error classification, formatting.
#include "pmx/core/decimal.h"

#include <cstring>

namespace pmx {

std::string_view to_string(DecimalError e) noexcept {
  switch (e) {
    case DecimalError::ok:
      return "ok";
    case DecimalError::empty:
      return "empty decimal";
    case DecimalError::bad_character:
      return "bad character in decimal";
    case DecimalError::exponent:
      return "exponent not allowed in decimal";
    case DecimalError::not_a_number:
      return "NaN or infinity is not a decimal";
    case DecimalError::no_digits:
      return "decimal has no digits";
    case DecimalError::too_many_decimals:
      return "more fractional digits than the type holds";
    case DecimalError::overflow:
      return "decimal out of range for the type";
  }
  return "unknown decimal error";
}

namespace detail {

namespace {

bool equals_ignoring_case(std::string_view text, std::string_view lower) noexcept {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char folded = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (folded != lower[i]) return false;
  }
  return true;
}

}  // namespace

DecimalError classify_invalid(std::string_view text, const char* bad) noexcept {
  if (*bad == 'e' || *bad == 'E') return DecimalError::exponent;
  std::string_view body = text;
  if (!body.empty() && (body.front() == '-' || body.front() == '+')) body.remove_prefix(1);
  if (equals_ignoring_case(body, "nan") || equals_ignoring_case(body, "inf") ||
      equals_ignoring_case(body, "infinity")) {
    return DecimalError::not_a_number;
  }
  return DecimalError::bad_character;
}

}  // namespace detail

std::string_view format_fixed(int64_t value, int decimals, int min_decimals, char* buf, size_t cap) noexcept {
  if (decimals < 0 || decimals > kMaxFixedDecimals || min_decimals < 0 || min_decimals > decimals) {
    return {};
  }
  // Magnitude in unsigned arithmetic so that INT64_MIN has one too.
  const uint64_t magnitude = value < 0 ? ~static_cast<uint64_t>(value) + 1 : static_cast<uint64_t>(value);
  const uint64_t pow = detail::kPow10[decimals];
  uint64_t integer = magnitude / pow;
  uint64_t fraction = magnitude % pow;
  int fraction_digits = decimals;
  while (fraction_digits > min_decimals && fraction % 10 == 0) {
    fraction /= 10;
    --fraction_digits;
  }

  // Build right to left in a scratch buffer, then copy out.
  char tmp[kMaxFixedChars];
  char* p = tmp + kMaxFixedChars;
  for (int i = 0; i < fraction_digits; ++i) {
    *--p = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  if (fraction_digits > 0) *--p = '.';
  do {
    *--p = static_cast<char>('0' + integer % 10);
    integer /= 10;
  } while (integer != 0);
  if (value < 0) *--p = '-';

  const size_t length = static_cast<size_t>(tmp + kMaxFixedChars - p);
  if (length > cap) return {};
  std::memcpy(buf, p, length);
  return {buf, length};
}

}  // namespace pmx
