#include "pmx/feed/bootstrap/iso_time.h"

#include <cstdint>

namespace pmx {

namespace {

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = y / 400;  // y >= 1969 here: no negative division
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool leap_year(int64_t y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int64_t y, int64_t m) noexcept {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap_year(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `p` into `out`.
bool digits(std::string_view text, size_t& p, int n, int64_t& out) noexcept {
  if (p + static_cast<size_t>(n) > text.size()) return false;
  int64_t v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = text[p + static_cast<size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  p += static_cast<size_t>(n);
  out = v;
  return true;
}

bool expect(std::string_view text, size_t& p, char c) noexcept {
  if (p >= text.size() || text[p] != c) return false;
  ++p;
  return true;
}

}  // namespace

std::optional<WallNanos> parse_iso8601(std::string_view text) noexcept {
  size_t p = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, nanos = 0, offset_s = 0;
  if (!digits(text, p, 4, year) || !expect(text, p, '-') || !digits(text, p, 2, month) ||
      !expect(text, p, '-') || !digits(text, p, 2, day)) {
    return std::nullopt;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
    return std::nullopt;
  if (p < text.size()) {
    if (text[p] != 'T' && text[p] != ' ') return std::nullopt;
    ++p;
    if (!digits(text, p, 2, hour) || !expect(text, p, ':') || !digits(text, p, 2, minute) ||
        !expect(text, p, ':') || !digits(text, p, 2, second)) {
      return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    if (p < text.size() && text[p] == '.') {
      ++p;
      int n = 0;
      while (p < text.size() && text[p] >= '0' && text[p] <= '9') {
        if (++n > 9) return std::nullopt;
        nanos = nanos * 10 + (text[p] - '0');
        ++p;
      }
      if (n == 0) return std::nullopt;
      for (; n < 9; ++n)
        nanos *= 10;
    }
    if (p < text.size()) {
      const char zone = text[p++];
      if (zone == 'Z') {
        // UTC
      } else if (zone == '+' || zone == '-') {
        int64_t oh = 0, om = 0;
        if (!digits(text, p, 2, oh)) return std::nullopt;
        if (p < text.size()) {
          if (text[p] == ':') ++p;
          if (!digits(text, p, 2, om)) return std::nullopt;
        }
        if (oh > 23 || om > 59) return std::nullopt;
        offset_s = (oh * 3600 + om * 60) * (zone == '-' ? -1 : 1);
      } else {
        return std::nullopt;
      }
    }
  }
  if (p != text.size()) return std::nullopt;
  // Cannot overflow: year <= 9999 keeps seconds below 2^38.
  const int64_t seconds =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  // WallNanos ends in 2262 (int64 nanoseconds): a later time is refused, not wrapped.
  int64_t ns = 0;
  if (__builtin_mul_overflow(seconds, int64_t{1'000'000'000}, &ns) ||
      __builtin_add_overflow(ns, nanos, &ns)) {
    return std::nullopt;
  }
  return WallNanos{ns};
}

}  // namespace pmx
