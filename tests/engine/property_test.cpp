// The gate: over random books, no Opportunity with a non-positive net expected value is
// ever emitted, and no intent ever takes the book of our orders and positions past a cap.
//
// The caps are re-derived here from the configuration, independently of PreTradeRisk: the test
// keeps its own ledger of resting buy orders (intent -> notional at the limit) and reads held
// exposure from the portfolio's positions. Intents are answered at random (filled at the limit,
// cancelled, or left resting for a while), and markets settle now and then, so exposure keeps
// moving through the caps.
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/engine/strategy_engine.h"
#include "pmx/model/fees.h"
#include "pmx/risk/correlation.h"

#include "engine_test_util.h"
#include "random_engine_world.h"

namespace pmx {
namespace {

using test::kNoon;

struct Resting {
  OrderIntent intent;
  Money pending;  // notional at the limit: what a buy adds once filled
};

class EngineProperty {
 public:
  EngineProperty(uint64_t seed, Config config)
      : config_(config),
        engine_(world_.universe, config, &world_.pairs, options()),
        groups_(world_.universe, CorrelationOptions{}, links()),
        rng_(seed ^ 0x9e3779b97f4a7c15ULL),
        seed_(seed) {
    engine_.on_feed_connected(Venue::kalshi, kNoon);
    engine_.on_feed_connected(Venue::polymarket, kNoon);
  }

  void run(int steps) {
    const std::vector<test::TimedEvent> events = world_.stream(seed_, steps, kNoon);
    for (const test::TimedEvent& e : events) {
      batch_.clear();
      engine_.on_market_event(
          e.event, e.now, [&](const OrderIntent& intent) { on_intent(intent, e.now); },
          [&](const Opportunity& opportunity) { on_opportunity(opportunity); });
      for (const OrderIntent& intent : batch_)
        answer(intent, e.now);
      if (!resting_.empty() && rng_() % 20 == 0) {  // an old resting order ends
        engine_.on_exec_report(test::cancel_of(resting_.begin()->second.intent), e.now);
        resting_.erase(resting_.begin());
      }
      if (rng_() % 400 == 0) settle_one(e.now);
    }
  }

  uint64_t intents = 0;
  uint64_t buys = 0;
  uint64_t exits = 0;
  std::set<StrategyKind> strategies;

 private:
  static StrategyEngineOptions options() {
    StrategyEngineOptions o;
    o.decision_interval_ns = 0;  // every update decides: the most intents to check
    o.first_intent_id = 1;
    return o;
  }
  std::vector<std::pair<InstrumentId, InstrumentId>> links() const {
    std::vector<std::pair<InstrumentId, InstrumentId>> l;
    for (const CrossVenuePair& p : world_.pairs) {
      const InstrumentId k = world_.universe.find(Venue::kalshi, p.kalshi_ticker);
      l.emplace_back(k, world_.universe.find(Venue::polymarket, p.polymarket_yes_token));
      l.emplace_back(k, world_.universe.find(Venue::polymarket, p.polymarket_no_token));
    }
    return l;
  }

  // pct % of `base`, floored to the micro-dollar; the percentages here are whole numbers.
  static Money cap(Money base, double pct) { return Money{base.micros * static_cast<int64_t>(pct) / 100}; }

  Money held_exposure(InstrumentId id, Outcome o) const {
    return engine_.portfolio().position(id, o).exposure();
  }

  void on_opportunity(const Opportunity& o) {
    strategies.insert(o.strategy);
    ASSERT_GT(o.expected_value.micros, 0) << "seed " << seed_;
    ASSERT_GT(o.size.units, 0);
    ASSERT_GE(o.leg_count, 1);
    Money cost{};
    Money fees{};
    for (size_t i = 0; i < o.leg_count; ++i) {
      ASSERT_EQ(o.legs[i].qty, o.size);
      cost = cost + o.legs[i].cost;
      fees = fees + o.legs[i].fee;
    }
    ASSERT_EQ(cost, o.total_cost);
    ASSERT_EQ(fees, o.total_fees);
    const Money payout =
        o.strategy == StrategyKind::grinding
            ? Money{static_cast<int64_t>(std::floor(o.probability * static_cast<double>(o.size.units)))}
            : Money{o.size.units};
    ASSERT_EQ(o.expected_value, payout - o.total_cost - o.total_fees) << "seed " << seed_;
  }

  void on_intent(const OrderIntent& intent, WallNanos now) {
    ++intents;
    batch_.push_back(intent);
    ASSERT_GT(intent.intent_id, last_id_);
    last_id_ = intent.intent_id;
    ASSERT_GT(intent.qty.units, 0);
    ASSERT_GT(intent.limit_price.ticks, 0);
    ASSERT_LT(intent.limit_price, Price::one_dollar());
    ASSERT_EQ(intent.decision_ts, now);
    const RiskConfig& risk = config_.risk;
    ASSERT_LE(notional(intent.limit_price, intent.qty), risk.max_order_notional) << "order notional";

    if (intent.side == Side::sell) {  // exits: reduce-only, never beyond the holding
      ++exits;
      ASSERT_EQ(intent.strategy, StrategyKind::exit);
      ASSERT_NE(intent.flags & kIntentReduceOnly, 0);
      ASSERT_LE(intent.qty, engine_.portfolio().position(intent.instrument, intent.outcome).qty);
      return;
    }
    ++buys;
    ASSERT_GT(intent.expected_value.micros, 0) << "fee inversion";
    const Money pending = notional(intent.limit_price, intent.qty);
    resting_[intent.intent_id] = Resting{intent, pending};

    // Every cap, with this intent's whole notional counted as pending.
    const Money equity = engine_.portfolio().equity(MarkKind::mid);
    const Money base = equity.micros > 0 ? equity : Money{};
    Money total = engine_.portfolio().open_exposure();
    Money slot = held_exposure(intent.instrument, intent.outcome);
    const GroupId group = groups_.group_of(intent.instrument);
    Money in_group{};
    for (const InstrumentId id : world_.all) {
      if (groups_.group_of(id) != group) continue;
      in_group = in_group + held_exposure(id, Outcome::yes) + held_exposure(id, Outcome::no);
    }
    std::set<std::pair<uint32_t, int>> new_slots;
    for (const auto& [id, r] : resting_) {
      total = total + r.pending;
      if (r.intent.instrument == intent.instrument && r.intent.outcome == intent.outcome)
        slot = slot + r.pending;
      if (groups_.group_of(r.intent.instrument) == group) in_group = in_group + r.pending;
      if (!engine_.portfolio().position(r.intent.instrument, r.intent.outcome).is_open())
        new_slots.emplace(r.intent.instrument.value, static_cast<int>(r.intent.outcome));
    }
    ASSERT_LE(total, cap(base, risk.max_total_exposure_pct)) << "total exposure, seed " << seed_;
    ASSERT_LE(slot, cap(base, risk.max_position_pct)) << "position size, seed " << seed_;
    ASSERT_LE(in_group, cap(base, risk.max_correlated_exposure_pct)) << "correlated exposure, seed " << seed_;
    ASSERT_LE(engine_.portfolio().position_count() + static_cast<int>(new_slots.size()),
              risk.max_concurrent_positions)
        << "concurrent positions, seed " << seed_;
  }

  // Fill at the limit (45%), cancel (35%) or leave resting (20%).
  void answer(const OrderIntent& intent, WallNanos now) {
    const uint64_t roll = rng_() % 100;
    if (roll < 45) {
      const MarketInfo& m = *world_.universe.market(intent.instrument);
      const Money fee = trading_fee(m.venue, intent.limit_price, intent.qty, Liquidity::taker, m.fees);
      engine_.on_exec_report(test::fill_of(intent, intent.limit_price, fee), now);
      resting_.erase(intent.intent_id);
    } else if (roll < 80) {
      engine_.on_exec_report(test::cancel_of(intent), now);
      resting_.erase(intent.intent_id);
    }
  }

  void settle_one(WallNanos now) {
    for (const InstrumentId id : world_.all) {
      if (!engine_.portfolio().position(id, Outcome::yes).is_open() &&
          !engine_.portfolio().position(id, Outcome::no).is_open())
        continue;
      (void)engine_.on_settlement(id, rng_() % 2 == 0 ? Outcome::yes : Outcome::no, now);
      return;
    }
  }

  test::RandomEngineWorld world_;
  Config config_;
  StrategyEngine engine_;
  CorrelationGroups groups_;
  std::mt19937_64 rng_;
  uint64_t seed_;
  uint64_t last_id_ = 0;
  std::vector<OrderIntent> batch_;
  std::map<uint64_t, Resting> resting_;
};

// Risk limits that let trading continue through a long random run (the P&L breakers have their
// own tests); the caps under test keep their shipped values.
Config property_config() {
  Config c;
  c.risk.trade_cooldown_s = 0;
  c.risk.max_orders_per_minute = 100'000;
  c.risk.max_drawdown_pct = 100.0;
  c.risk.daily_loss_limit_pct = 100.0;
  c.risk.max_consecutive_losses = 1'000'000;
  c.thesis_invalidation.min_samples = 30;
  return c;
}

TEST(EngineProperty, NoNegativeEdgeAndNoCapExceededOverRandomBooks) {
  uint64_t intents = 0;
  uint64_t exits = 0;
  std::set<StrategyKind> strategies;
  for (const uint64_t seed : {1ULL, 2ULL, 3ULL}) {
    EngineProperty property(seed, property_config());
    property.run(20'000);
    if (::testing::Test::HasFatalFailure()) return;
    intents += property.intents;
    exits += property.exits;
    strategies.insert(property.strategies.begin(), property.strategies.end());
  }
  // The run must have exercised what it claims to check.
  EXPECT_GT(intents, 200U);
  EXPECT_GT(exits, 0U);
  EXPECT_EQ(strategies, (std::set<StrategyKind>{StrategyKind::grinding, StrategyKind::bundle_arb,
                                                StrategyKind::cross_venue_arb, StrategyKind::monotonicity}));
}

TEST(EngineProperty, TightCapsAreNeverExceeded) {
  Config config = property_config();
  config.risk.max_position_pct = 2.0;
  config.risk.max_total_exposure_pct = 8.0;
  config.risk.max_correlated_exposure_pct = 4.0;
  config.risk.max_concurrent_positions = 4;
  config.risk.max_order_notional = Money::dollars(150);
  EngineProperty property(11, config);
  property.run(20'000);
  EXPECT_GT(property.buys, 20U);
}

}  // namespace
}  // namespace pmx
