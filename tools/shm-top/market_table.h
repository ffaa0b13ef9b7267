// The market rows shm-top shows: books filtered by an instrument substring and sorted by the
// key `s` cycles through. Pure functions of a snapshot, so they are easy to test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/shm/snapshot.h"

namespace pmx::top {

enum class SortKey : uint8_t {
  activity,  // book updates per second, most first
  edge,      // |fair value - mid|, largest first
  spread,    // ask - bid, widest first (one-sided books last)
  name,      // instrument name
};
inline constexpr size_t kSortKeyCount = 4;
std::string_view to_string(SortKey key) noexcept;
SortKey next(SortKey key) noexcept;

struct MarketRow {
  const shm::Snapshot::Book* book = nullptr;
  double updates_per_second = -1;  // -1: no rate yet (first snapshot)
};

// Books whose name contains `filter` (case-insensitive; empty: all), sorted by `key`.
// `rates` may be null before the second snapshot.
std::vector<MarketRow> market_rows(const shm::Snapshot& snapshot, const shm::Rates* rates, SortKey key,
                                   std::string_view filter);

}  // namespace pmx::top
