#include "pmx/risk/correlation.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <string>
#include <tuple>

#include "pmx/risk/risk_math.h"

namespace pmx {
namespace {

class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), size_t{0}); }
  size_t find(size_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void join(size_t a, size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<size_t> parent_;
};

}  // namespace

CorrelationGroups::CorrelationGroups(const MarketUniverse& universe, CorrelationOptions options,
                                     const std::vector<std::pair<InstrumentId, InstrumentId>>& links) {
  const std::vector<MarketInfo>& markets = universe.markets();
  const size_t n = markets.size();
  UnionFind sets(n);
  const auto valid = [&](InstrumentId id) { return id.value < n && markets[id.value].id.valid(); };

  // Same event (per venue), and the two tokens of one Polymarket market.
  std::map<std::pair<Venue, std::string>, size_t> first_of_event;
  for (const MarketInfo& m : markets) {
    if (!m.id.valid()) continue;
    if (!m.event_key.empty()) {
      const auto [it, inserted] = first_of_event.try_emplace({m.venue, m.event_key}, m.id.value);
      if (!inserted) sets.join(it->second, m.id.value);
    }
    if (valid(m.complement)) sets.join(m.id.value, m.complement.value);
  }

  // Same category, close times chained within the window.
  std::vector<std::tuple<std::string_view, int64_t, size_t>> by_category;
  for (const MarketInfo& m : markets) {
    if (m.id.valid() && !m.category.empty() && m.close_time.ns != 0) {
      by_category.emplace_back(m.category, m.close_time.ns, m.id.value);
    }
  }
  std::sort(by_category.begin(), by_category.end());
  const int64_t window = seconds_to_nanos(options.category_window_s);
  for (size_t i = 1; i < by_category.size(); ++i) {
    const auto& [category, close, id] = by_category[i];
    const auto& [previous_category, previous_close, previous_id] = by_category[i - 1];
    if (category == previous_category && close - previous_close <= window) sets.join(previous_id, id);
  }

  for (const auto& [a, b] : links) {
    if (valid(a) && valid(b)) sets.join(a.value, b.value);
  }

  // Dense group ids in order of each group's lowest instrument id.
  group_of_.assign(n, GroupId{});
  std::vector<uint32_t> group_of_root(n, GroupId::kInvalid);
  for (size_t i = 0; i < n; ++i) {
    if (!markets[i].id.valid()) continue;
    const size_t root = sets.find(i);
    if (group_of_root[root] == GroupId::kInvalid) {
      group_of_root[root] = static_cast<uint32_t>(size_.size());
      size_.push_back(0);
    }
    group_of_[i] = GroupId{group_of_root[root]};
    ++size_[group_of_root[root]];
  }
  exposure_.assign(size_.size(), Money{});
}

void CorrelationGroups::apply(InstrumentId instrument, Money exposure_delta) noexcept {
  const GroupId group = group_of(instrument);
  if (group.valid()) exposure_[group.value] = exposure_[group.value] + exposure_delta;
}

Money CorrelationGroups::cap(Money capital, double max_correlated_exposure_pct) const noexcept {
  return capital.micros > 0 ? cap_of(capital, max_correlated_exposure_pct) : Money{};
}

}  // namespace pmx
