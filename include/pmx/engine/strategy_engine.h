// StrategyEngine: everything the strategy thread decides, composed. One object, owned by the
// strategy thread; single-threaded, noexcept and allocation-free after construction. Time is
// injected (`now`, the strategy clock: wall time live, simulated time in backtests); nothing here
// reads a clock, so a replay decides exactly what the live engine decided.
//
// Per market event (on_market_event):
//
//   every event        the venue's feed is alive (stale-feed breaker)
//   trade              its size joins the instrument's pending volume (the next volatility sample)
//   BookSet::apply  -> stale     sequence-gap breaker for the instrument: nothing trades on it
//                   -> snapshot  the breaker clears (book rebuilt); then as a level change
//                   -> level     on a non-stale book:
//     1. fair value    Kalman update with the book top's measurement (config kalman.input), hours
//                      to expiry from MarketInfo.close_time
//     2. volatility    one sample: change of that measurement since the last one, with the pending
//                      trade volume; an invalidation marks the instrument's thesis void
//     3. marks         the portfolio at the mid and at the fair value (held instruments only: a
//                      flat one adds nothing to equity; a fill marks its instrument at once)
//     4. exits         an open position of this instrument whose thesis is void (or whose
//                      ExitPolicy fires) -> one reduce-only, urgent IOC sell at the best bid
//     5. detectors     only those involving the instrument: grinding on it; the bundles, cross-
//                      venue pairs and monotonicity ladder containing it
//     6. each Opportunity goes to the opportunity sink, then is sized (grinding: Kelly with
//        p = fair value at the walk's average price; arbitrage: p = 1, so the stake is
//        kelly.max_trade_fraction x capital, bounded by the opportunity's size), re-priced exactly
//        at that size on the same books, turned into one OrderIntent per leg (limit: the worst
//        level the re-priced walk touches, which is the opportunity leg's limit when the size is
//        unchanged; decision price: its average), and every leg risk-checked. A group is all or
//        nothing: if one leg is refused, the legs already accepted are released from risk's
//        resting-order table and nothing is sent.
//
// Sizing rules (the caps are pre-trade risk's; sizing only avoids asking for what risk must refuse):
//   * recovery mode (kelly.recovery_fraction) once Portfolio::drawdown_at_least(recovery_drawdown_pct);
//   * a leg's limit x qty never above risk.max_order_notional;
//   * the re-priced expected value (net of every leg's fee at the final size) must stay positive,
//     or the opportunity is dropped (counted in sized_out).
//   * each leg of a group carries its share of the group's expected value, proportional to its
//     cost (so each is positive, as risk's fee-inversion check requires).
//
// Throttle: after an opportunity is emitted, the same decision (a grinding instrument, a bundle, a
// pair, a ladder rung) is not re-evaluated for `StrategyEngineOptions::decision_interval_ns`, so a
// busy book does not emit the same opportunity on every update. Risk's trade cooldown separately
// keeps the same market from being traded again within risk.trade_cooldown_s.
//
// Ids: intent ids come from a counter that starts at `first_intent_id` (the persisted high-water
// mark + 1); a group's id is its first leg's intent id. next_intent_id() is what to persist.
//
// Tick-to-trade: every intent carries the receive timestamp (recv_ts) of the market event whose
// handling produced it (OrderIntent::set_receive_ts); the gateway measures from it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pmx/book/book_set.h"
#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/engine/sink_ref.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/model/kalman_fair_value.h"
#include "pmx/model/volatility.h"
#include "pmx/risk/circuit_breakers.h"
#include "pmx/risk/correlation.h"
#include "pmx/risk/portfolio.h"
#include "pmx/risk/pre_trade_risk.h"
#include "pmx/strategy/bundle_arbitrage.h"
#include "pmx/strategy/cross_venue.h"
#include "pmx/strategy/cross_venue_mapping.h"
#include "pmx/strategy/exit_policy.h"
#include "pmx/strategy/grinding.h"
#include "pmx/strategy/monotonicity.h"
#include "pmx/strategy/opportunity.h"
#include "pmx/strategy/set_walk.h"

namespace pmx {

struct StrategyEngineOptions {
  uint64_t first_intent_id = 1;                  // > 0: the persisted high-water mark + 1
  int64_t decision_interval_ns = 1'000'000'000;  // per decision, after an emitted opportunity
  ExitPolicy exit_policy;                        // stop-loss / take-profit / timeout for every position
  PreTradeOptions pre_trade;
  CorrelationOptions correlation;
  CircuitBreakerOptions breakers;
  size_t grinding_max_levels = 32;
};

struct StrategyEngineCounters {
  uint64_t events = 0;                // every market event
  uint64_t book_changes = 0;          // level or snapshot applied to a book that is not stale
  uint64_t stale_books = 0;           // events that made a book stale (gap, tick change, ...)
  uint64_t decisions = 0;             // detector evaluations run
  uint64_t prefiltered = 0;           // arbitrage checks skipped: best prices alone leave no edge
  uint64_t throttled = 0;             // decisions skipped within decision_interval_ns
  uint64_t opportunities = 0;         // sent to the opportunity sink
  uint64_t sized_out = 0;             // opportunities with no positive size after sizing
  uint64_t groups_refused = 0;        // opportunities whose intents risk refused (any leg)
  uint64_t intents = 0;               // sent to the intent sink (exits included)
  uint64_t exits = 0;                 // exit intents sent
  uint64_t thesis_invalidations = 0;  // volatility samples that invalidated a thesis
  std::array<uint64_t, kStrategyKindCount> opportunities_by_strategy{};
};

class StrategyEngine {
 public:
  // Start-up: allocates every book, model, detector and risk table. Throws std::invalid_argument
  // for an unusable configuration. `cross_venue_pairs` (the accepted pairs of the mapping file)
  // may be null. The universe is copied from; it need not outlive the engine.
  StrategyEngine(const MarketUniverse& universe, const Config& config,
                 const std::vector<CrossVenuePair>* cross_venue_pairs = nullptr,
                 const StrategyEngineOptions& options = {});

  StrategyEngine(const StrategyEngine&) = delete;
  StrategyEngine& operator=(const StrategyEngine&) = delete;

  // One normalized event from a feed ring. `intents(const OrderIntent&)` and
  // `opportunities(const Opportunity&)` receive what the event caused, in order.
  template <typename IntentSink, typename OpportunitySink>
  void on_market_event(const MarketEvent& event, WallNanos now, IntentSink&& intents,
                       OpportunitySink&& opportunities) noexcept {
    handle(event, now, SinkRef<OrderIntent>(intents), SinkRef<Opportunity>(opportunities));
  }

  // Every execution report from the gateway (fills, acks, terminal answers), through risk.
  void on_exec_report(const ExecReport& report, WallNanos now) noexcept;
  // Start-up after a restart: a long position recovered from the database, entered as a buy of
  // `qty` at its average price (no fee: that was paid in the run that opened it), then given its
  // round trip so far (P&L net of fees, and fees, as the positions table kept them) so that its
  // position records carry on from them. An unknown instrument or qty <= 0 changes nothing.
  void restore_position(InstrumentId id, Outcome outcome, Qty qty, Price average_price, Money round_trip_pnl,
                        Money round_trip_fees, WallNanos now) noexcept;
  // The market resolved (YES pays $1 when `winner` is yes).
  SettlementEffect on_settlement(InstrumentId instrument, Outcome winner, WallNanos now) noexcept;

  // Feed connection state (the disconnected breaker blocks a venue until its first connect).
  void on_feed_connected(Venue venue, WallNanos now) noexcept { breakers_.on_connected(venue, now); }
  void on_feed_disconnected(Venue venue, WallNanos now) noexcept { breakers_.on_disconnected(venue, now); }

  void set_kill_switch(bool engaged) noexcept { risk_.set_kill_switch(engaged); }

  // A runtime change of the configuration (pmx-ctl set): takes the runtime sections of `config`
  // (is_runtime_key: risk, grinding, kelly, execution, thesis_invalidation, alerts) and applies
  // them to risk limits and breakers, the grinding detector, sizing and the volatility
  // thresholds; every other section is ignored (those keys need a restart). Control path only:
  // allocates; throws std::invalid_argument for an unusable grinding config, with nothing changed.
  // execution.* and alerts.on_* are kept here but act elsewhere (the gateway's routes, the alert
  // composer), which this does not reach.
  void apply_runtime_config(const Config& config);
  const Config& config() const noexcept { return config_; }
  bool kill_switch() const noexcept { return risk_.kill_switch(); }

  // The id the next intent will get: persist it as the high-water mark.
  uint64_t next_intent_id() const noexcept { return next_intent_id_; }

  const StrategyEngineCounters& counters() const noexcept { return counters_; }
  uint64_t refusals(RiskRefusal reason) const noexcept { return risk_.refusals(reason); }

  const BookSet& books() const noexcept { return books_; }
  const Portfolio& portfolio() const noexcept { return portfolio_; }
  const PreTradeRisk& risk() const noexcept { return risk_; }
  const CircuitBreakers& breakers() const noexcept { return breakers_; }
  const FairValueModels& fair_values() const noexcept { return fair_values_; }
  const VolatilityStats& volatility() const noexcept { return volatility_; }
  const BundleArbitrage& bundles() const noexcept { return bundles_; }
  const CrossVenueArbitrage& cross_venue() const noexcept { return cross_venue_; }
  const MonotonicityArbitrage& monotonicity() const noexcept { return monotonicity_; }
  const GrindingDetector& grinding() const noexcept { return grinding_; }
  // The fair value the strategies use: the instrument's own Kalman estimate, fused (volume-
  // weighted, pmx/model/kalman_fair_value.h fuse()) with the linked instrument's of a cross-venue
  // pair when there is one (a Polymarket NO token's partner estimate is 1 - the Kalshi YES one).
  // Volume: each instrument's traded volume over its volatility window (mean x samples), both in
  // contracts of a $1 payout, so the venue where the money trades dominates.
  FairValue fair_value(InstrumentId instrument) const noexcept;
  bool thesis_invalidated(InstrumentId instrument) const noexcept {
    return instrument.value < state_.size() && state_[instrument.value].thesis_invalid;
  }

 private:
  using IntentOut = SinkRef<OrderIntent>;
  using OpportunityOut = SinkRef<Opportunity>;

  struct InstrumentState {
    double last_measurement = 0.0;
    double pending_volume = 0.0;           // traded since the last volatility sample, in contracts
    int64_t grinding_after_ns = 0;         // throttle: grinding not re-evaluated before this
    int64_t ladder_after_ns = 0;           // throttle: monotonicity (this rung) not before this
    uint64_t exit_intent = 0;              // live exit order of this instrument (0: none)
    std::array<WallNanos, 2> opened_at{};  // by Outcome: when the position opened
    bool holding = false;                  // a YES or NO position is open (kept by refresh_holding)
    bool has_measurement = false;
    bool thesis_invalid = false;
    bool in_ladder = false;
    bool linked_flipped = false;  // the linked instrument prices the other outcome
    InstrumentId linked{};        // the other venue's instrument of a cross-venue pair (or invalid)
  };
  struct PairLegs {
    InstrumentId kalshi{};
    InstrumentId polymarket_yes{};
    InstrumentId polymarket_no{};
  };

  void handle(const MarketEvent& event, WallNanos now, IntentOut intents,
              OpportunityOut opportunities) noexcept;
  void on_book_change(InstrumentId id, WallNanos now, IntentOut intents,
                      OpportunityOut opportunities) noexcept;
  void update_models(InstrumentId id, WallNanos now) noexcept;
  void check_exits(InstrumentId id, WallNanos now, IntentOut intents) noexcept;
  // The portfolio's marks of `id` at the book's mid and the fair value.
  void mark(InstrumentId id, Level bid, Level ask, WallNanos now) noexcept;
  // After a fill or settlement: is a position open; a new holding is marked at once.
  void refresh_holding(InstrumentId id, WallNanos now) noexcept;
  void run_detectors(InstrumentId id, WallNanos now, IntentOut intents,
                     OpportunityOut opportunities) noexcept;
  bool bundle_may_have_edge(size_t bundle) const noexcept;
  bool pair_may_have_edge(size_t pair) const noexcept;
  // Opportunity found: publish, size, risk-check, send.
  void act(const Opportunity& opportunity, WallNanos now, IntentOut intents,
           OpportunityOut opportunities) noexcept;
  Qty size_grinding(const Opportunity& opportunity) noexcept;
  Qty size_arbitrage(const Opportunity& opportunity) noexcept;
  // A leg's exact cost and fee for `qty` on the current books; false if the book cannot fill it.
  struct LegPrice {
    Money cost{};
    Money fee{};
    Price average{};
    Price limit{};  // the worst level the walk touches
  };
  bool price_leg(const OpportunityLeg& leg, Qty qty, LegPrice& out) noexcept;
  // Every leg at `qty` (the detector's figures when qty is the opportunity's size).
  bool price_legs(const Opportunity& opportunity, Qty qty,
                  std::array<LegPrice, Opportunity::kMaxLegs>& priced) noexcept;
  void release(const OrderIntent& intent, WallNanos now) noexcept;
  bool in_recovery() const noexcept;
  static bool throttled(int64_t& after_ns, WallNanos now) noexcept { return now.ns < after_ns; }

  Config config_;
  StrategyEngineOptions options_;
  ArbitrageParams arbitrage_;        // config_.arbitrage as the detectors take it
  std::vector<MarketInfo> markets_;  // by InstrumentId (gaps: invalid id)
  BookSet books_;
  FairValueModels fair_values_;
  VolatilityStats volatility_;
  Portfolio portfolio_;
  CorrelationGroups groups_;
  CircuitBreakers breakers_;
  PreTradeRisk risk_;
  GrindingDetector grinding_;
  BundleArbitrage bundles_;
  CrossVenueArbitrage cross_venue_;
  MonotonicityArbitrage monotonicity_;

  std::vector<InstrumentState> state_;        // by InstrumentId
  std::vector<InstrumentId> bundle_members_;  // bundle b's legs at [bundle_first_[b], bundle_first_[b + 1])
  std::vector<uint32_t> bundle_first_;
  std::vector<int64_t> bundle_after_ns_;                      // throttle by bundle
  std::vector<PairLegs> pairs_;                               // as CrossVenueArbitrage resolved them
  std::vector<int64_t> pair_after_ns_;                        // throttle by pair
  std::vector<Level> scratch_;                                // one leg's levels, for re-pricing
  std::array<OrderIntent, Opportunity::kMaxLegs> pending_{};  // one group's intents before sending
  Opportunity found_{};
  MonoNanos current_receive_{};  // recv_ts of the event being handled: every intent it causes carries it
  uint64_t next_intent_id_;
  StrategyEngineCounters counters_;
};

}  // namespace pmx
