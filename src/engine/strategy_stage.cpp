#include "pmx/engine/strategy_stage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "pmx/book/outcome_depth.h"
#include "pmx/core/clock.h"
#include "pmx/core/risk_rejection.h"
#include "pmx/engine/opportunity_row.h"
#include "pmx/persist/run_epoch.h"
#include "pmx/risk/pre_trade_risk.h"

namespace pmx {
namespace {

constexpr uint32_t kNoSlot = UINT32_MAX;

// The counters shm-top shows for this stage, in the order publish() writes them.
constexpr const char* kCounterNames[] = {
    "strategy.events",       "strategy.intents",     "strategy.opportunities", "strategy.refusals",
    "strategy.reports",      "strategy.fills",       "strategy.mirror_full",   "strategy.intents_lost",
    "strategy.halts",        "strategy.commands",    "strategy.price_samples", "strategy.ops_dropped",
    "strategy.book_changes", "strategy.stale_books", "strategy.decisions",     "strategy.exits",
};

int64_t floor_div(int64_t a, int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// yyyymmdd of a UTC day number (days since 1970-01-01), Howard Hinnant's civil_from_days.
int32_t yyyymmdd(int64_t day) noexcept {
  const int64_t z = day + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return static_cast<int32_t>(y * 10000 + m * 100 + d);
}

Price probability_price(double p) noexcept {
  if (!(p > 0.0) || !(p < 1.0)) return Price{};
  return Price::from_ticks(static_cast<int32_t>(std::lround(p * Price::kTicksPerDollar)));
}

}  // namespace

StrategyStage::StrategyStage(StrategyEngine& engine, EngineRings& rings, const MarketUniverse& universe,
                             shm::StateWriter* shm, OpsQueue* ops, StrategyStageOptions options)
    : engine_(engine),
      rings_(rings),
      universe_(universe),
      shm_(shm),
      ops_(ops),
      options_(options),
      control_(options.control),
      backlog_(std::max<size_t>(options.intent_backlog, Opportunity::kMaxLegs + 2)) {
  const size_t instruments = engine_.books().size();
  dirty_list_.reserve(instruments);
  dirty_flag_.assign(instruments, 0);
  position_slot_.assign(instruments, kNoSlot);
  opened_by_.assign(instruments, static_cast<uint8_t>(StrategyKind::manual));
  if (ops_ != nullptr) producer_.emplace(ops_->make_producer());
  if (shm_ != nullptr) {
    held_.reserve(shm_->geometry().max_positions);
    for (const char* name : kCounterNames)
      shm_counters_.push_back(shm_->add_counter(name));
    feed_to_strategy_ = &shm_->histogram(shm::Stage::feed_to_strategy);
    strategy_decision_ = &shm_->histogram(shm::Stage::strategy_decision);
    publish_status();
  }
  if (control_.status.halted != 0) engine_.set_kill_switch(true);  // restored from persisted state
}

bool StrategyStage::poll(WallNanos now, MonoNanos mono) noexcept {
  ++counters_.rounds;
  const uint64_t commands_before = counters_.commands;
  if (shm_ != nullptr) poll_control(now, mono);
  bool worked = counters_.commands != commands_before;
  worked |= drain_reports(now) > 0;
  worked |= flush_backlog(now);
  worked |= drain_feed(rings_.kalshi_events, now) > 0;
  worked |= drain_feed(rings_.polymarket_events, now) > 0;
  if (ops_ != nullptr) {
    sample_prices(now);
    maybe_daily_snapshot(now);
  }
  if (shm_ != nullptr && mono.ns >= next_publish_mono_) {
    publish(now, mono);
    next_publish_mono_ = mono.ns + options_.publish_interval_ns;
  }
  return worked;
}

// ---- control ------------------------------------------------------------------------------

void StrategyStage::poll_control(WallNanos now, MonoNanos mono) noexcept {
  shm::ControlPoller::Pending pending;
  while (shm_->control().poll(pending, mono.ns)) {
    ++counters_.commands;
    const bool was_halted = control_.status.halted != 0;
    const int positions = engine_.portfolio().position_count();
    try {
      const Config before = control_.config;  // a change the engine refuses is undone
      CommandOutcome out =
          apply_command(control_, pending.request, now.ns, static_cast<size_t>(std::max(positions, 0)));
      if (out.config_changed) {
        try {
          engine_.apply_runtime_config(control_.config);
        } catch (const std::invalid_argument& e) {
          control_.config = before;
          out.result = shm::CommandResult::invalid;
          out.message = std::string("invalid: ") + e.what();
        } catch (...) {  // out of memory: the stage keeps the old values (answered refused below)
          control_.config = before;
          throw;
        }
      }
      if (out.halt) {
        control_.status.halted = was_halted ? 1 : 0;      // halt() records the transition itself
        char reason[sizeof control_.status.halt_reason];  // halt() rewrites the status' own copy
        copy_text(reason, text_view(control_.status.halt_reason));
        halt(out.close_positions, now, text_view(reason));
      }
      if (out.resume) {
        control_.status.halted = 1;
        resume(now);
      }
      publish_status();  // the effect is visible before the acknowledgement
      shm_->control().complete(pending.number, out.result, out.message);
    } catch (...) {  // formatting the reply failed to allocate: answer without a text
      ++counters_.command_failures;
      publish_status();
      shm_->control().complete(pending.number, shm::CommandResult::refused, "refused: engine out of memory");
    }
  }
}

void StrategyStage::halt(bool close_positions, WallNanos now, std::string_view reason) noexcept {
  const bool was_halted = control_.status.halted != 0;
  engine_.set_kill_switch(true);
  ++counters_.halts;
  // Cancel-all goes behind every intent already queued, so those are cancelled too.
  OrderIntent cancel_all;
  cancel_all.flags = kIntentCancelAll;
  cancel_all.decision_ts = now;
  send_intent(cancel_all, now);
  if (close_positions) this->close_positions(now);

  control_.status.halted = 1;
  if (!was_halted) control_.status.halted_since_ns = now.ns;
  copy_text(control_.status.halt_reason, reason);
  publish_status();

  SystemStateRecord state;
  state.halted = true;
  state.mode = control_.status.mode == shm::TradingMode::live ? TradingMode::live : TradingMode::paper;
  state.ts = now;
  copy_text(state.reason, reason);
  push_ops(OpsEvent::of(state));
  char text[96];
  std::snprintf(text, sizeof text, "trading halted: %.*s%s",
                static_cast<int>(std::min<size_t>(reason.size(), 60)), reason.data(),
                close_positions ? "; closing positions" : "");
  alert(AuditKind::kill_switch, 1, text, now);
  AlertRecord critical;
  critical.severity = AlertSeverity::critical;
  critical.ts = now;
  copy_text(critical.title, "Kill switch");
  copy_text(critical.text, text);
  push_ops(OpsEvent::of(critical));
}

void StrategyStage::resume(WallNanos now) noexcept {
  const bool was_halted = control_.status.halted != 0;
  engine_.set_kill_switch(false);
  control_.status.halted = 0;  // halt_reason keeps the last halt's reason
  publish_status();
  if (!was_halted) return;
  ++counters_.resumes;
  SystemStateRecord state;
  state.halted = false;
  state.mode = control_.status.mode == shm::TradingMode::live ? TradingMode::live : TradingMode::paper;
  state.ts = now;
  copy_text(state.reason, "resumed");
  push_ops(OpsEvent::of(state));
  alert(AuditKind::kill_switch, 0, "trading resumed", now);
}

// One reduce-only marketable IOC per open position: sell a long at any price down to one tick
// (the gateway's router still bounds it by its slippage band around the best bid), buy back a
// short up to $1 less a tick.
void StrategyStage::close_positions(WallNanos now) noexcept {
  const Portfolio& portfolio = engine_.portfolio();
  const BookSet& books = engine_.books();
  for (uint32_t i = 0; i < portfolio.instrument_count(); ++i) {
    const InstrumentId id{i};
    const MarketInfo* market = universe_.market(id);
    if (market == nullptr) continue;
    for (const Outcome outcome : {Outcome::yes, Outcome::no}) {
      const Position& position = portfolio.position(id, outcome);
      if (!position.is_open()) continue;
      OrderIntent close;
      close.intent_id = run_scoped_id(kStageIntentBit, options_.run_epoch, ++close_seq_);
      close.instrument = id;
      close.venue = market->venue;
      close.outcome = outcome;
      close.side = position.qty.units > 0 ? Side::sell : Side::buy;
      close.qty = Qty{position.qty.units > 0 ? position.qty.units : -position.qty.units};
      close.tif = TimeInForce::ioc;
      close.flags = kIntentUrgent | kIntentReduceOnly;
      close.strategy = StrategyKind::exit;
      close.decision_ts = now;
      close.limit_price =
          close.side == Side::sell ? Price::from_ticks(1) : Price::from_ticks(Price::kTicksPerDollar - 1);
      close.decision_price = close.limit_price;
      if (books.has(id) && !books.stale(id)) {
        const Level best =
            books.visit(id, [&](const auto& book) { return best_takeable(book, outcome, close.side); });
        if (best.valid()) close.decision_price = best.price;
      }
      ++counters_.closes_sent;
      send_intent(close, now);
    }
  }
}

void StrategyStage::on_feed_connected(Venue venue, WallNanos now) noexcept {
  engine_.on_feed_connected(venue, now);
}

void StrategyStage::on_feed_disconnected(Venue venue, WallNanos now) noexcept {
  engine_.on_feed_disconnected(venue, now);
  alert(AuditKind::circuit_breaker, static_cast<uint16_t>(venue),
        venue == Venue::kalshi ? "Kalshi feed disconnected" : "Polymarket feed disconnected", now);
}

// ---- reports, events, intents --------------------------------------------------------------

size_t StrategyStage::drain_reports(WallNanos now) noexcept {
  size_t n = 0;
  ExecReport report;
  for (; n < options_.max_reports_per_round && rings_.reports.try_pop(report); ++n) {
    ++counters_.reports;
    const InstrumentId id = report.instrument;
    const bool known = id.value < position_slot_.size();
    const bool was_open = known && engine_.portfolio().position(id, report.outcome).is_open();
    engine_.on_exec_report(report, now);
    if (!known) continue;
    mark_dirty(id);
    if (report.fill_qty.units <= 0) continue;
    ++counters_.fills;
    ++fills_today_;
    const Position& position = engine_.portfolio().position(id, report.outcome);
    if (was_open && !position.is_open()) ++(position.round_trip_pnl.micros > 0 ? wins_today_ : losses_today_);
    if (shm_ != nullptr && position_slot_[id.value] == kNoSlot && held_.size() < held_.capacity()) {
      position_slot_[id.value] = static_cast<uint32_t>(held_.size());
      held_.push_back(id.value);
    }
    PositionRecord record;
    record.instrument = id;
    record.outcome = report.outcome;
    record.strategy = static_cast<StrategyKind>(opened_by_[id.value]);
    record.average_price = position.average_price();
    record.mark_price = engine_.portfolio().mark_of(id, report.outcome, MarkKind::mid);
    record.qty = Qty{position.qty.units < 0 ? -position.qty.units : position.qty.units};
    record.realized_pnl = position.round_trip_pnl;  // kept after the close: the row's final figure
    record.fees = position.round_trip_fees;
    record.ts = now;
    push_ops(OpsEvent::of(record));
  }
  return n;
}

size_t StrategyStage::drain_feed(SpscRing<MarketEvent>& ring, WallNanos now) noexcept {
  size_t n = 0;
  for (; n < options_.max_events_per_round; ++n) {
    // Room for the worst case first: one group of intents, and the mirror slot.
    if (backlog_count_ + Opportunity::kMaxLegs + 1 > backlog_.size()) break;
    const MarketEvent* event = ring.front();
    if (event == nullptr) break;
    if (!rings_.book_mirror.try_push(*event)) {
      ++counters_.mirror_full;
      break;
    }
    on_event(*event, now);
    ring.pop();
  }
  counters_.events += n;
  return n;
}

void StrategyStage::on_event(const MarketEvent& event, WallNanos now) noexcept {
  const MonoNanos read = options_.record_latencies ? options_.clock() : MonoNanos{};
  event_opportunity_count_ = 0;
  event_intents_ = 0;
  const OrderIntent* first_intent = nullptr;
  OrderIntent first{};
  auto on_intent = [&](const OrderIntent& intent) {
    if (event_intents_ < event_intent_log_.size()) event_intent_log_[event_intents_] = intent;
    if (event_intents_++ == 0) {
      first = intent;
      first_intent = &first;
    }
    if (intent.instrument.value < opened_by_.size())
      opened_by_[intent.instrument.value] = static_cast<uint8_t>(intent.strategy);
    send_intent(intent, now);
  };
  auto on_opportunity = [&](const Opportunity& opportunity) { this->on_opportunity(opportunity); };
  engine_.on_market_event(event, now, on_intent, on_opportunity);
  if (options_.record_latencies) {
    const MonoNanos decided = options_.clock();
    if (strategy_decision_ != nullptr)
      strategy_decision_->record(static_cast<uint64_t>(decided.ns - read.ns));
    if (feed_to_strategy_ != nullptr && event.recv_ts.ns != 0 && read.ns >= event.recv_ts.ns)
      feed_to_strategy_->record(static_cast<uint64_t>(read.ns - event.recv_ts.ns));
  }
  // The audit trail is written after every intent of the event is on its way: formatting the
  // text must not delay a group's later legs.
  if (ops_ != nullptr) {
    for (size_t i = 0; i < std::min<size_t>(event_intents_, event_intent_log_.size()); ++i)
      audit_decision(event_intent_log_[i], now);
  }
  for (size_t i = 0; i < event_opportunity_count_; ++i) {
    event_opportunities_[i].acted = event_intents_ > 0 ? 1 : 0;
    push_ops(OpsEvent::of(event_opportunities_[i]));
  }
  if (engine_.counters().groups_refused != groups_refused_seen_) audit_refusals(first_intent, now);
  if (event.instrument.value < dirty_flag_.size()) mark_dirty(event.instrument);
}

void StrategyStage::audit_decision(const OrderIntent& intent, WallNanos now) noexcept {
  AuditRecord audit;
  audit.kind = AuditKind::decision;
  audit.strategy = intent.strategy;
  audit.instrument = intent.instrument;
  audit.intent_id = intent.intent_id;
  audit.amount = notional(intent.limit_price, intent.qty);
  audit.ts = now;
  const std::string_view tif = to_string(intent.tif);
  std::snprintf(audit.reason, sizeof audit.reason, "%s %s %.*s %lld units @ %d ticks, EV %lld micros",
                intent.side == Side::buy ? "buy" : "sell", intent.outcome == Outcome::yes ? "yes" : "no",
                static_cast<int>(tif.size()), tif.data(), static_cast<long long>(intent.qty.units),
                intent.limit_price.ticks, static_cast<long long>(intent.expected_value.micros));
  push_ops(OpsEvent::of(audit));
}

void StrategyStage::on_opportunity(const Opportunity& opportunity) noexcept {
  ++counters_.opportunities;
  ++opportunities_today_;
  if (shm_ != nullptr) shm_->append_opportunity(to_opportunity_row(opportunity, 0.0));
  if (event_opportunity_count_ == event_opportunities_.size()) return;
  OpportunityRecord& record = event_opportunities_[event_opportunity_count_++];
  record = OpportunityRecord{};
  record.strategy = opportunity.strategy;
  record.leg_count =
      static_cast<uint8_t>(std::min<size_t>(opportunity.leg_count, OpportunityRecord::kMaxLegs));
  for (size_t i = 0; i < record.leg_count; ++i) {
    record.instruments[i] = opportunity.legs[i].instrument;
    record.outcomes[i] = opportunity.legs[i].outcome;
    record.prices[i] = opportunity.legs[i].limit_price;
  }
  record.expected_value = opportunity.expected_value;
  record.size = opportunity.size;
  record.ts = opportunity.detected_at;
}

// Risk refused a group: one audit record per refusal reason whose count moved.
void StrategyStage::audit_refusals(const OrderIntent* first_intent, WallNanos now) noexcept {
  counters_.refusals += engine_.counters().groups_refused - groups_refused_seen_;
  groups_refused_seen_ = engine_.counters().groups_refused;
  for (int r = 1; r < kRiskRefusalCount && r < static_cast<int>(refusals_seen_.size()); ++r) {
    const auto reason = static_cast<RiskRefusal>(r);
    const uint64_t count = engine_.refusals(reason);
    if (count == refusals_seen_[static_cast<size_t>(r)]) continue;
    refusals_seen_[static_cast<size_t>(r)] = count;
    AuditRecord audit;
    audit.kind = AuditKind::refusal;
    audit.code = static_cast<uint16_t>(r);
    audit.ts = now;
    if (event_opportunity_count_ > 0) {
      audit.strategy = event_opportunities_[0].strategy;
      audit.instrument = event_opportunities_[0].instruments[0];
    }
    if (first_intent != nullptr) audit.intent_id = first_intent->intent_id;
    copy_text(audit.reason, to_string(reason));
    push_ops(OpsEvent::of(audit));
  }
}

void StrategyStage::send_intent(const OrderIntent& intent, WallNanos now) noexcept {
  if (backlog_count_ == 0 && rings_.intents.try_push(intent)) {
    ++counters_.intents;
    return;
  }
  if (backlog_count_ == backlog_.size()) {
    // Never reached from drain_feed (it keeps room for a group); only a halt with more open
    // positions than the backlog holds. The engine must not keep the intent resting in risk.
    ++counters_.intents_lost;
    if ((intent.flags & kIntentCancelAll) == 0) {
      engine_.on_exec_report(risk_rejection(intent, now), now);
    }
    return;
  }
  backlog_[(backlog_head_ + backlog_count_++) % backlog_.size()] = intent;
  counters_.intent_backlog_high = std::max<uint64_t>(counters_.intent_backlog_high, backlog_count_);
}

bool StrategyStage::flush_backlog(WallNanos) noexcept {
  bool moved = false;
  while (backlog_count_ > 0 && rings_.intents.try_push(backlog_[backlog_head_])) {
    backlog_head_ = (backlog_head_ + 1) % backlog_.size();
    --backlog_count_;
    ++counters_.intents;
    moved = true;
  }
  return moved;
}

// ---- ops schedule ---------------------------------------------------------------------------

void StrategyStage::sample_prices(WallNanos now) noexcept {
  if (options_.price_sample_interval_ns <= 0) return;
  if (sample_cursor_ == kNoSlot) {
    if (now.ns < next_sample_wall_) return;
    next_sample_wall_ = now.ns + options_.price_sample_interval_ns;
    sample_cursor_ = 0;
  }
  const BookSet& books = engine_.books();
  const auto count = static_cast<uint32_t>(books.size());
  size_t sent = 0;
  for (; sample_cursor_ < count && sent < options_.price_samples_per_round; ++sample_cursor_) {
    const InstrumentId id{sample_cursor_};
    if (!books.has(id) || books.stale(id)) continue;
    const Level bid = books.best_bid(id);
    const Level ask = books.best_ask(id);
    if (!bid.valid() && !ask.valid()) continue;
    PriceSampleRecord sample;
    sample.instrument = id;
    sample.bid = bid.valid() ? bid.price : Price{};
    sample.ask = ask.valid() ? ask.price : Price{};
    sample.bid_size = bid.qty;
    sample.ask_size = ask.qty;
    const FairValue fair = engine_.fair_values().estimate(id);
    sample.fair_value = fair.samples > 0 ? probability_price(fair.value) : Price{};
    sample.ts = now;
    ++sent;
    ++counters_.price_samples;
    push_ops(OpsEvent::of(sample));
  }
  if (sample_cursor_ >= count) sample_cursor_ = kNoSlot;
}

void StrategyStage::maybe_daily_snapshot(WallNanos now) noexcept {
  const int64_t day = floor_div(now.ns, kNanosPerDay);
  if (day != stats_day_) {  // a new UTC day: today's counts start over
    if (stats_day_ != INT64_MIN) fills_today_ = wins_today_ = losses_today_ = opportunities_today_ = 0;
    stats_day_ = day;
    worst_drawdown_today_ = Money{};
  }
  worst_drawdown_today_ = std::max(worst_drawdown_today_, engine_.portfolio().drawdown());
  if (options_.daily_snapshot_hour_utc < 0) return;
  const bool past_hour = now.ns - day * kNanosPerDay >= options_.daily_snapshot_hour_utc * kNanosPerHour;
  if (snapshot_day_ == INT64_MIN) {  // start-up: the snapshot of a day whose hour has passed is not due
    snapshot_day_ = past_hour ? day : day - 1;
    return;
  }
  if (past_hour && day > snapshot_day_) write_daily_snapshot(now);
}

void StrategyStage::write_daily_snapshot(WallNanos now) noexcept {
  const Portfolio& portfolio = engine_.portfolio();
  const int64_t day = floor_div(now.ns, kNanosPerDay);
  DailySnapshotRecord snapshot;
  snapshot.date_yyyymmdd = yyyymmdd(day);
  snapshot.open_positions = portfolio.position_count();
  snapshot.equity = portfolio.equity();
  snapshot.cash = portfolio.cash();
  snapshot.realized_pnl = portfolio.realized_today();
  snapshot.unrealized_pnl = portfolio.unrealized_pnl();
  snapshot.fees = portfolio.fees_today();
  snapshot.max_drawdown = std::max(worst_drawdown_today_, portfolio.drawdown());
  snapshot.trades = fills_today_;
  snapshot.wins = wins_today_;
  snapshot.losses = losses_today_;
  snapshot.opportunities = opportunities_today_;
  snapshot.ts = now;
  snapshot_day_ = day;
  ++counters_.daily_snapshots;
  push_ops(OpsEvent::of(snapshot));
}

bool StrategyStage::push_ops(const OpsEvent& event) noexcept {
  if (ops_ == nullptr) return false;
  if (ops_->try_push(*producer_, event)) return true;
  ++counters_.ops_dropped;
  return false;
}

void StrategyStage::alert(AuditKind kind, uint16_t code, std::string_view reason, WallNanos now) noexcept {
  AuditRecord audit;
  audit.kind = kind;
  audit.code = code;
  audit.ts = now;
  copy_text(audit.reason, reason);
  push_ops(OpsEvent::of(audit));
}

// ---- shared memory --------------------------------------------------------------------------

void StrategyStage::mark_dirty(InstrumentId id) noexcept {
  if (dirty_flag_[id.value] != 0) return;
  dirty_flag_[id.value] = 1;
  dirty_list_.push_back(id.value);  // capacity = instrument count: never reallocates
}

void StrategyStage::publish_status() noexcept {
  if (shm_ != nullptr) shm_->publish_status(control_.status);
}

void StrategyStage::publish(WallNanos now, MonoNanos mono) noexcept {
  ++counters_.publishes;
  shm_->heartbeat(options_.clock().ns);
  const StrategyEngineCounters& engine = engine_.counters();
  const uint64_t values[] = {
      counters_.events,    counters_.intents,  counters_.opportunities, counters_.refusals,
      counters_.reports,   counters_.fills,    counters_.mirror_full,   counters_.intents_lost,
      counters_.halts,     counters_.commands, counters_.price_samples, counters_.ops_dropped,
      engine.book_changes, engine.stale_books, engine.decisions,        engine.exits};
  static_assert(std::size(values) == std::size(kCounterNames), "one value per registered counter");
  for (size_t i = 0; i < shm_counters_.size(); ++i)
    shm_counters_[i].set(values[i]);

  const BookSet& books = engine_.books();
  const uint32_t max_instruments = shm_->geometry().max_instruments;
  for (const uint32_t i : dirty_list_) {
    dirty_flag_[i] = 0;
    const InstrumentId id{i};
    if (i >= max_instruments || !books.has(id)) continue;
    const Level bid = books.best_bid(id);
    const Level ask = books.best_ask(id);
    shm::BookTop top;
    top.bid_ticks = bid.valid() ? bid.price.ticks : 0;
    top.bid_size = bid.valid() ? bid.qty.units : 0;
    top.ask_ticks = ask.valid() ? ask.price.ticks : 0;
    top.ask_size = ask.valid() ? ask.qty.units : 0;
    const FairValue fair = engine_.fair_values().estimate(id);
    top.fair_value = fair.samples > 0 ? fair.value : 0.0;
    top.updated_ns = mono.ns;
    top.flags = (books.stale(id) ? shm::kBookStale : 0u) |
                (bid.valid() && ask.valid() && bid.price >= ask.price ? shm::kBookCrossed : 0u);
    shm_->publish_top(i, top);
  }
  dirty_list_.clear();

  const Portfolio& portfolio = engine_.portfolio();
  for (uint32_t slot = 0; slot < held_.size(); ++slot) {
    const InstrumentId id{held_[slot]};
    Outcome outcome = Outcome::yes;
    if (!portfolio.position(id, Outcome::yes).is_open() && portfolio.position(id, Outcome::no).is_open())
      outcome = Outcome::no;
    const Position& position = portfolio.position(id, outcome);
    shm::PositionRow row;
    row.instrument = id.value;
    row.venue = static_cast<uint8_t>(books.has(id) ? books.venue(id) : Venue::kalshi);
    row.outcome = static_cast<uint8_t>(outcome);
    row.quantity = position.qty.units;
    row.avg_price_ticks = position.average_price().ticks;
    row.realized_micros = position.realized_pnl.micros;
    row.unrealized_micros = portfolio.unrealized_pnl(id, outcome, MarkKind::mid).micros;
    row.fees_micros = position.fees_paid.micros;
    shm_->publish_position(slot, row);
  }

  shm::AccountRow account;
  account.capital_micros = portfolio.equity().micros;
  account.realized_micros = portfolio.realized_pnl().micros;
  account.unrealized_micros = portfolio.unrealized_pnl().micros;
  account.peak_micros = portfolio.peak_equity().micros;
  account.daily_pnl_micros = portfolio.pnl_today().micros;
  account.fees_micros = portfolio.fees_paid().micros;
  account.drawdown_pct = portfolio.drawdown_pct();
  account.open_positions = static_cast<uint32_t>(std::max(portfolio.position_count(), 0));
  account.trades_today = static_cast<uint32_t>(fills_today_);
  shm_->publish_account(account);

  const CircuitBreakers& breakers = engine_.breakers();
  shm::RiskRow risk;
  risk.breakers = control_.status.halted != 0 ? shm::kBreakerKillSwitch : 0u;
  if (breakers.drawdown().tripped()) risk.breakers |= shm::kBreakerDrawdown;
  if (breakers.daily_loss().tripped()) risk.breakers |= shm::kBreakerDailyLoss;
  if (breakers.loss_streak().tripped()) risk.breakers |= shm::kBreakerLossStreak;
  for (const Venue venue : {Venue::kalshi, Venue::polymarket}) {
    if (breakers.api_error_rate(venue).tripped()) risk.breakers |= shm::kBreakerApiErrors;
    if (breakers.stale_feed(venue).tripped()) risk.breakers |= shm::kBreakerStaleFeed;
    if (breakers.disconnected(venue).tripped()) risk.breakers |= shm::kBreakerDisconnect;
  }
  risk.consecutive_losses = static_cast<uint32_t>(std::max(breakers.consecutive_losses(), 0));
  risk.open_orders = static_cast<uint32_t>(engine_.risk().open_orders().size());
  risk.exposure_micros = portfolio.open_exposure().micros;
  risk.daily_loss_micros = std::min<int64_t>(portfolio.pnl_today().micros, 0);
  shm_->publish_risk(risk);
  (void)now;
}

}  // namespace pmx
