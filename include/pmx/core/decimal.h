// Exact decimal strings <-> fixed-point integers (Price, Qty, Money), with no floating point.
//
// The venues send every price and size as a JSON string ("0.4800", "13999.44", "0.001"), so a
// feed parser hands the bytes between the quotes to parse_price / parse_qty / parse_money and
// gets the exact integer. The parsers are inline (they sit in the feed parsers' inner loop and
// the scale is a constant there), one pass over the bytes, noexcept, no allocation.
//
// Grammar accepted, and nothing else:
//
//     [-] digits [ . [digits] ]   |   [-] . digits        ("0.48", ".48", "1.", "-54.00", "007")
//
//   * A leading '+' is rejected (bad_character): no venue sends one and JSON forbids it.
//   * Leading zeros are allowed; "-0" parses as 0.
//   * Strict scale: any fractional digit beyond `decimals` is too_many_decimals, even a zero
//     ("0.48000" is not a Price). Silently dropping digits would hide a venue format change.
//
// Errors are checked in this order: empty; syntax (bad_character, exponent, not_a_number,
// no_digits) over the whole text; too_many_decimals; overflow. `out` is written only on `ok`.
//
// format_fixed is the inverse, for writing venue requests ("0.4800", "10.00").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "pmx/core/types.h"

namespace pmx {

enum class DecimalError : uint8_t {
  ok,
  empty,              // zero-length text
  bad_character,      // anything outside [-.0-9], a second sign or dot, '+', whitespace, hex
  exponent,           // 'e' or 'E' ("1e3", "1E-2"): venues never send exponents for prices
  not_a_number,       // "nan", "inf", "infinity" in any case, optionally signed
  no_digits,          // "-", ".", "-."
  too_many_decimals,  // more fractional digits than the target type holds
  overflow,           // value * 10^decimals does not fit the target (int64; int32 for Price)
};

std::string_view to_string(DecimalError e) noexcept;

// Largest scale parse_fixed and format_fixed support: 10^18 is the largest power of ten in int64.
inline constexpr int kMaxFixedDecimals = 18;

// Longest text format_fixed can produce: sign, 19 digits and a dot ("-9.223372036854775808").
inline constexpr size_t kMaxFixedChars = 21;

namespace detail {

inline constexpr uint64_t kPow10[kMaxFixedDecimals + 1] = {
    1ULL,
    10ULL,
    100ULL,
    1'000ULL,
    10'000ULL,
    100'000ULL,
    1'000'000ULL,
    10'000'000ULL,
    100'000'000ULL,
    1'000'000'000ULL,
    10'000'000'000ULL,
    100'000'000'000ULL,
    1'000'000'000'000ULL,
    10'000'000'000'000ULL,
    100'000'000'000'000ULL,
    1'000'000'000'000'000ULL,
    10'000'000'000'000'000ULL,
    100'000'000'000'000'000ULL,
    1'000'000'000'000'000'000ULL,
};

// Error path only: names what is wrong with `text` given that the byte at `bad` (inside text)
// is neither a digit nor an acceptable dot. Out of line to keep the inlined parser small.
DecimalError classify_invalid(std::string_view text, const char* bad) noexcept;

}  // namespace detail

// Parses `text` as value * 10^decimals into `out`. Requires 0 <= decimals <= kMaxFixedDecimals;
// any other scale returns too_many_decimals without reading `text`.
inline DecimalError parse_fixed(std::string_view text, int decimals, int64_t& out) noexcept {
  if (decimals < 0 || decimals > kMaxFixedDecimals) return DecimalError::too_many_decimals;
  if (text.empty()) return DecimalError::empty;

  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = *p == '-';
  p += negative;

  // Accumulate every significant digit into one unsigned integer. Once acc >= 2^64/10 another
  // digit makes the value >= 1.8e19 > 2^63, so overflow is certain and we stop accumulating
  // (but keep scanning: a syntax error later in the text takes precedence).
  constexpr uint64_t kAccLimit = UINT64_MAX / 10;
  uint64_t acc = 0;
  bool overflow = false;
  bool excess_decimals = false;
  bool any_digit = false;

  for (; p != end; ++p) {
    const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
    if (digit > 9) break;
    any_digit = true;
    if (acc >= kAccLimit) {
      overflow = true;
    } else {
      acc = acc * 10 + digit;
    }
  }

  int fraction_digits = 0;
  if (p != end && *p == '.') {
    for (++p; p != end; ++p) {
      const unsigned digit = static_cast<unsigned char>(*p) - unsigned{'0'};
      if (digit > 9) break;
      any_digit = true;
      if (fraction_digits == decimals) {
        excess_decimals = true;
      } else if (acc >= kAccLimit) {
        overflow = true;
        ++fraction_digits;
      } else {
        acc = acc * 10 + digit;
        ++fraction_digits;
      }
    }
  }

  if (p != end) [[unlikely]] {
    return detail::classify_invalid(text, p);
  }
  if (!any_digit) return DecimalError::no_digits;
  if (excess_decimals) return DecimalError::too_many_decimals;

  // Scale up to exactly `decimals` fractional digits, then check the int64 range: up to
  // 2^63 - 1 when positive, 2^63 when negative.
  const uint64_t scale = detail::kPow10[decimals - fraction_digits];
  uint64_t magnitude = 0;
  if (overflow || __builtin_mul_overflow(acc, scale, &magnitude)) return DecimalError::overflow;
  const uint64_t limit = static_cast<uint64_t>(INT64_MAX) + (negative ? 1U : 0U);
  if (magnitude > limit) return DecimalError::overflow;

  // Two's complement negation in unsigned arithmetic is defined for 2^63 too; the conversion to
  // int64 is modular (C++20).
  out = static_cast<int64_t>(negative ? ~magnitude + 1 : magnitude);
  return DecimalError::ok;
}

// Dollars with at most 4 decimals, as int32 ticks ("0.4800" -> 4800).
inline DecimalError parse_price(std::string_view text, Price& out) noexcept {
  int64_t ticks = 0;
  const DecimalError e = parse_fixed(text, Price::kDecimals, ticks);
  if (e != DecimalError::ok) return e;
  if (ticks < INT32_MIN || ticks > INT32_MAX) return DecimalError::overflow;
  out = Price::from_ticks(static_cast<int32_t>(ticks));
  return DecimalError::ok;
}

// Contracts or shares with at most 6 decimals, as millionths ("13999.44" -> 13'999'440'000).
inline DecimalError parse_qty(std::string_view text, Qty& out) noexcept {
  int64_t units = 0;
  const DecimalError e = parse_fixed(text, Qty::kDecimals, units);
  if (e == DecimalError::ok) out = Qty::from_units(units);
  return e;
}

// Dollars with at most 6 decimals, as micro-dollars ("-54.00" -> -54'000'000).
inline DecimalError parse_money(std::string_view text, Money& out) noexcept {
  int64_t micros = 0;
  const DecimalError e = parse_fixed(text, Money::kDecimals, micros);
  if (e == DecimalError::ok) out = Money::from_micros(micros);
  return e;
}

// Writes value / 10^decimals into buf[0, cap) and returns the text (not NUL-terminated).
// Prints at least `min_decimals` fractional digits, drops further trailing zeros, and omits the
// dot when no fractional digit remains:
//   format_fixed(4800, 4, 4) -> "0.4800"   format_fixed(10'000'000, 6, 2) -> "10.00"
//   format_fixed(4800, 4, 0) -> "0.48"     format_fixed(-54'000'000, 6, 0) -> "-54"
// With min_decimals = 0 the output is canonical: no leading zeros, no trailing fractional zeros,
// never "-0". Requires 0 <= min_decimals <= decimals <= kMaxFixedDecimals; returns an empty view
// if that fails or if cap is too small (kMaxFixedChars always suffices).
std::string_view format_fixed(int64_t value, int decimals, int min_decimals, char* buf, size_t cap) noexcept;

// format_fixed(value, decimals, 0) as a string: the canonical text, no trailing zeros
// (4800 ticks -> "0.48"). For tools and reports, not the hot path.
inline std::string decimal_text(int64_t value, int decimals) {
  char buf[kMaxFixedChars];
  return std::string(format_fixed(value, decimals, 0, buf, sizeof buf));
}

inline std::string_view format_price(Price p, int min_decimals, char* buf, size_t cap) noexcept {
  return format_fixed(p.ticks, Price::kDecimals, min_decimals, buf, cap);
}
inline std::string_view format_qty(Qty q, int min_decimals, char* buf, size_t cap) noexcept {
  return format_fixed(q.units, Qty::kDecimals, min_decimals, buf, cap);
}
inline std::string_view format_money(Money m, int min_decimals, char* buf, size_t cap) noexcept {
  return format_fixed(m.micros, Money::kDecimals, min_decimals, buf, cap);
}

}  // namespace pmx
