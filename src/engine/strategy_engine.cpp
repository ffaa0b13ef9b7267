#include "pmx/engine/strategy_engine.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "pmx/book/outcome_depth.h"
#include "pmx/core/risk_rejection.h"
#include "pmx/model/fees.h"
#include "pmx/model/kelly.h"
#include "pmx/strategy/depth.h"

namespace pmx {
namespace {

constexpr double kNanosPerHour = 3600.0 * 1e9;
// A market with no close time is treated as far from expiry: the base process noise.
constexpr double kNoExpiryHours = 1e9;

const std::vector<CrossVenuePair>& pairs_or_none(const std::vector<CrossVenuePair>* pairs) {
  static const std::vector<CrossVenuePair> kNone;
  return pairs != nullptr ? *pairs : kNone;
}

// Cross-venue pairs share a group for the correlated-exposure cap: they are the same contract.
std::vector<std::pair<InstrumentId, InstrumentId>> pair_links(const MarketUniverse& universe,
                                                              const std::vector<CrossVenuePair>& pairs) {
  std::vector<std::pair<InstrumentId, InstrumentId>> links;
  for (const CrossVenuePair& pair : pairs) {
    const InstrumentId kalshi = universe.find(Venue::kalshi, pair.kalshi_ticker);
    const InstrumentId yes = universe.find(Venue::polymarket, pair.polymarket_yes_token);
    const InstrumentId no = universe.find(Venue::polymarket, pair.polymarket_no_token);
    if (universe.market(kalshi) == nullptr || universe.market(yes) == nullptr ||
        universe.market(no) == nullptr) {
      continue;
    }
    links.emplace_back(kalshi, yes);
    links.emplace_back(kalshi, no);
  }
  return links;
}

Qty floor_to(Qty qty, Qty lot) noexcept {
  return Qty{qty.units / lot.units * lot.units};
}

// The largest quantity whose notional at `limit` stays within `cap` (notional = ticks x units / 10^4).
Qty max_qty_for_notional(Price limit, Money cap) noexcept {
  if (limit.ticks <= 0) return Qty{};
  const Int128 units = static_cast<Int128>(cap.micros) * 10'000 / limit.ticks;
  return Qty{units > INT64_MAX ? INT64_MAX : static_cast<int64_t>(units)};
}

Price to_price(double probability) noexcept {
  const double ticks = std::round(probability * Price::kTicksPerDollar);
  return Price{static_cast<int32_t>(std::clamp(ticks, 0.0, static_cast<double>(Price::kTicksPerDollar)))};
}

}  // namespace

StrategyEngine::StrategyEngine(const MarketUniverse& universe, const Config& config,
                               const std::vector<CrossVenuePair>* cross_venue_pairs,
                               const StrategyEngineOptions& options)
    : config_(config),
      options_(options),
      arbitrage_(arbitrage_params(config.arbitrage)),
      markets_(universe.markets()),
      books_(false),
      fair_values_(universe.markets().size(), config.kalman),
      volatility_(universe.markets().size(), config.thesis_invalidation),
      portfolio_(universe.markets().size(), config.risk.starting_capital, WallNanos{}),
      groups_(universe, options.correlation, pair_links(universe, pairs_or_none(cross_venue_pairs))),
      breakers_(config.risk, universe.markets().size(), options.breakers),
      risk_(config.risk, universe, portfolio_, groups_, breakers_, options.pre_trade),
      grinding_(config.grinding, options.grinding_max_levels, arbitrage_.lot),
      bundles_(universe, arbitrage_),
      cross_venue_(universe, pairs_or_none(cross_venue_pairs), arbitrage_),
      monotonicity_(universe, arbitrage_),
      state_(universe.markets().size()),
      scratch_(arbitrage_.max_levels),
      next_intent_id_(options.first_intent_id) {
  if (options.first_intent_id == 0)
    throw std::invalid_argument("StrategyEngine: first_intent_id must be > 0");
  if (options.decision_interval_ns < 0) {
    throw std::invalid_argument("StrategyEngine: decision_interval_ns must be >= 0");
  }
  for (const MarketInfo& m : markets_) {
    if (m.id.valid()) books_.ensure(m.id, m.venue, m.tick);
  }

  // Bundle members in BundleArbitrage's order (mutually exclusive events of 2..kMaxLegs known
  // members), for the best-price prefilter; checked against the detector's own list.
  bundle_first_.push_back(0);
  for (const EventInfo& event : universe.events()) {
    if (!event.mutually_exclusive || event.members.size() < 2 || event.members.size() > Opportunity::kMaxLegs)
      continue;
    const bool known = std::all_of(event.members.begin(), event.members.end(),
                                   [&](InstrumentId id) { return universe.market(id) != nullptr; });
    if (!known) continue;
    if (bundle_first_.size() > bundles_.bundle_count() ||
        bundles_.event_key(bundle_first_.size() - 1) != event.key) {
      throw std::logic_error("StrategyEngine: bundle list disagrees with BundleArbitrage at " + event.key);
    }
    bundle_members_.insert(bundle_members_.end(), event.members.begin(), event.members.end());
    bundle_first_.push_back(static_cast<uint32_t>(bundle_members_.size()));
  }
  if (bundle_first_.size() != bundles_.bundle_count() + 1) {
    throw std::logic_error("StrategyEngine: bundle count disagrees with BundleArbitrage");
  }
  bundle_after_ns_.assign(bundles_.bundle_count(), 0);

  // Pairs in CrossVenueArbitrage's order (those whose three instruments resolve).
  for (const CrossVenuePair& pair : pairs_or_none(cross_venue_pairs)) {
    const PairLegs legs{universe.find(Venue::kalshi, pair.kalshi_ticker),
                        universe.find(Venue::polymarket, pair.polymarket_yes_token),
                        universe.find(Venue::polymarket, pair.polymarket_no_token)};
    if (universe.market(legs.kalshi) == nullptr || universe.market(legs.polymarket_yes) == nullptr ||
        universe.market(legs.polymarket_no) == nullptr) {
      continue;
    }
    pairs_.push_back(legs);
    // Fair-value links (the first pair an instrument appears in wins).
    InstrumentState& kalshi = state_[legs.kalshi.value];
    if (!kalshi.linked.valid()) kalshi.linked = legs.polymarket_yes;
    InstrumentState& yes = state_[legs.polymarket_yes.value];
    if (!yes.linked.valid()) yes.linked = legs.kalshi;
    InstrumentState& no = state_[legs.polymarket_no.value];
    if (!no.linked.valid()) {
      no.linked = legs.kalshi;
      no.linked_flipped = true;
    }
  }
  if (pairs_.size() != cross_venue_.pair_count()) {
    throw std::logic_error("StrategyEngine: pair count disagrees with CrossVenueArbitrage");
  }
  pair_after_ns_.assign(pairs_.size(), 0);

  for (size_t ladder = 0; ladder < monotonicity_.ladder_count(); ++ladder) {
    for (size_t r = 0; r < monotonicity_.rung_count(ladder); ++r) {
      state_[monotonicity_.rung(ladder, r).value].in_ladder = true;
    }
  }
}

void StrategyEngine::handle(const MarketEvent& event, WallNanos now, IntentOut intents,
                            OpportunityOut opportunities) noexcept {
  ++counters_.events;
  current_receive_ = event.recv_ts;
  breakers_.on_feed_message(event.venue, now);
  const InstrumentId id = event.instrument;
  const bool known = id.value < state_.size() && markets_[id.value].id.valid();

  if (event.type == EventType::trade) {
    if (known && event.qty.units > 0) state_[id.value].pending_volume += event.qty.as_double();
    return;
  }

  switch (books_.apply(event)) {
    case BookSet::Applied::stale:
      ++counters_.stale_books;
      breakers_.on_sequence_gap(id, now);
      if (event.type == EventType::tick_size_change && event.price != kNoPrice && event.price.ticks > 0) {
        risk_.set_tick(id, event.price);
      }
      // The next book is a new start: its first measurement is no price change.
      if (known) state_[id.value].has_measurement = false;
      return;
    case BookSet::Applied::snapshot:
      breakers_.on_book_rebuilt(id);
      [[fallthrough]];
    case BookSet::Applied::level:
      if (known && !books_.stale(id)) on_book_change(id, now, intents, opportunities);
      return;
    default:
      return;
  }
}

void StrategyEngine::on_book_change(InstrumentId id, WallNanos now, IntentOut intents,
                                    OpportunityOut opportunities) noexcept {
  ++counters_.book_changes;
  update_models(id, now);
  check_exits(id, now, intents);
  run_detectors(id, now, intents, opportunities);
}

void StrategyEngine::update_models(InstrumentId id, WallNanos now) noexcept {
  InstrumentState& st = state_[id.value];
  const MarketInfo& market = markets_[id.value];
  const Level bid = books_.best_bid(id);
  const Level ask = books_.best_ask(id);

  if (const std::optional<double> z = kalman_measurement(config_.kalman.input, bid, ask)) {
    const double hours = market.close_time.ns == 0
                             ? kNoExpiryHours
                             : std::max(0.0, static_cast<double>(market.close_time - now) / kNanosPerHour);
    (void)fair_values_.update(id, *z, hours);
    if (st.has_measurement) {
      const InvalidationReason reason = volatility_.observe(id, *z - st.last_measurement, st.pending_volume);
      st.pending_volume = 0.0;
      if (reason != InvalidationReason::none) {
        ++counters_.thesis_invalidations;
        // Only a held position has a thesis; a flat market's next entry starts a new one.
        if (st.holding) st.thesis_invalid = true;
      }
    }
    st.last_measurement = *z;
    st.has_measurement = true;
  }

  // A flat instrument adds nothing to equity whatever its mark, so only holdings are marked
  // (a fill marks its instrument at once: see refresh_holding).
  if (st.holding) mark(id, bid, ask, now);
}

void StrategyEngine::mark(InstrumentId id, Level bid, Level ask, WallNanos now) noexcept {
  if (bid.valid() && ask.valid()) {
    portfolio_.mark(id, MarkKind::mid, Price{(bid.price.ticks + ask.price.ticks) / 2}, now);
  }
  const FairValue fair = fair_value(id);
  if (fair.samples > 0) portfolio_.mark(id, MarkKind::fair, to_price(fair.value), now);
}

void StrategyEngine::refresh_holding(InstrumentId id, WallNanos now) noexcept {
  InstrumentState& st = state_[id.value];
  const bool was_holding = st.holding;
  st.holding =
      portfolio_.position(id, Outcome::yes).is_open() || portfolio_.position(id, Outcome::no).is_open();
  if (!st.holding) st.thesis_invalid = false;  // a thesis lives as long as its position
  if (st.holding && !was_holding && !books_.stale(id))
    mark(id, books_.best_bid(id), books_.best_ask(id), now);
}

void StrategyEngine::check_exits(InstrumentId id, WallNanos now, IntentOut intents) noexcept {
  InstrumentState& st = state_[id.value];
  if (!st.holding || st.exit_intent != 0) return;  // one exit at a time: its answer comes first
  const MarketInfo& market = markets_[id.value];
  const int outcomes = market.venue == Venue::kalshi ? 2 : 1;  // a Polymarket token is YES of itself
  for (int o = 0; o < outcomes; ++o) {
    const auto outcome = static_cast<Outcome>(o);
    const Position& position = portfolio_.position(id, outcome);
    if (position.qty.units <= 0) continue;  // exits close longs; pmx never opens a short
    const Level bid = best_sell_level(books_, id, outcome);
    const ExitDecision decision = decide_exit(position.average_price(), bid, st.opened_at[o], now,
                                              st.thesis_invalid, options_.exit_policy);
    if (decision.action != ExitAction::exit) continue;

    OrderIntent intent;
    intent.intent_id = next_intent_id_++;
    intent.instrument = id;
    intent.venue = market.venue;
    intent.side = Side::sell;
    intent.outcome = outcome;
    intent.tif = TimeInForce::ioc;
    intent.limit_price = decision.limit_price;
    intent.decision_price = decision.limit_price;
    intent.qty = position.qty;
    intent.decision_ts = now;
    intent.set_receive_ts(current_receive_);
    // What selling here gains over holding at the model's value, net of the fee.
    const Price fair = portfolio_.mark_of(id, outcome, MarkKind::fair);
    const Money held = fair == kNoPrice ? position.cost_basis : notional(fair, position.qty);
    intent.expected_value =
        notional(decision.limit_price, position.qty) -
        trading_fee(market.venue, decision.limit_price, position.qty, Liquidity::taker, market.fees) - held;
    intent.strategy = StrategyKind::exit;
    intent.flags = kIntentUrgent | kIntentReduceOnly;
    if (!risk_.check(intent, now).accepted()) return;
    st.exit_intent = intent.intent_id;
    ++counters_.exits;
    ++counters_.intents;
    intents(intent);
    return;
  }
}

bool StrategyEngine::bundle_may_have_edge(size_t bundle) const noexcept {
  // The first set costs at least the sum of the best asks (fees are >= 0): at or above
  // $1 - min profit, the set walk would find nothing.
  int64_t ticks = 0;
  for (uint32_t i = bundle_first_[bundle]; i < bundle_first_[bundle + 1]; ++i) {
    const InstrumentId leg = bundle_members_[i];
    if (books_.stale(leg)) return false;
    const Level ask = books_.best_ask(leg);
    if (!ask.valid()) return false;
    ticks += ask.price.ticks;
  }
  const int64_t limit_micros = Money::kMicrosPerDollar - arbitrage_.min_profit_per_set.micros;
  return ticks * (Money::kMicrosPerDollar / Price::kTicksPerDollar) < limit_micros;
}

bool StrategyEngine::pair_may_have_edge(size_t pair) const noexcept {
  const PairLegs& p = pairs_[pair];
  if (books_.stale(p.kalshi)) return false;
  const int64_t limit_micros = Money::kMicrosPerDollar - arbitrage_.min_profit_per_set.micros;
  const auto below = [&](Level a, InstrumentId token) {
    if (!a.valid() || books_.stale(token)) return false;
    const Level b = books_.best_ask(token);
    return b.valid() &&
           int64_t{a.price.ticks + b.price.ticks} * (Money::kMicrosPerDollar / Price::kTicksPerDollar) <
               limit_micros;
  };
  const KalshiBook* book = books_.kalshi(p.kalshi);
  if (book == nullptr) return true;  // let the detector say why
  return below(best_takeable(*book, Outcome::yes, Side::buy), p.polymarket_no) ||
         below(best_takeable(*book, Outcome::no, Side::buy), p.polymarket_yes);
}

void StrategyEngine::run_detectors(InstrumentId id, WallNanos now, IntentOut intents,
                                   OpportunityOut opportunities) noexcept {
  InstrumentState& st = state_[id.value];
  const MarketInfo& market = markets_[id.value];
  const int64_t next_ns = now.ns + options_.decision_interval_ns;

  if (config_.grinding.enabled) {
    const FairValue fair = fair_value(id);
    if (fair.samples > 0) {
      if (throttled(st.grinding_after_ns, now)) {
        ++counters_.throttled;
      } else {
        // The threshold is never below base_threshold: an outcome at or below it cannot qualify.
        const double base = config_.grinding.base_threshold;
        const Money capital = risk_.capital();
        Verdict verdict = Verdict::below_threshold;
        if (fair.value > base) {
          ++counters_.decisions;
          verdict = grinding_.detect(books_, market, Outcome::yes, fair.value, capital, now, found_);
        }
        if (verdict != Verdict::emitted && market.venue == Venue::kalshi && 1.0 - fair.value > base) {
          ++counters_.decisions;
          verdict = grinding_.detect(books_, market, Outcome::no, 1.0 - fair.value, capital, now, found_);
        }
        if (verdict == Verdict::emitted) {
          st.grinding_after_ns = next_ns;
          act(found_, now, intents, opportunities);
        }
      }
    }
  }

  // A disabled detector is never asked; its opportunities cannot exist.
  const ArbitrageConfig& arbitrage = config_.arbitrage;
  for (const uint32_t bundle : bundles_.bundles_containing(id)) {
    if (!arbitrage.bundle_enabled) break;
    if (throttled(bundle_after_ns_[bundle], now)) {
      ++counters_.throttled;
      continue;
    }
    if (!bundle_may_have_edge(bundle)) {
      ++counters_.prefiltered;
      continue;
    }
    ++counters_.decisions;
    if (bundles_.detect(bundle, books_, now, found_) == Verdict::emitted) {
      bundle_after_ns_[bundle] = next_ns;
      act(found_, now, intents, opportunities);
    }
  }

  for (const uint32_t pair : cross_venue_.pairs_containing(id)) {
    if (!arbitrage.cross_venue_enabled) break;
    if (throttled(pair_after_ns_[pair], now)) {
      ++counters_.throttled;
      continue;
    }
    if (!pair_may_have_edge(pair)) {
      ++counters_.prefiltered;
      continue;
    }
    ++counters_.decisions;
    if (cross_venue_.detect(pair, books_, now, found_) == Verdict::emitted) {
      pair_after_ns_[pair] = next_ns;
      act(found_, now, intents, opportunities);
    }
  }

  if (st.in_ladder && arbitrage.monotonicity_enabled) {
    if (throttled(st.ladder_after_ns, now)) {
      ++counters_.throttled;
    } else {
      ++counters_.decisions;
      if (monotonicity_.detect_for(id, books_, now, found_) == Verdict::emitted) {
        st.ladder_after_ns = next_ns;
        act(found_, now, intents, opportunities);
      }
    }
  }
}

FairValue StrategyEngine::fair_value(InstrumentId id) const noexcept {
  const FairValue own = fair_values_.estimate(id);
  if (id.value >= state_.size() || !state_[id.value].linked.valid()) return own;
  const InstrumentState& st = state_[id.value];
  FairValue other = fair_values_.estimate(st.linked);
  if (st.linked_flipped) other.value = 1.0 - other.value;
  const auto traded = [this](InstrumentId i) {
    const VolatilitySnapshot v = volatility_.snapshot(i);
    return v.mean_volume * v.samples;
  };
  return fuse(own, traded(id), other, traded(st.linked));
}

bool StrategyEngine::in_recovery() const noexcept {
  return portfolio_.drawdown_at_least(config_.kelly.recovery_drawdown_pct);
}

Qty StrategyEngine::size_grinding(const Opportunity& opportunity) noexcept {
  const OpportunityLeg& leg = opportunity.legs[0];
  KellyInputs in;
  in.win_probability = opportunity.probability;
  in.venue = leg.venue;
  in.price = leg.average_price;  // the walk's cost per contract (a smaller size costs no more)
  in.liquidity = Liquidity::taker;
  in.fees = markets_[leg.instrument.value].fees;
  in.capital = risk_.capital();
  // kelly_size picks recovery_fraction when drawdown_pct >= recovery_drawdown_pct; the portfolio
  // decides that by its exact micro-dollar threshold.
  in.drawdown_pct = in_recovery() ? config_.kelly.recovery_drawdown_pct : 0.0;
  in.qty_step = arbitrage_.lot;
  const KellySize kelly = kelly_size(in, config_.kelly);
  if (kelly.reason != KellyReason::ok) return Qty{};
  return floor_to(std::min(kelly.qty, opportunity.size), arbitrage_.lot);
}

Qty StrategyEngine::size_arbitrage(const Opportunity& opportunity) noexcept {
  // p = 1: full Kelly is the whole capital, so the stake is the multiplier capped at
  // max_trade_fraction.
  const KellyConfig& kelly = config_.kelly;
  const double multiplier = in_recovery() ? kelly.recovery_fraction : kelly.fraction;
  const double fraction = std::min(multiplier, kelly.max_trade_fraction);
  if (fraction < kelly.min_trade_fraction || fraction <= 0.0) return Qty{};
  const Money capital = risk_.capital();
  const Money budget{static_cast<int64_t>(std::floor(fraction * static_cast<double>(capital.micros)))};
  const Money outlay = opportunity.outlay();
  if (outlay.micros <= 0 || opportunity.size.units <= 0) return Qty{};
  // Sets the budget buys at the opportunity's average outlay per set.
  const Int128 affordable = static_cast<Int128>(budget.micros) * opportunity.size.units / outlay.micros;
  const Qty qty =
      affordable >= opportunity.size.units ? opportunity.size : Qty{static_cast<int64_t>(affordable)};
  return floor_to(qty, arbitrage_.lot);
}

bool StrategyEngine::price_leg(const OpportunityLeg& leg, Qty qty, LegPrice& out) noexcept {
  const size_t n = buy_levels(books_, leg.instrument, leg.outcome, scratch_);
  const std::span<const Level> levels(scratch_.data(), n);
  const WalkResult walk = walk_levels(levels, qty);
  if (walk.filled < qty) return false;
  out.cost = walk.cost;
  out.fee = taker_fee_of_walk(levels, qty, leg.venue, markets_[leg.instrument.value].fees);
  out.average = average_price(walk.cost, qty);
  out.limit = walk.worst_price;
  return true;
}

bool StrategyEngine::price_legs(const Opportunity& opportunity, Qty qty,
                                std::array<LegPrice, Opportunity::kMaxLegs>& priced) noexcept {
  if (qty.units <= 0) return false;
  for (size_t i = 0; i < opportunity.leg_count; ++i) {
    const OpportunityLeg& leg = opportunity.legs[i];
    if (qty == leg.qty) {
      priced[i] = LegPrice{leg.cost, leg.fee, leg.average_price, leg.limit_price};
    } else if (!price_leg(leg, qty, priced[i])) {
      return false;
    }
  }
  return true;
}

void StrategyEngine::act(const Opportunity& opportunity, WallNanos now, IntentOut intents,
                         OpportunityOut opportunities) noexcept {
  ++counters_.opportunities;
  ++counters_.opportunities_by_strategy[static_cast<size_t>(opportunity.strategy)];
  opportunities(opportunity);

  const bool grinding = opportunity.strategy == StrategyKind::grinding;
  Qty qty = grinding ? size_grinding(opportunity) : size_arbitrage(opportunity);
  const size_t legs = opportunity.leg_count;
  std::array<LegPrice, Opportunity::kMaxLegs> priced{};
  if (legs == 0 || legs > Opportunity::kMaxLegs || !price_legs(opportunity, qty, priced)) {
    ++counters_.sized_out;
    return;
  }
  // No leg above risk.max_order_notional at its limit. A smaller size walks fewer levels, so its
  // limits can only fall: one shrink and one re-pricing settle it.
  Qty capped = qty;
  for (size_t i = 0; i < legs; ++i)
    capped = std::min(capped, max_qty_for_notional(priced[i].limit, config_.risk.max_order_notional));
  capped = floor_to(capped, arbitrage_.lot);
  if (capped < qty) {
    qty = capped;
    if (!price_legs(opportunity, qty, priced)) {
      ++counters_.sized_out;
      return;
    }
  }
  Money total_cost{};
  Money total_fees{};
  for (size_t i = 0; i < legs; ++i) {
    total_cost = total_cost + priced[i].cost;
    total_fees = total_fees + priced[i].fee;
  }
  // Grinding pays $1 with probability p; a full set pays $1 (Qty units x $1 are micro-dollars).
  const Money payout =
      grinding
          ? Money{static_cast<int64_t>(std::floor(opportunity.probability * static_cast<double>(qty.units)))}
          : Money{qty.units};
  const Money expected_value = payout - total_cost - total_fees;
  if (expected_value.micros <= 0 || total_cost.micros <= 0) {
    ++counters_.sized_out;
    return;
  }

  const uint64_t group_id = legs > 1 ? next_intent_id_ : 0;
  Money assigned{};
  for (size_t i = 0; i < legs; ++i) {
    const OpportunityLeg& leg = opportunity.legs[i];
    OrderIntent& intent = pending_[i];
    intent = OrderIntent{};
    intent.intent_id = next_intent_id_++;
    intent.instrument = leg.instrument;
    intent.venue = leg.venue;
    intent.side = leg.side;
    intent.outcome = leg.outcome;
    intent.tif = leg.tif;
    intent.limit_price = priced[i].limit;
    intent.decision_price = priced[i].average;
    intent.qty = qty;
    intent.group_id = group_id;
    intent.decision_ts = now;
    intent.set_receive_ts(current_receive_);
    // The group's EV shared by cost; the first leg takes the rounding remainder.
    const Money share{static_cast<int64_t>(static_cast<Int128>(expected_value.micros) *
                                           priced[i].cost.micros / total_cost.micros)};
    intent.expected_value = share;
    assigned = assigned + share;
    intent.strategy = opportunity.strategy;
    intent.flags = static_cast<uint8_t>(leg.flags | (legs > 1 ? kIntentArbitrageLeg : 0));
    intent.leg_count = static_cast<uint8_t>(legs);
  }
  pending_[0].expected_value = pending_[0].expected_value + (expected_value - assigned);

  for (size_t i = 0; i < legs; ++i) {
    if (risk_.check(pending_[i], now).accepted()) continue;
    // All or nothing: the legs accepted so far must not stay in risk's resting orders.
    for (size_t j = 0; j < i; ++j)
      release(pending_[j], now);
    ++counters_.groups_refused;
    return;
  }
  for (size_t i = 0; i < legs; ++i) {
    ++counters_.intents;
    intents(pending_[i]);
  }
}

void StrategyEngine::apply_runtime_config(const Config& config) {
  // What can throw first, so a refused change leaves the engine as it was. The detector is
  // rebuilt (it has no setter): its opportunity sequence restarts, which nothing persists.
  GrindingDetector grinding(config.grinding, options_.grinding_max_levels, arbitrage_.lot);
  risk_.set_config(config.risk);
  breakers_.set_config(config.risk);
  grinding_ = std::move(grinding);
  volatility_.set_thresholds(config.thesis_invalidation);
  config_.risk = config.risk;
  config_.grinding = config.grinding;
  config_.kelly = config.kelly;
  config_.execution = config.execution;
  config_.thesis_invalidation = config.thesis_invalidation;
  config_.alerts = config.alerts;
}

void StrategyEngine::release(const OrderIntent& intent, WallNanos now) noexcept {
  // A terminal report removes the resting order and its pending exposure. `rejected` by `risk` is
  // not a venue answer, so it leaves the API error-rate window alone.
  risk_.on_exec_report(risk_rejection(intent, now), now);
}

void StrategyEngine::on_exec_report(const ExecReport& report, WallNanos now) noexcept {
  const InstrumentId id = report.instrument;
  const bool known = id.value < state_.size();
  const bool was_open = known && portfolio_.position(id, report.outcome).is_open();
  risk_.on_exec_report(report, now);
  if (!known) return;
  InstrumentState& st = state_[id.value];
  if (!was_open && portfolio_.position(id, report.outcome).is_open()) {
    st.opened_at[static_cast<size_t>(report.outcome)] = now;
  }
  if (report.intent_id == st.exit_intent && is_terminal(report.type)) st.exit_intent = 0;
  refresh_holding(id, now);
}

void StrategyEngine::restore_position(InstrumentId id, Outcome outcome, Qty qty, Price average_price,
                                      Money round_trip_pnl, Money round_trip_fees, WallNanos now) noexcept {
  if (!books_.has(id) || qty.units <= 0) return;
  ExecReport fill;
  fill.instrument = id;
  fill.venue = books_.venue(id);
  fill.side = Side::buy;
  fill.outcome = outcome;
  fill.type = ExecType::fill;
  fill.fill_price = average_price;
  fill.fill_qty = qty;
  fill.cumulative_qty = qty;
  fill.ts = now;
  on_exec_report(fill, now);
  portfolio_.restore_round_trip(id, outcome, round_trip_pnl, round_trip_fees);
}

SettlementEffect StrategyEngine::on_settlement(InstrumentId instrument, Outcome winner,
                                               WallNanos now) noexcept {
  const SettlementEffect effect = risk_.on_settlement(instrument, winner, now);
  if (instrument.value < state_.size()) refresh_holding(instrument, now);
  return effect;
}

}  // namespace pmx
