// Correlation groups: markets that are likely to resolve together, whose summed exposure is capped
// at risk.max_correlated_exposure_pct of capital.
//
// Built once at start-up from the MarketUniverse. Two markets share a group when
//   * they belong to the same event (same venue and event_key), or are the two tokens of one
//     Polymarket market (complement);
//   * they have the same non-empty category and close within `category_window` of each other
//     (single linkage: markets sorted by close time chain while each gap is within the window,
//     so any two same-category markets closing within the window always share a group);
//   * the caller linked them explicitly (cross-venue pairs that share a resolution source/time).
// Grouping is transitive (union-find), so groups only ever err towards being larger: the cap is
// conservative. A market with nothing in common with any other forms its own group.
//
// Exposure is Position::exposure() summed over the group's instruments (both outcomes), kept
// incrementally through apply(): O(1) per fill, allocation-free after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/feed/market_info.h"

namespace pmx {

struct GroupId {
  static constexpr uint32_t kInvalid = UINT32_MAX;
  uint32_t value = kInvalid;

  constexpr bool valid() const noexcept { return value != kInvalid; }
  friend constexpr auto operator<=>(GroupId, GroupId) noexcept = default;
};

struct CorrelationOptions {
  int64_t category_window_s = 3600;  // same category and close times this close: one group
};

class CorrelationGroups {
 public:
  // `links`: extra pairs to group (cross-venue mappings). Start-up only: allocates.
  CorrelationGroups(const MarketUniverse& universe, CorrelationOptions options = {},
                    const std::vector<std::pair<InstrumentId, InstrumentId>>& links = {});

  // kInvalid for an instrument the universe does not know.
  GroupId group_of(InstrumentId instrument) const noexcept {
    return instrument.value < group_of_.size() ? group_of_[instrument.value] : GroupId{};
  }
  size_t group_count() const noexcept { return exposure_.size(); }
  size_t group_size(GroupId group) const noexcept {
    return group.value < size_.size() ? size_[group.value] : 0;
  }

  // Moves the group's exposure by a position's exposure change (TradeEffect::exposure_delta).
  void apply(InstrumentId instrument, Money exposure_delta) noexcept;

  Money exposure(GroupId group) const noexcept {
    return group.value < exposure_.size() ? exposure_[group.value] : Money{};
  }
  // The group cap at `capital`: max_correlated_exposure_pct % of it, floored to the micro-dollar.
  Money cap(Money capital, double max_correlated_exposure_pct) const noexcept;
  // How much more exposure the group may take at `capital` (negative when over the cap).
  Money headroom(GroupId group, Money capital, double max_correlated_exposure_pct) const noexcept {
    return cap(capital, max_correlated_exposure_pct) - exposure(group);
  }

 private:
  std::vector<GroupId> group_of_;  // by instrument id
  std::vector<Money> exposure_;    // by group id
  std::vector<uint32_t> size_;     // by group id: member count
};

}  // namespace pmx
