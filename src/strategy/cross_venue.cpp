#include "pmx/strategy/cross_venue.h"

#include <array>
#include <utility>

namespace pmx {
namespace {

WallNanos earliest(WallNanos a, WallNanos b) noexcept {
  if (a.ns == 0) return b;
  if (b.ns == 0) return a;
  return a < b ? a : b;
}

}  // namespace

CrossVenueArbitrage::CrossVenueArbitrage(const MarketUniverse& universe,
                                         const std::vector<CrossVenuePair>& pairs,
                                         const ArbitrageParams& config)
    : config_(config) {
  validate(config);
  std::vector<std::pair<InstrumentId, uint32_t>> memberships;
  for (const CrossVenuePair& pair : pairs) {
    const MarketInfo* kalshi = universe.market(universe.find(Venue::kalshi, pair.kalshi_ticker));
    const MarketInfo* yes = universe.market(universe.find(Venue::polymarket, pair.polymarket_yes_token));
    const MarketInfo* no = universe.market(universe.find(Venue::polymarket, pair.polymarket_no_token));
    if (kalshi == nullptr || yes == nullptr || no == nullptr) {
      std::string missing;
      if (kalshi == nullptr) missing += " kalshi ticker " + pair.kalshi_ticker;
      if (yes == nullptr) missing += " polymarket yes_token " + pair.polymarket_yes_token;
      if (no == nullptr) missing += " polymarket no_token " + pair.polymarket_no_token;
      unresolved_.push_back(RefusedPair{pair.name, "not in the market universe:" + missing});
      continue;
    }
    const auto index = static_cast<uint32_t>(pairs_.size());
    pairs_.push_back(Pair{kalshi->id, yes->id, no->id, kalshi->fees, yes->fees, no->fees,
                          earliest(kalshi->close_time, earliest(yes->close_time, no->close_time))});
    memberships.emplace_back(kalshi->id, index);
    memberships.emplace_back(yes->id, index);
    memberships.emplace_back(no->id, index);
  }
  index_ = InstrumentIndex(memberships);
  scratch_.resize(2 * config.max_levels);
}

Verdict CrossVenueArbitrage::detect(size_t pair, const BookSet& books, WallNanos now,
                                    Opportunity& out) noexcept {
  if (pair >= pairs_.size()) return counters_.count(Verdict::bad_input);
  const Pair& p = pairs_[pair];
  const std::array<ArbitrageLeg, 2> kalshi_yes{
      ArbitrageLeg{p.kalshi, Venue::kalshi, Outcome::yes, &p.kalshi_fees},
      ArbitrageLeg{p.polymarket_no, Venue::polymarket, Outcome::yes, &p.polymarket_no_fees}};
  const std::array<ArbitrageLeg, 2> kalshi_no{
      ArbitrageLeg{p.kalshi, Venue::kalshi, Outcome::no, &p.kalshi_fees},
      ArbitrageLeg{p.polymarket_yes, Venue::polymarket, Outcome::yes, &p.polymarket_yes_fees}};

  const Verdict first =
      find_full_set_arbitrage(kalshi_yes, books, config_, scratch_, StrategyKind::cross_venue_arb, out);
  const Verdict second =
      find_full_set_arbitrage(kalshi_no, books, config_, scratch_, StrategyKind::cross_venue_arb, other_);
  if (second == Verdict::emitted &&
      (first != Verdict::emitted || other_.expected_value > out.expected_value)) {
    out = other_;
  }
  const Verdict verdict = furthest(first, second);
  if (verdict == Verdict::emitted) {
    out.id = ids_.next();
    out.detected_at = now;
    out.expiry = p.expiry;
  }
  return counters_.count(verdict);
}

}  // namespace pmx
