// Vocabulary shared by the order book module: which side of a book, a price level, the result
// of walking levels, the module's error enum and the per-book counters a feed handler publishes.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>

#include "pmx/core/types.h"

namespace pmx {

// One price level. An empty result (no level on that side) is a Level with qty zero: test
// `valid()` before reading `price`, which is then 0. Sixteen bytes, returned in two registers,
// where std::optional<Level> would be 24 bytes returned through memory.
struct Level {
  Price price{};
  Qty qty{};

  constexpr bool valid() const noexcept { return qty.units > 0; }
  friend constexpr bool operator==(Level, Level) noexcept = default;
};

// The cost of taking `wanted` from one side, levels walked best first. `cost` is the sum of
// notional(level price, size taken at that level), exact for Kalshi counts and Polymarket sizes
// of up to 4 decimals (see notional()). `worst_price` is the last level touched (0 if none);
// `filled < wanted` when the side ran out.
struct WalkResult {
  Qty filled{};
  Money cost{};
  Price worst_price{};

  friend constexpr bool operator==(WalkResult, WalkResult) noexcept = default;
};

// Errors of book updates. A refused update leaves the book unchanged.
enum class BookError : uint8_t {
  ok,
  off_grid,         // price is not a multiple of the book's tick
  out_of_range,     // price below $0 or above $1
  negative_qty,     // an absolute level size below zero
  negative_result,  // a Kalshi delta that would take a level below zero (missed message)
  qty_overflow,     // a Kalshi delta whose sum does not fit int64
  bad_tick,         // reset() with a tick that is not positive or does not divide $1
  no_tick,          // update before the first reset(): the book has no storage yet
};

constexpr std::string_view to_string(BookError e) noexcept {
  switch (e) {
    case BookError::ok:
      return "ok";
    case BookError::off_grid:
      return "off_grid";
    case BookError::out_of_range:
      return "out_of_range";
    case BookError::negative_qty:
      return "negative_qty";
    case BookError::negative_result:
      return "negative_result";
    case BookError::qty_overflow:
      return "qty_overflow";
    case BookError::bad_tick:
      return "bad_tick";
    case BookError::no_tick:
      return "no_tick";
  }
  return "unknown";
}

// Counters a book keeps about its own updates; a feed handler publishes them. Every accepted
// update that leaves the book crossed (best bid > best ask) or locked (equal) counts once, so a
// book that stays crossed for ten updates counts ten. `refused` counts updates that returned an
// error other than ok.
struct BookStats {
  uint64_t crossed = 0;
  uint64_t locked = 0;
  uint64_t refused = 0;
};

static_assert(std::is_trivially_copyable_v<Level> && sizeof(Level) == 16,
              "Level is returned in two registers by best_bid()/best_ask()");

}  // namespace pmx
