#include "pmx/strategy/bundle_arbitrage.h"

#include <utility>

namespace pmx {

BundleArbitrage::BundleArbitrage(const MarketUniverse& universe, const ArbitrageParams& config)
    : config_(config) {
  validate(config);
  std::vector<std::pair<InstrumentId, uint32_t>> memberships;
  for (const EventInfo& event : universe.events()) {
    if (!event.mutually_exclusive) continue;
    if (event.members.size() < 2 || event.members.size() > Opportunity::kMaxLegs) {
      skipped_.push_back(event.key + ": " + std::to_string(event.members.size()) +
                         " markets, bundles take 2 to " + std::to_string(Opportunity::kMaxLegs) + " legs");
      continue;
    }
    Bundle bundle{event.key, static_cast<uint32_t>(legs_.size()), 0, WallNanos{}};
    bool known = true;
    for (const InstrumentId id : event.members)
      known = known && universe.market(id) != nullptr;
    if (!known) {
      skipped_.push_back(event.key + ": a member is not in the market universe");
      continue;
    }
    for (const InstrumentId id : event.members) {
      const MarketInfo& market = *universe.market(id);
      fees_.push_back(market.fees);
      legs_.push_back(ArbitrageLeg{id, market.venue, Outcome::yes, nullptr});
      if (market.close_time.ns != 0 && (bundle.expiry.ns == 0 || market.close_time < bundle.expiry)) {
        bundle.expiry = market.close_time;
      }
      memberships.emplace_back(id, static_cast<uint32_t>(bundles_.size()));
      ++bundle.leg_count;
    }
    bundles_.push_back(std::move(bundle));
  }
  // fees_ is complete: its addresses are stable from here on.
  for (size_t i = 0; i < legs_.size(); ++i)
    legs_[i].fees = &fees_[i];
  index_ = InstrumentIndex(memberships);
  scratch_.resize(Opportunity::kMaxLegs * config.max_levels);
}

Verdict BundleArbitrage::detect(size_t bundle, const BookSet& books, WallNanos now,
                                Opportunity& out) noexcept {
  if (bundle >= bundles_.size()) return counters_.count(Verdict::bad_input);
  const Bundle& b = bundles_[bundle];
  const auto legs = std::span<const ArbitrageLeg>(legs_).subspan(b.first_leg, b.leg_count);
  const Verdict verdict =
      find_full_set_arbitrage(legs, books, config_, scratch_, StrategyKind::bundle_arb, out);
  if (verdict == Verdict::emitted) {
    out.id = ids_.next();
    out.detected_at = now;
    out.expiry = b.expiry;
  }
  return counters_.count(verdict);
}

}  // namespace pmx
