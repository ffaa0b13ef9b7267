#include "pmx/risk/pre_trade_risk.h"

#include <algorithm>

#include "pmx/risk/risk_math.h"

namespace pmx {
namespace {

constexpr Side opposite(Side s) noexcept {
  return s == Side::buy ? Side::sell : Side::buy;
}
constexpr int64_t magnitude(int64_t v) noexcept {
  return v < 0 ? -v : v;
}

// Did the venue answer the order, and was the answer an API error? Rejections by our own gateway
// (risk, slippage, depth, unwind) are not venue answers.
struct VenueAnswer {
  bool answered = false;
  bool error = false;
};
constexpr VenueAnswer venue_answer(const ExecReport& r) noexcept {
  switch (r.type) {
    case ExecType::failed:
      return {true, true};
    case ExecType::rejected: {
      const bool venue_side = r.reason == RejectReason::venue || r.reason == RejectReason::rate_limited ||
                              r.reason == RejectReason::timeout;
      return {venue_side, venue_side};
    }
    default:
      return {true, false};
  }
}

}  // namespace

PreTradeRisk::PreTradeRisk(const RiskConfig& config, const MarketUniverse& universe, Portfolio& portfolio,
                           CorrelationGroups& groups, CircuitBreakers& breakers, PreTradeOptions options)
    : config_(config),
      portfolio_(portfolio),
      groups_(groups),
      breakers_(breakers),
      open_orders_(options.max_open_orders),
      rate_(config.max_orders_per_minute, seconds_to_nanos(60)) {
  const size_t n = std::min(universe.markets().size(), portfolio.instrument_count());
  instruments_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const MarketInfo& m = universe.markets()[i];
    if (!m.id.valid()) continue;
    InstrumentStatic& s = instruments_[i];
    s.known = true;
    s.venue = m.venue;
    s.complement = m.complement;
    s.tick = m.tick;
    s.first_band = static_cast<uint32_t>(bands_.size());
    s.band_count = static_cast<uint32_t>(m.tick_bands.size());
    bands_.insert(bands_.end(), m.tick_bands.begin(), m.tick_bands.end());
  }
  last_trade_.assign(n, WallNanos{});
  traded_.assign(n, 0);
  pending_by_slot_.assign(2 * n, Money{});
  scan_stamp_.assign(2 * n, 0);
  pending_by_group_.assign(groups.group_count(), Money{});
}

RiskDecision PreTradeRisk::refuse(RiskRefusal reason) noexcept {
  ++refusals_[static_cast<size_t>(reason)];
  return RiskDecision{reason};
}

Money PreTradeRisk::capital() const noexcept {
  const Money equity = portfolio_.equity(MarkKind::mid);
  return equity.micros > 0 ? equity : Money{};
}

void PreTradeRisk::refresh(WallNanos now) noexcept {
  portfolio_.roll_day(now);
  breakers_.on_equity(portfolio_.peak_equity(), portfolio_.equity(MarkKind::mid),
                      portfolio_.day_start_equity(), now);
}

RiskDecision PreTradeRisk::check(const OrderIntent& intent, WallNanos now) noexcept {
  if (kill_switch_) return refuse(RiskRefusal::kill_switch);

  const InstrumentId id = intent.instrument;
  if (id.value >= instruments_.size() || !instruments_[id.value].known ||
      instruments_[id.value].venue != intent.venue || intent.qty.units <= 0 ||
      open_orders_.find(intent.intent_id) != nullptr) {
    return refuse(RiskRefusal::invalid_intent);
  }

  // What the order does to its position if it fills at its limit.
  const Position& held = portfolio_.position(id, intent.outcome);
  Position after = held;
  const TradeEffect effect = apply_trade(after, intent.side, intent.limit_price, intent.qty, Money{});
  const bool reduces = !effect.opened && magnitude(after.qty.units) < magnitude(held.qty.units);
  const bool reduce_only = (intent.flags & kIntentReduceOnly) != 0;
  if (reduce_only && !reduces) return refuse(RiskRefusal::reduce_only_increases);

  refresh(now);
  const Breaker breaker = breakers_.blocking(id, intent.venue, reduce_only, now);
  if (breaker != Breaker::none) return refuse(refusal_for(breaker));

  if (!reduce_only && traded_[id.value] != 0 &&
      now - last_trade_[id.value] < seconds_to_nanos(config_.trade_cooldown_s)) {
    return refuse(RiskRefusal::trade_cooldown);
  }

  if (notional(intent.limit_price, intent.qty) > config_.max_order_notional) {
    return refuse(RiskRefusal::order_notional);
  }

  if (effect.exposure_delta.micros > 0) {
    const RiskRefusal cap = check_caps(intent, effect.exposure_delta, after.exposure());
    if (cap != RiskRefusal::none) return refuse(cap);
  }

  if (!rate_.allows(now)) return refuse(RiskRefusal::order_rate);

  if (intent.limit_price.ticks <= 0 || intent.limit_price >= Price::one_dollar() || !on_tick(intent)) {
    return refuse(RiskRefusal::price_sanity);
  }

  if (!reduce_only && intent.expected_value.micros <= 0) return refuse(RiskRefusal::fee_inversion);

  if (open_orders_.would_cross(book_key(id, intent.outcome, intent.side, intent.limit_price))) {
    return refuse(RiskRefusal::self_trade);
  }

  if (open_orders_.full()) return refuse(RiskRefusal::open_orders_full);

  accept(intent, now);
  return RiskDecision{};
}

RiskRefusal PreTradeRisk::check_caps(const OrderIntent& intent, Money exposure_delta,
                                     Money exposure_after) noexcept {
  const Money base = capital();
  if (portfolio_.open_exposure() + pending_total_ + exposure_delta >
      cap_of(base, config_.max_total_exposure_pct)) {
    return RiskRefusal::total_exposure;
  }
  const size_t s = slot(intent.instrument, intent.outcome);
  if (exposure_after + pending_by_slot_[s] > cap_of(base, config_.max_position_pct)) {
    return RiskRefusal::position_size;
  }
  const GroupId group = groups_.group_of(intent.instrument);
  if (group.valid() && groups_.exposure(group) + pending_by_group_[group.value] + exposure_delta >
                           groups_.cap(base, config_.max_correlated_exposure_pct)) {
    return RiskRefusal::correlated_exposure;
  }

  if (!portfolio_.position(intent.instrument, intent.outcome).is_open()) {
    // Occupied slots: open positions, plus flat slots that already have a live order of ours.
    if (++scan_epoch_ == 0) {  // the stamp wrapped: forget every old stamp
      std::fill(scan_stamp_.begin(), scan_stamp_.end(), 0U);
      scan_epoch_ = 1;
    }
    bool already_pending = false;
    int pending_new = 0;
    for (const RestingOrder& order : open_orders_.orders()) {
      if (portfolio_.position(order.instrument, order.outcome).is_open()) continue;
      const size_t other = slot(order.instrument, order.outcome);
      if (other == s) already_pending = true;
      if (scan_stamp_[other] != scan_epoch_) {
        scan_stamp_[other] = scan_epoch_;
        ++pending_new;
      }
    }
    if (!already_pending && portfolio_.position_count() + pending_new >= config_.max_concurrent_positions) {
      return RiskRefusal::concurrent_positions;
    }
  }
  return RiskRefusal::none;
}

bool PreTradeRisk::on_tick(const OrderIntent& intent) const noexcept {
  const InstrumentStatic& s = instruments_[intent.instrument.value];
  // Kalshi tick bands are in YES terms; a NO price is checked as the YES price it implies.
  const Price p = s.venue == Venue::kalshi && intent.outcome == Outcome::no
                      ? Price::one_dollar() - intent.limit_price
                      : intent.limit_price;
  if (s.band_count == 0) return s.tick.ticks > 0 && p.ticks % s.tick.ticks == 0;
  for (uint32_t i = 0; i < s.band_count; ++i) {
    const TickBand& band = bands_[s.first_band + i];
    if (p >= band.start && p < band.end)
      return band.step.ticks > 0 && (p - band.start).ticks % band.step.ticks == 0;
  }
  return false;
}

BookKey PreTradeRisk::book_key(InstrumentId instrument, Outcome outcome, Side side,
                               Price price) const noexcept {
  const InstrumentStatic& s = instruments_[instrument.value];
  const bool mirrored =
      s.venue == Venue::kalshi ? outcome == Outcome::no : s.complement.valid() && s.complement < instrument;
  if (!mirrored) return BookKey{instrument, side, price};
  const InstrumentId book = s.venue == Venue::kalshi ? instrument : s.complement;
  return BookKey{book, opposite(side), Price::one_dollar() - price};
}

void PreTradeRisk::add_pending(const RestingOrder& order, Money delta) noexcept {
  if (delta.micros == 0) return;
  pending_total_ = pending_total_ + delta;
  Money& by_slot = pending_by_slot_[slot(order.instrument, order.outcome)];
  by_slot = by_slot + delta;
  const GroupId group = groups_.group_of(order.instrument);
  if (group.valid() && group.value < pending_by_group_.size()) {
    pending_by_group_[group.value] = pending_by_group_[group.value] + delta;
  }
}

void PreTradeRisk::accept(const OrderIntent& intent, WallNanos now) noexcept {
  last_trade_[intent.instrument.value] = now;
  traded_[intent.instrument.value] = 1;
  rate_.record(now);
  RestingOrder order;
  order.intent_id = intent.intent_id;
  order.instrument = intent.instrument;
  order.outcome = intent.outcome;
  order.side = intent.side;
  order.limit_price = intent.limit_price;
  order.remaining = intent.qty;
  order.key = book_key(intent.instrument, intent.outcome, intent.side, intent.limit_price);
  order.pending_exposure = intent.side == Side::buy ? notional(intent.limit_price, intent.qty) : Money{};
  (void)open_orders_.add(order);  // not full: checked before accepting
  add_pending(order, order.pending_exposure);
  ++accepted_;
}

void PreTradeRisk::on_exec_report(const ExecReport& report, WallNanos now) noexcept {
  RestingOrder* order = open_orders_.find(report.intent_id);
  if (order == nullptr) ++unknown_reports_;

  const bool is_fill =
      (report.type == ExecType::partial_fill || report.type == ExecType::fill) && report.fill_qty.units > 0;
  if (is_fill) {
    const TradeEffect effect = portfolio_.apply_fill(report, now);
    groups_.apply(report.instrument, effect.exposure_delta);
    if (effect.closed) breakers_.on_position_closed(effect.closed_round_trip_pnl, now);
    if (order != nullptr) {
      order->remaining = Qty{std::max<int64_t>(order->remaining.units - report.fill_qty.units, 0)};
      const Money pending =
          order->side == Side::buy ? notional(order->limit_price, order->remaining) : Money{};
      add_pending(*order, pending - order->pending_exposure);
      order->pending_exposure = pending;
    }
  }
  if (order == nullptr) return;

  if (!order->acknowledged) {
    const VenueAnswer answer = venue_answer(report);
    if (answer.answered) {
      breakers_.on_api_result(report.venue, answer.error, now);
      order->acknowledged = true;
    }
  }
  if (is_terminal(report.type)) {
    add_pending(*order, -order->pending_exposure);
    open_orders_.remove(order);
  }
}

SettlementEffect PreTradeRisk::on_settlement(InstrumentId instrument, Outcome winner,
                                             WallNanos now) noexcept {
  const SettlementEffect effects = portfolio_.settle(instrument, winner, now);
  for (const TradeEffect& effect : effects) {
    groups_.apply(instrument, effect.exposure_delta);
    if (effect.closed) breakers_.on_position_closed(effect.closed_round_trip_pnl, now);
  }
  return effects;
}

void PreTradeRisk::set_tick(InstrumentId instrument, Price tick) noexcept {
  if (instrument.value >= instruments_.size()) return;
  instruments_[instrument.value].tick = tick;
  instruments_[instrument.value].band_count = 0;
}

void PreTradeRisk::set_config(const RiskConfig& config) {
  if (config.max_orders_per_minute != config_.max_orders_per_minute) {
    rate_ = OrderRateWindow(config.max_orders_per_minute, seconds_to_nanos(60));
  }
  config_ = config;
  breakers_.set_config(config);
}

Money PreTradeRisk::pending_exposure(InstrumentId instrument, Outcome outcome) const noexcept {
  return instrument.value < instruments_.size() ? pending_by_slot_[slot(instrument, outcome)] : Money{};
}

}  // namespace pmx
