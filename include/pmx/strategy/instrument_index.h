// InstrumentIndex: which groups (bundles, pairs, ladders) an instrument belongs to, so that a book
// update re-checks only those. Built once at start-up from (instrument, group) pairs; a lookup is
// two loads and returns a span, with no allocation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

class InstrumentIndex {
 public:
  InstrumentIndex() = default;

  // Start-up: `memberships` lists (instrument, group) once per membership, in any order.
  explicit InstrumentIndex(const std::vector<std::pair<InstrumentId, uint32_t>>& memberships) {
    uint32_t size = 0;
    for (const auto& [id, group] : memberships)
      size = std::max(size, id.value + 1);
    offsets_.assign(size + 1, 0);
    for (const auto& [id, group] : memberships)
      ++offsets_[id.value + 1];
    for (uint32_t i = 0; i < size; ++i)
      offsets_[i + 1] += offsets_[i];
    groups_.resize(memberships.size());
    std::vector<uint32_t> next(offsets_.begin(), offsets_.end() - 1);
    for (const auto& [id, group] : memberships)
      groups_[next[id.value]++] = group;
  }

  std::span<const uint32_t> groups_of(InstrumentId id) const noexcept {
    if (!id.valid() || size_t{id.value} + 1 >= offsets_.size()) return {};
    return std::span<const uint32_t>(groups_).subspan(offsets_[id.value],
                                                      offsets_[id.value + 1] - offsets_[id.value]);
  }

 private:
  std::vector<uint32_t> offsets_;  // groups of id are groups_[offsets_[id], offsets_[id + 1])
  std::vector<uint32_t> groups_;
};

}  // namespace pmx
