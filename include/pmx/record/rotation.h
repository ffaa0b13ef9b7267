// When a capture file ends and what the next one is called.
//
// Files rotate when their compressed size reaches max_bytes, or when the UTC clock enters a new
// block of `period_ns` (hourly by default: a file never spans two hours, so "the 14:00 file"
// means what a trader expects). Names carry instance, venue and the UTC time of their first
// message, to the second:
//
//     <instance>-<venue>-<YYYYMMDD>T<HHMMSS>Z.cap.zst        e.g. pmx-kalshi-20261124T140000Z.cap.zst
//
// and sort by time within an instance and venue. Two files started within the same second get
// -1, -2, ... before the extension (the writer never overwrites a file).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pmx/core/types.h"

namespace pmx::record {

struct RotationPolicy {
  uint64_t max_bytes = uint64_t{256} << 20;           // compressed bytes per file; 0: no size limit
  int64_t period_ns = int64_t{3600} * 1'000'000'000;  // UTC-aligned time block; 0: no time limit

  // True when a file opened at `opened` holding `bytes` must end before more is written at `now`.
  bool due(uint64_t bytes, WallNanos opened, WallNanos now) const noexcept {
    if (max_bytes > 0 && bytes >= max_bytes) return true;
    return period_ns > 0 && opened.ns / period_ns != now.ns / period_ns;
  }
};

// "<instance>-<venue>-<YYYYMMDD>T<HHMMSS>Z" plus "-<attempt>" when attempt > 0, plus ".cap.zst".
std::string capture_file_name(std::string_view instance, Venue venue, WallNanos start, unsigned attempt);

}  // namespace pmx::record
