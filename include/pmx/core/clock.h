// Clocks. Hot threads read CLOCK_MONOTONIC_RAW through the vDSO (no syscall, ~20 ns):
// immune to NTP slewing, so stage latencies are differences of two of these.
#pragma once

#include <cstdint>
#include <ctime>

#include "pmx/core/types.h"

namespace pmx {

inline constexpr int64_t kNanosPerMilli = 1'000'000;
inline constexpr int64_t kNanosPerSecond = 1'000'000'000;
inline constexpr int64_t kNanosPerHour = 3'600 * kNanosPerSecond;
inline constexpr int64_t kNanosPerDay = 24 * kNanosPerHour;

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
