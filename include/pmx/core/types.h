// Core value types of the hot path: prices, quantities, money, venues, sides, ids.
//
// Books and accounting are exact integer arithmetic; floating point is for models only
// (Kalman, Kelly, statistics), reached through the explicit `as_double()` accessors.
//
//   Price  int32 ticks of $0.0001     1¢ = 100, 0.1¢ = 10, $1 = 10'000
//   Qty    int64 millionths of one contract (Kalshi, 2 decimals) or share (Polymarket, 6)
//   Money  int64 micro-dollars        $1 = 1'000'000
//
// Each is a distinct struct so that a Qty can never be passed where a Price is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace pmx {

struct Price {
  static constexpr int32_t kTicksPerDollar = 10'000;
  static constexpr int kDecimals = 4;

  int32_t ticks = 0;

  static constexpr Price from_ticks(int32_t t) noexcept { return Price{t}; }
  static constexpr Price one_dollar() noexcept { return Price{kTicksPerDollar}; }
  constexpr double as_double() const noexcept { return static_cast<double>(ticks) / kTicksPerDollar; }

  friend constexpr auto operator<=>(Price, Price) noexcept = default;
  friend constexpr Price operator+(Price a, Price b) noexcept { return Price{a.ticks + b.ticks}; }
  friend constexpr Price operator-(Price a, Price b) noexcept { return Price{a.ticks - b.ticks}; }
};

struct Qty {
  static constexpr int64_t kUnitsPerContract = 1'000'000;
  static constexpr int kDecimals = 6;

  int64_t units = 0;

  static constexpr Qty from_units(int64_t u) noexcept { return Qty{u}; }
  static constexpr Qty contracts(int64_t n) noexcept { return Qty{n * kUnitsPerContract}; }
  constexpr double as_double() const noexcept { return static_cast<double>(units) / kUnitsPerContract; }
  constexpr bool is_zero() const noexcept { return units == 0; }

  friend constexpr auto operator<=>(Qty, Qty) noexcept = default;
  friend constexpr Qty operator+(Qty a, Qty b) noexcept { return Qty{a.units + b.units}; }
  friend constexpr Qty operator-(Qty a, Qty b) noexcept { return Qty{a.units - b.units}; }
};

struct Money {
  static constexpr int64_t kMicrosPerDollar = 1'000'000;
  static constexpr int kDecimals = 6;

  int64_t micros = 0;

  static constexpr Money from_micros(int64_t m) noexcept { return Money{m}; }
  static constexpr Money dollars(int64_t d) noexcept { return Money{d * kMicrosPerDollar}; }
  constexpr double as_double() const noexcept { return static_cast<double>(micros) / kMicrosPerDollar; }

  friend constexpr auto operator<=>(Money, Money) noexcept = default;
  friend constexpr Money operator+(Money a, Money b) noexcept { return Money{a.micros + b.micros}; }
  friend constexpr Money operator-(Money a, Money b) noexcept { return Money{a.micros - b.micros}; }
  friend constexpr Money operator-(Money a) noexcept { return Money{-a.micros}; }
};

// Price × Qty in micro-dollars, truncated toward zero. ticks·units / 10^4 is exact whenever
// the quantity is a multiple of 10^-4 contracts, which covers Kalshi (2 decimals) and every
// Polymarket size of 4 decimals or fewer; the 128-bit intermediate cannot overflow.
__extension__ using Int128 = __int128;  // GCC/Clang builtin; __extension__ keeps -Wpedantic quiet

constexpr Money notional(Price p, Qty q) noexcept {
  constexpr Int128 kDivisor =
      static_cast<Int128>(Price::kTicksPerDollar) * Qty::kUnitsPerContract / Money::kMicrosPerDollar;
  return Money{static_cast<int64_t>(static_cast<Int128>(p.ticks) * q.units / kDivisor)};
}

enum class Venue : uint8_t { kalshi = 0, polymarket = 1 };
inline constexpr int kVenueCount = 2;

// The trader's action on an instrument.
enum class Side : uint8_t { buy = 0, sell = 1 };

// A side of a price ladder. For a Kalshi book both sides are in YES terms: `ask` is derived
// from the NO bids (YES ask = $1 - NO bid).
enum class BookSide : uint8_t { bid = 0, ask = 1 };

// The outcome a binary contract pays on. Kalshi books are YES bids and NO bids; a Polymarket
// instrument is one outcome token, so it is always `yes` of itself.
enum class Outcome : uint8_t { yes = 0, no = 1 };

constexpr std::string_view to_string(Venue v) noexcept {
  return v == Venue::kalshi ? "kalshi" : "polymarket";
}
constexpr std::string_view to_string(Side s) noexcept {
  return s == Side::buy ? "buy" : "sell";
}
constexpr std::string_view to_string(Outcome o) noexcept {
  return o == Outcome::yes ? "yes" : "no";
}
constexpr std::string_view to_string(BookSide s) noexcept {
  return s == BookSide::bid ? "bid" : "ask";
}

// Dense index assigned at start-up; the ticker or token id lives in the instrument table.
struct InstrumentId {
  static constexpr uint32_t kInvalid = UINT32_MAX;
  uint32_t value = kInvalid;

  constexpr bool valid() const noexcept { return value != kInvalid; }
  friend constexpr auto operator<=>(InstrumentId, InstrumentId) noexcept = default;
};

// Nanoseconds on the monotonic clock (CLOCK_MONOTONIC_RAW): for latencies, never for dates.
struct MonoNanos {
  int64_t ns = 0;
  friend constexpr auto operator<=>(MonoNanos, MonoNanos) noexcept = default;
  friend constexpr int64_t operator-(MonoNanos a, MonoNanos b) noexcept { return a.ns - b.ns; }
};

// Nanoseconds since the Unix epoch (CLOCK_REALTIME): venue timestamps, logs, expiries.
struct WallNanos {
  int64_t ns = 0;
  friend constexpr auto operator<=>(WallNanos, WallNanos) noexcept = default;
  friend constexpr int64_t operator-(WallNanos a, WallNanos b) noexcept { return a.ns - b.ns; }
};

static_assert(std::is_trivially_copyable_v<Price> && sizeof(Price) == 4, "Price rides in ring events");
static_assert(std::is_trivially_copyable_v<Qty> && sizeof(Qty) == 8, "Qty rides in ring events");
static_assert(std::is_trivially_copyable_v<Money> && sizeof(Money) == 8, "Money rides in ring events");
static_assert(std::is_trivially_copyable_v<InstrumentId> && sizeof(InstrumentId) == 4,
              "InstrumentId rides in ring events");

}  // namespace pmx
