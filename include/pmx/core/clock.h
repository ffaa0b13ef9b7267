// Clocks. Hot threads read CLOCK_MONOTONIC_RAW through the vDSO (no syscall, ~20 ns):
// immune to NTP slewing, so stage latencies are differences of two of these.
#pragma once

#include <ctime>

#include "pmx/core/types.h"

namespace pmx {

inline MonoNanos mono_now() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return MonoNanos{static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec};
}

inline WallNanos wall_now() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return WallNanos{static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec};
}

}  // namespace pmx
