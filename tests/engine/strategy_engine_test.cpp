#include "pmx/engine/strategy_engine.h"

#include <cmath>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "pmx/model/fees.h"
#include "pmx/model/kelly.h"

#include "engine_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;
using test::kHour;
using test::kMilli;
using test::kNoon;
using test::kSecond;
using test::Recorder;

// G     a Kalshi market closing in 6 hours (grinding)
// B0-2  a mutually exclusive Kalshi event (bundle), a week out
// V     a Kalshi market a week out (exits)
class StrategyEngineTest : public ::testing::Test {
 protected:
  StrategyEngineTest() {
    grind_ = universe_.add_market(test::kalshi_market("G", "GE", WallNanos{kNoon.ns + 6 * kHour}));
    EventInfo event{Venue::kalshi, "BUN", "bundle", true, {}};
    for (int i = 0; i < 3; ++i) {
      bundle_[i] = universe_.add_market(
          test::kalshi_market("B" + std::to_string(i), "BUN", WallNanos{kNoon.ns + 168 * kHour}));
      event.members.push_back(bundle_[i]);
    }
    universe_.add_event(event);
    volatile_ = universe_.add_market(test::kalshi_market("V", "VE", WallNanos{kNoon.ns + 168 * kHour}));
  }

  StrategyEngine& make_engine(StrategyEngineOptions options = {}) {
    engine_ = std::make_unique<StrategyEngine>(universe_, config_, nullptr, options);
    engine_->on_feed_connected(Venue::kalshi, now_);
    engine_->on_feed_connected(Venue::polymarket, now_);
    return *engine_;
  }

  WallNanos tick() { return now_ = WallNanos{now_.ns + kMilli}; }

  // Three legs whose YES asks (NO bids at 1 - ask) sum to 0.90: a bundle below $1.
  void cheap_bundle() {
    for (int i = 0; i < 3; ++i)
      test::kalshi_snapshot(*engine_, bundle_[i], {{0.25, 1000}}, {{0.70, 1000}}, tick(), out_);
  }

  // Warms G's fair value up near 0.999 (big YES bid, tiny ask at 0.999), then a 2,000-contract
  // YES ask at 0.96 appears (a NO bid at 0.04): the filter lags the book, so fair value stays
  // above both the 6-hour threshold (97.5%) and the ask plus fee.
  void grinding_setup() {
    const size_t before = out_.opportunities.size();
    test::kalshi_snapshot(*engine_, grind_, {{0.99, 10000}}, {{0.001, 10}}, tick(), out_);
    for (int i = 0; i < 40; ++i) {  // the filter converges on the book
      test::kalshi_delta(*engine_, grind_, Outcome::yes, 0.98, 1, tick(), out_);
    }
    ASSERT_EQ(out_.opportunities.size(), before) << "no edge while the ask is 0.999";
    test::kalshi_delta(*engine_, grind_, Outcome::no, 0.04, 2000, tick(), out_);
  }

  Config config_;
  MarketUniverse universe_;
  InstrumentId grind_{};
  std::array<InstrumentId, 3> bundle_{};
  InstrumentId volatile_{};
  std::unique_ptr<StrategyEngine> engine_;
  WallNanos now_ = kNoon;
  Recorder out_;
};

TEST_F(StrategyEngineTest, GrindingNearExpiryProducesOneKellySizedIntent) {
  StrategyEngine& engine = make_engine();
  grinding_setup();

  ASSERT_EQ(out_.opportunities.size(), 1U);
  const Opportunity& opportunity = out_.opportunities[0];
  EXPECT_EQ(opportunity.strategy, StrategyKind::grinding);
  // The detector's walk takes the 0.999 level too (the whole walk still clears the minimum EV).
  EXPECT_EQ(opportunity.size, contracts(2010));
  EXPECT_EQ(opportunity.legs[0].limit_price, dollars(0.999));
  EXPECT_GT(opportunity.probability, 0.975);

  ASSERT_EQ(out_.intents.size(), 1U);
  const OrderIntent& intent = out_.intents[0];
  EXPECT_EQ(intent.instrument, grind_);
  EXPECT_EQ(intent.side, Side::buy);
  EXPECT_EQ(intent.outcome, Outcome::yes);
  EXPECT_EQ(intent.strategy, StrategyKind::grinding);
  EXPECT_EQ(intent.limit_price, dollars(0.96));
  EXPECT_EQ(intent.decision_price, dollars(0.96));
  EXPECT_EQ(intent.decision_ts, now_);
  EXPECT_EQ(intent.group_id, 0U);
  EXPECT_EQ(intent.leg_count, 1);

  // Kelly at the walk's average price (a little above 0.96). Half Kelly is far above max_trade_fraction, so
  // the stake is 5% of $10,000; the order takes only the 0.96 level, and its cost plus fee
  // there fits in $500.
  KellyInputs in;
  in.win_probability = opportunity.probability;
  in.price = opportunity.legs[0].average_price;
  in.capital = Money::dollars(10'000);
  in.qty_step = Qty::from_units(10'000);
  const KellySize expected = kelly_size(in, config_.kelly);
  ASSERT_EQ(expected.reason, KellyReason::ok);
  EXPECT_TRUE(expected.capped);
  EXPECT_EQ(intent.qty, expected.qty);
  const Money fee = kalshi_fee(dollars(0.96), intent.qty, Liquidity::taker, FeeParams{});
  EXPECT_LE(notional(dollars(0.96), intent.qty) + fee, Money::dollars(500));
  EXPECT_LT(intent.qty, opportunity.size);
  // EV = p x qty - cost - fee, exactly.
  const auto payout =
      static_cast<int64_t>(std::floor(opportunity.probability * static_cast<double>(intent.qty.units)));
  EXPECT_EQ(intent.expected_value, Money{payout} - notional(dollars(0.96), intent.qty) - fee);
  EXPECT_EQ(engine.counters().intents, 1U);
}

TEST_F(StrategyEngineTest, GrindingUsesTheRecoveryFractionInADrawdown) {
  config_.kelly.max_trade_fraction = 0.5;  // so the multiplier, not the cap, sets the size
  config_.risk.max_order_notional = Money::dollars(100'000);
  config_.risk.max_position_pct = 100.0;
  config_.risk.max_total_exposure_pct = 100.0;
  config_.risk.max_correlated_exposure_pct = 100.0;
  config_.risk.daily_loss_limit_pct = 50.0;  // the 6% loss below must not halt trading
  StrategyEngine& engine = make_engine();
  // A 6% drawdown: buy 1,000 V YES at $0.80, then mark it at $0.20 ($600 lost of $10,000).
  test::kalshi_snapshot(engine, volatile_, {{0.19, 10}}, {{0.79, 10}}, tick(), out_);
  OrderIntent bought;
  bought.intent_id = 999;
  bought.instrument = volatile_;
  bought.qty = contracts(1000);
  engine.on_exec_report(test::fill_of(bought, dollars(0.80)), tick());
  test::kalshi_delta(engine, volatile_, Outcome::yes, 0.19, 1, tick(), out_);
  ASSERT_TRUE(engine.portfolio().drawdown_at_least(config_.kelly.recovery_drawdown_pct));

  grinding_setup();
  ASSERT_EQ(out_.intents.size(), 1U);
  KellyInputs in;
  in.win_probability = out_.opportunities.back().probability;
  in.price = out_.opportunities.back().legs[0].average_price;
  in.capital = engine.risk().capital();
  in.qty_step = Qty::from_units(10'000);
  in.drawdown_pct = config_.kelly.recovery_drawdown_pct;
  const KellySize recovery = kelly_size(in, config_.kelly);
  ASSERT_EQ(recovery.reason, KellyReason::ok);
  EXPECT_FALSE(recovery.capped);
  EXPECT_EQ(out_.intents[0].qty, recovery.qty);
}

TEST_F(StrategyEngineTest, BundleBelowOneDollarProducesOneFillOrKillLegPerOutcomeInOneGroup) {
  StrategyEngineOptions options;
  options.first_intent_id = 5000;
  StrategyEngine& engine = make_engine(options);
  cheap_bundle();

  ASSERT_EQ(out_.opportunities.size(), 1U);
  EXPECT_EQ(out_.opportunities[0].strategy, StrategyKind::bundle_arb);
  ASSERT_EQ(out_.intents.size(), 3U);
  std::set<uint32_t> instruments;
  Money ev{};
  for (size_t i = 0; i < 3; ++i) {
    const OrderIntent& leg = out_.intents[i];
    EXPECT_EQ(leg.intent_id, 5000U + i);
    EXPECT_EQ(leg.group_id, 5000U);
    EXPECT_EQ(leg.leg_count, 3);
    EXPECT_EQ(leg.tif, TimeInForce::fok);
    EXPECT_NE(leg.flags & kIntentArbitrageLeg, 0);
    EXPECT_EQ(leg.side, Side::buy);
    EXPECT_EQ(leg.outcome, Outcome::yes);
    EXPECT_EQ(leg.limit_price, dollars(0.30));
    EXPECT_EQ(leg.qty, out_.intents[0].qty);
    EXPECT_GT(leg.expected_value.micros, 0);
    instruments.insert(leg.instrument.value);
    ev = ev + leg.expected_value;
  }
  EXPECT_EQ(instruments, (std::set<uint32_t>{bundle_[0].value, bundle_[1].value, bundle_[2].value}));
  EXPECT_EQ(engine.next_intent_id(), 5003U);
  // Stake: 5% of $10,000 at the set's cost plus fees; the legs' EVs sum to the set's.
  const Qty sets = out_.intents[0].qty;
  const Money fee = kalshi_fee(dollars(0.30), sets, Liquidity::taker, FeeParams{});
  const Money set_cost = Money{3 * notional(dollars(0.30), sets).micros + 3 * fee.micros};
  EXPECT_LE(set_cost, Money::dollars(500) + Money::dollars(1));  // within a cent's fee rounding per leg
  EXPECT_EQ(ev, Money{sets.units} - set_cost);
  EXPECT_LT(sets, contracts(1000));
}

TEST_F(StrategyEngineTest, BundleDisabledInTheConfigIsNeverDetected) {
  config_.arbitrage.bundle_enabled = false;
  StrategyEngine& engine = make_engine();
  cheap_bundle();

  EXPECT_TRUE(out_.opportunities.empty());
  EXPECT_TRUE(out_.intents.empty());
  EXPECT_EQ(engine.counters().opportunities_by_strategy[static_cast<size_t>(StrategyKind::bundle_arb)], 0U);
}

TEST_F(StrategyEngineTest, MinProfitPerSetFromTheConfigRefusesAThinnerSet) {
  // The cheap bundle costs $0.90 a set before fees: a $0.15 minimum profit leaves no edge.
  config_.arbitrage.min_profit_per_set = Money::from_micros(150'000);
  make_engine();
  cheap_bundle();

  EXPECT_TRUE(out_.opportunities.empty());
  EXPECT_TRUE(out_.intents.empty());
}

TEST_F(StrategyEngineTest, KillSwitchBlocksEveryIntent) {
  StrategyEngine& engine = make_engine();
  engine.set_kill_switch(true);
  cheap_bundle();
  grinding_setup();

  EXPECT_EQ(out_.opportunities.size(), 2U);  // detection goes on; nothing is sent
  EXPECT_TRUE(out_.intents.empty());
  EXPECT_EQ(engine.refusals(RiskRefusal::kill_switch), 2U);
  EXPECT_EQ(engine.counters().groups_refused, 2U);
  EXPECT_EQ(engine.risk().open_orders().size(), 0U);
}

TEST_F(StrategyEngineTest, RuntimeBaseThresholdAboveTheFairValueStopsGrinding) {
  StrategyEngine& engine = make_engine();
  Config changed = config_;
  ASSERT_TRUE(set_config_key(changed, "grinding.base_threshold", "0.9995").ok());
  engine.apply_runtime_config(changed);
  grinding_setup();

  EXPECT_TRUE(out_.opportunities.empty()) << "the fair value (about 0.99) is below the new base threshold";
  EXPECT_TRUE(out_.intents.empty());
  EXPECT_EQ(engine.config().grinding.base_threshold, 0.9995);
}

TEST_F(StrategyEngineTest, RuntimeRiskLimitRefusesWhatTheOldOneAllowed) {
  StrategyEngine& engine = make_engine();
  Config changed = config_;
  ASSERT_TRUE(set_config_key(changed, "risk.max_order_notional", "1").ok());
  engine.apply_runtime_config(changed);
  grinding_setup();

  ASSERT_EQ(out_.intents.size(), 1U);
  EXPECT_LE(notional(out_.intents[0].limit_price, out_.intents[0].qty), Money::dollars(1))
      << "sized within the new $1 order cap";
}

TEST_F(StrategyEngineTest, RuntimeConfigIgnoresKeysThatNeedARestart) {
  StrategyEngine& engine = make_engine();
  Config changed = config_;
  changed.kalman.base_process_noise = config_.kalman.base_process_noise * 2;
  engine.apply_runtime_config(changed);
  EXPECT_EQ(engine.config().kalman.base_process_noise, config_.kalman.base_process_noise);
}

TEST_F(StrategyEngineTest, StaleBookProducesNothing) {
  StrategyEngine& engine = make_engine();
  for (int i = 0; i < 3; ++i)  // asks at 0.40: a set costs $1.20
    test::kalshi_snapshot(engine, bundle_[i], {{0.25, 1000}}, {{0.60, 1000}}, tick(), out_);
  test::mark_stale(engine, bundle_[0], tick(), out_);
  // Deltas that would make the set cheap: dropped on the stale book, and the other legs' bundle
  // includes the stale one.
  test::kalshi_delta(engine, bundle_[0], Outcome::no, 0.70, 1000, tick(), out_);
  test::kalshi_delta(engine, bundle_[1], Outcome::no, 0.70, 1000, tick(), out_);
  test::kalshi_delta(engine, bundle_[2], Outcome::no, 0.70, 1000, tick(), out_);

  EXPECT_TRUE(out_.opportunities.empty());
  EXPECT_TRUE(out_.intents.empty());
  EXPECT_TRUE(engine.breakers().sequence_gap(bundle_[0]).tripped());
  EXPECT_EQ(engine.counters().stale_books, 1U);
}

TEST_F(StrategyEngineTest, SnapshotAfterAGapRebuildsTheBookAndTradesAgain) {
  StrategyEngine& engine = make_engine();
  cheap_bundle();
  ASSERT_EQ(out_.intents.size(), 3U);
  test::mark_stale(engine, bundle_[0], tick(), out_);
  out_.clear();
  now_ = WallNanos{now_.ns + 120 * kSecond};  // past the trade cooldown and the throttle
  test::kalshi_snapshot(engine, bundle_[0], {{0.25, 1000}}, {{0.70, 1000}}, tick(), out_);

  EXPECT_FALSE(engine.breakers().sequence_gap(bundle_[0]).tripped());
  EXPECT_EQ(out_.opportunities.size(), 1U);
  EXPECT_EQ(out_.intents.size(), 3U);
}

TEST_F(StrategyEngineTest, ExecReportsUpdateThePortfolio) {
  StrategyEngine& engine = make_engine();
  cheap_bundle();
  ASSERT_EQ(out_.intents.size(), 3U);
  ASSERT_EQ(engine.risk().open_orders().size(), 3U);
  Money spent{};
  for (const OrderIntent& leg : out_.intents) {
    const Money fee = kalshi_fee(dollars(0.30), leg.qty, Liquidity::taker, FeeParams{});
    engine.on_exec_report(test::fill_of(leg, dollars(0.30), fee), tick());
    spent = spent + notional(dollars(0.30), leg.qty) + fee;
  }

  for (const OrderIntent& leg : out_.intents) {
    EXPECT_EQ(engine.portfolio().position(leg.instrument, Outcome::yes).qty, leg.qty);
  }
  EXPECT_EQ(engine.portfolio().cash(), Money::dollars(10'000) - spent);
  EXPECT_EQ(engine.portfolio().position_count(), 3);
  EXPECT_EQ(engine.risk().open_orders().size(), 0U);
  EXPECT_EQ(engine.risk().pending_exposure(), Money{});
}

TEST_F(StrategyEngineTest, RefusedLegReleasesTheLegsAlreadyAccepted) {
  StrategyEngine& engine = make_engine();
  // $900 already in B2: its leg would take the position past 10% of capital.
  OrderIntent held;
  held.intent_id = 77;
  held.instrument = bundle_[2];
  held.qty = contracts(3000);
  engine.on_exec_report(test::fill_of(held, dollars(0.30)), tick());
  cheap_bundle();

  EXPECT_EQ(out_.opportunities.size(), 1U);
  EXPECT_TRUE(out_.intents.empty());
  EXPECT_EQ(engine.refusals(RiskRefusal::position_size), 1U);
  EXPECT_EQ(engine.counters().groups_refused, 1U);
  EXPECT_EQ(engine.risk().open_orders().size(), 0U);
  EXPECT_EQ(engine.risk().pending_exposure(), Money{});
}

TEST_F(StrategyEngineTest, ThesisInvalidationSellsTheWholePositionAtTheBestBid) {
  config_.thesis_invalidation.min_samples = 20;
  config_.kalman.input = KalmanInput::mid;
  StrategyEngine& engine = make_engine();
  test::kalshi_snapshot(engine, volatile_, {{0.50, 100}}, {{0.48, 100}}, tick(), out_);
  OrderIntent bought;
  bought.intent_id = 42;
  bought.instrument = volatile_;
  bought.qty = contracts(100);
  engine.on_exec_report(test::fill_of(bought, dollars(0.50)), tick());
  for (int i = 0; i < 30; ++i) {  // the mid steps 0.51 <-> 0.515: a calm baseline
    test::kalshi_delta(engine, volatile_, Outcome::yes, 0.51, 10, tick(), out_);
    test::kalshi_delta(engine, volatile_, Outcome::yes, 0.51, -10, tick(), out_);
  }
  ASSERT_TRUE(out_.intents.empty());
  ASSERT_FALSE(engine.thesis_invalidated(volatile_));

  test::kalshi_delta(engine, volatile_, Outcome::yes, 0.30, 100, tick(), out_);   // below the best
  test::kalshi_delta(engine, volatile_, Outcome::yes, 0.50, -100, tick(), out_);  // the mid falls 0.10

  EXPECT_TRUE(engine.thesis_invalidated(volatile_));
  ASSERT_EQ(out_.intents.size(), 1U);
  const OrderIntent& exit = out_.intents[0];
  EXPECT_EQ(exit.strategy, StrategyKind::exit);
  EXPECT_EQ(exit.side, Side::sell);
  EXPECT_EQ(exit.outcome, Outcome::yes);
  EXPECT_EQ(exit.limit_price, dollars(0.30));
  EXPECT_EQ(exit.qty, contracts(100));
  EXPECT_EQ(exit.tif, TimeInForce::ioc);
  EXPECT_EQ(exit.flags, kIntentUrgent | kIntentReduceOnly);
  EXPECT_EQ(engine.counters().exits, 1U);

  // One exit at a time: none while it is live; flat after its fill, and the thesis is cleared.
  test::kalshi_delta(engine, volatile_, Outcome::yes, 0.30, 5, tick(), out_);
  EXPECT_EQ(out_.intents.size(), 1U);
  engine.on_exec_report(test::fill_of(exit, dollars(0.30)), tick());
  EXPECT_FALSE(engine.portfolio().position(volatile_, Outcome::yes).is_open());
  EXPECT_FALSE(engine.thesis_invalidated(volatile_));
}

TEST_F(StrategyEngineTest, ThrottleKeepsABusyBookFromRepeatingAnOpportunity) {
  StrategyEngine& engine = make_engine();
  cheap_bundle();
  ASSERT_EQ(out_.opportunities.size(), 1U);
  for (int i = 0; i < 10; ++i)
    test::kalshi_delta(engine, bundle_[0], Outcome::yes, 0.25, 1, tick(), out_);
  EXPECT_EQ(out_.opportunities.size(), 1U);
  EXPECT_EQ(engine.counters().throttled, 10U);

  now_ = WallNanos{now_.ns + 2 * kSecond};  // past the 1 s decision interval
  test::kalshi_delta(engine, bundle_[0], Outcome::yes, 0.25, 1, tick(), out_);
  EXPECT_EQ(out_.opportunities.size(), 2U);
  EXPECT_EQ(out_.intents.size(), 3U);  // risk's 60 s trade cooldown refuses the second group
  EXPECT_EQ(engine.refusals(RiskRefusal::trade_cooldown), 1U);
}

TEST_F(StrategyEngineTest, DisconnectedVenueBlocksIntents) {
  StrategyEngine& engine = make_engine();
  engine.on_feed_disconnected(Venue::kalshi, now_);
  cheap_bundle();
  EXPECT_TRUE(out_.intents.empty());
  EXPECT_EQ(engine.refusals(RiskRefusal::breaker_disconnected), 1U);
}

TEST_F(StrategyEngineTest, RejectsAZeroFirstIntentId) {
  StrategyEngineOptions options;
  options.first_intent_id = 0;
  EXPECT_THROW(StrategyEngine(universe_, config_, nullptr, options), std::invalid_argument);
}

}  // namespace
}  // namespace pmx
