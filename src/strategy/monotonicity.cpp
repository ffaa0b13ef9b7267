#include "pmx/strategy/monotonicity.h"

#include <algorithm>
#include <array>
#include <map>
#include <utility>

namespace pmx {
namespace {

bool is_above_strike(StrikeType t) noexcept {
  return t == StrikeType::greater || t == StrikeType::greater_or_equal;
}

}  // namespace

MonotonicityArbitrage::MonotonicityArbitrage(const MarketUniverse& universe, const ArbitrageParams& config)
    : config_(config) {
  validate(config);
  std::map<std::string, std::vector<const MarketInfo*>> by_event;
  for (const MarketInfo& market : universe.markets()) {
    if (!market.id.valid() || market.venue != Venue::kalshi || !is_above_strike(market.strike_type)) continue;
    by_event[market.event_key].push_back(&market);
  }
  std::vector<std::pair<InstrumentId, uint32_t>> memberships;
  for (auto& [event_key, markets] : by_event) {
    std::stable_sort(markets.begin(), markets.end(), [](const MarketInfo* a, const MarketInfo* b) {
      return a->floor_strike < b->floor_strike;
    });
    if (markets.front()->floor_strike == markets.back()->floor_strike) continue;  // one strike: no ladder
    const auto ladder = static_cast<uint32_t>(ladders_.size());
    ladders_.push_back(
        Ladder{event_key, static_cast<uint32_t>(rungs_.size()), static_cast<uint32_t>(markets.size())});
    for (const MarketInfo* market : markets) {
      memberships.emplace_back(market->id, static_cast<uint32_t>(rungs_.size()));
      rungs_.push_back(Rung{market->id, market->floor_strike, market->fees, market->close_time});
      ladder_of_rung_.push_back(ladder);
    }
  }
  index_ = InstrumentIndex(memberships);
  scratch_.resize(2 * config.max_levels);
}

Verdict MonotonicityArbitrage::check_pair(const Rung& lower, const Rung& higher, const BookSet& books,
                                          Opportunity& out, bool& have_best) noexcept {
  if (!(lower.strike < higher.strike)) return Verdict::no_edge;
  if (books.stale(lower.id) || books.stale(higher.id)) return Verdict::stale_book;
  // Necessary before fees: YES ask of the lower strike below the YES bid of the higher.
  const Level lower_ask = books.best_ask(lower.id);
  const Level higher_bid = books.best_bid(higher.id);
  if (!lower_ask.valid() || !higher_bid.valid()) return Verdict::stale_book;
  if (lower_ask.price >= higher_bid.price) return Verdict::no_edge;

  const std::array<ArbitrageLeg, 2> legs{ArbitrageLeg{lower.id, Venue::kalshi, Outcome::yes, &lower.fees},
                                         ArbitrageLeg{higher.id, Venue::kalshi, Outcome::no, &higher.fees}};
  const Verdict verdict =
      find_full_set_arbitrage(legs, books, config_, scratch_, StrategyKind::monotonicity, candidate_);
  if (verdict == Verdict::emitted && (!have_best || candidate_.expected_value > out.expected_value)) {
    out = candidate_;
    out.expiry =
        lower.close_time.ns != 0 && (higher.close_time.ns == 0 || lower.close_time < higher.close_time)
            ? lower.close_time
            : higher.close_time;
    have_best = true;
  }
  return verdict;
}

Verdict MonotonicityArbitrage::finish(Verdict verdict, bool have_best, WallNanos now,
                                      Opportunity& out) noexcept {
  if (have_best) {
    out.id = ids_.next();
    out.detected_at = now;
    verdict = Verdict::emitted;
  }
  return counters_.count(verdict);
}

Verdict MonotonicityArbitrage::detect_for(InstrumentId updated, const BookSet& books, WallNanos now,
                                          Opportunity& out) noexcept {
  const std::span<const uint32_t> rung_index = index_.groups_of(updated);
  if (rung_index.empty()) return counters_.count(Verdict::bad_input);
  const uint32_t self = rung_index[0];
  const Ladder& ladder = ladders_[ladder_of_rung_[self]];
  bool have_best = false;
  Verdict verdict = Verdict::bad_input;
  for (uint32_t r = ladder.first_rung; r < ladder.first_rung + ladder.rung_count; ++r) {
    if (r == self) continue;
    const Verdict v = r < self ? check_pair(rungs_[r], rungs_[self], books, out, have_best)
                               : check_pair(rungs_[self], rungs_[r], books, out, have_best);
    verdict = furthest(verdict, v);
  }
  return finish(verdict, have_best, now, out);
}

Verdict MonotonicityArbitrage::detect_ladder(size_t ladder_index, const BookSet& books, WallNanos now,
                                             Opportunity& out) noexcept {
  if (ladder_index >= ladders_.size()) return counters_.count(Verdict::bad_input);
  const Ladder& ladder = ladders_[ladder_index];
  bool have_best = false;
  Verdict verdict = Verdict::bad_input;
  const uint32_t end = ladder.first_rung + ladder.rung_count;
  for (uint32_t lower = ladder.first_rung; lower < end; ++lower) {
    for (uint32_t higher = lower + 1; higher < end; ++higher) {
      verdict = furthest(verdict, check_pair(rungs_[lower], rungs_[higher], books, out, have_best));
    }
  }
  return finish(verdict, have_best, now, out);
}

}  // namespace pmx
