// Helpers shared by the gateway routing tests: prices in cents and clock readings in ms.
#pragma once

#include <cstdint>

#include "pmx/core/types.h"

namespace pmx::gateway_test {

constexpr Price cents(int c) {
  return Price::from_ticks(c * 100);
}
constexpr WallNanos wall_ms(int64_t ms) {
  return WallNanos{ms * 1'000'000};
}
// The monotonic clock starts 1 s in, so a zero reading is never mistaken for "not set".
constexpr MonoNanos mono_ms(int64_t ms) {
  return MonoNanos{1'000'000'000 + ms * 1'000'000};
}

}  // namespace pmx::gateway_test
