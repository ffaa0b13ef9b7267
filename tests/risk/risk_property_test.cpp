// Random intents, fills, cancels and marks (seeded): no accepted intent ever takes the portfolio
// past a cap, and the strategy-thread calls allocate nothing once built.
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/risk/pre_trade_risk.h"
#include "pmx/risk/risk_math.h"

#include "../common/counting_allocator.h"
#include "risk_test_util.h"

namespace pmx {
namespace {

using test::cents;
using test::kalshi_market;
using test::kNoon;
using test::kSecond;

constexpr uint32_t kMarkets = 12;

struct World {
  MarketUniverse universe;
  RiskConfig config;
  std::unique_ptr<Portfolio> portfolio;
  std::unique_ptr<CorrelationGroups> groups;
  std::unique_ptr<CircuitBreakers> breakers;
  std::unique_ptr<PreTradeRisk> risk;

  World() {
    for (uint32_t i = 0; i < kMarkets; ++i) {
      // Four events of three markets: correlation groups of three.
      universe.add_market(kalshi_market("M" + std::to_string(i), "E" + std::to_string(i / 3)));
    }
    config.max_order_notional = Money::dollars(400);
    config.max_position_pct = 8;
    config.max_total_exposure_pct = 30;
    config.max_correlated_exposure_pct = 12;
    config.max_concurrent_positions = 6;
    config.trade_cooldown_s = 1;
    config.max_orders_per_minute = 1'000;
    config.max_consecutive_losses = 1'000;
    config.daily_loss_limit_pct = 100;
    config.max_drawdown_pct = 100;
    portfolio = std::make_unique<Portfolio>(kMarkets, config.starting_capital, kNoon);
    groups = std::make_unique<CorrelationGroups>(universe);
    breakers = std::make_unique<CircuitBreakers>(config, kMarkets);
    breakers->on_connected(Venue::kalshi, kNoon);
    risk = std::make_unique<PreTradeRisk>(config, universe, *portfolio, *groups, *breakers);
  }
};

// Drives the world with random events; calls `after_accept(intent)` after each accepted intent.
template <typename AfterAccept>
void drive(World& w, uint64_t seed, int steps, std::vector<OrderIntent>& live, AfterAccept&& after_accept) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  WallNanos now = kNoon;
  uint64_t next_id = 1;
  for (int step = 0; step < steps; ++step) {
    now.ns += uniform(1, 400) * 1'000'000;  // 1-400 ms
    w.breakers->on_feed_message(Venue::kalshi, now);
    const InstrumentId id{static_cast<uint32_t>(uniform(0, kMarkets - 1))};
    const int64_t action = uniform(0, 99);
    if (action < 50) {
      OrderIntent intent;
      intent.intent_id = next_id++;
      intent.instrument = id;
      intent.side = uniform(0, 4) == 0 ? Side::sell : Side::buy;
      intent.outcome = uniform(0, 1) == 0 ? Outcome::yes : Outcome::no;
      intent.limit_price = cents(static_cast<int>(uniform(1, 99)));
      intent.qty = Qty::contracts(uniform(1, 1'500));
      intent.expected_value = Money{uniform(-1'000, 100'000)};
      if (w.risk->check(intent, now).accepted()) {
        after_accept(intent);
        if (live.size() < live.capacity()) live.push_back(intent);
      }
    } else if (action < 80 && !live.empty()) {
      // Fill (part of) or end a live order.
      const size_t k = static_cast<size_t>(uniform(0, static_cast<int64_t>(live.size()) - 1));
      OrderIntent& order = live[k];
      ExecReport r;
      r.intent_id = order.intent_id;
      r.instrument = order.instrument;
      r.side = order.side;
      r.outcome = order.outcome;
      r.fill_price = order.limit_price;
      const int64_t kind = uniform(0, 2);
      if (kind == 0) {
        r.type = ExecType::cancelled;
      } else {
        const Qty part = Qty::contracts(uniform(1, order.qty.units / Qty::kUnitsPerContract));
        r.fill_qty = part;
        r.fee = Money{uniform(0, 20'000)};
        order.qty = order.qty - part;
        r.type = order.qty.is_zero() ? ExecType::fill : ExecType::partial_fill;
      }
      w.risk->on_exec_report(r, now);
      if (is_terminal(r.type)) {
        live[k] = live.back();
        live.pop_back();
      }
    } else if (action < 97) {
      w.portfolio->mark(id, MarkKind::mid, cents(static_cast<int>(uniform(1, 99))), now);
    } else {
      w.risk->on_settlement(id, uniform(0, 1) == 0 ? Outcome::yes : Outcome::no, now);
    }
  }
}

TEST(RiskProperty, NoAcceptedIntentEverTakesThePortfolioPastACap) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    World w;
    std::vector<OrderIntent> live;
    live.reserve(512);
    int opening_accepts = 0;
    drive(w, seed, 20'000, live, [&](const OrderIntent& intent) {
      const RiskConfig& c = w.config;
      ASSERT_LE(notional(intent.limit_price, intent.qty), c.max_order_notional);
      const Position& p = w.portfolio->position(intent.instrument, intent.outcome);
      if (intent.side != Side::buy || p.qty.units < 0) return;  // only opening risk is capped
      ++opening_accepts;
      const Money capital = w.risk->capital();
      ASSERT_LE(w.portfolio->open_exposure() + w.risk->pending_exposure(),
                cap_of(capital, c.max_total_exposure_pct))
          << "seed " << seed;
      ASSERT_LE(p.exposure() + w.risk->pending_exposure(intent.instrument, intent.outcome),
                cap_of(capital, c.max_position_pct))
          << "seed " << seed;
      Money group_total = w.groups->exposure(w.groups->group_of(intent.instrument));
      for (uint32_t i = 0; i < kMarkets; ++i) {
        if (w.groups->group_of(InstrumentId{i}) != w.groups->group_of(intent.instrument)) continue;
        group_total = group_total + w.risk->pending_exposure(InstrumentId{i}, Outcome::yes) +
                      w.risk->pending_exposure(InstrumentId{i}, Outcome::no);
      }
      ASSERT_LE(group_total, w.groups->cap(capital, c.max_correlated_exposure_pct)) << "seed " << seed;
      int occupied = 0;
      for (uint32_t i = 0; i < kMarkets; ++i) {
        for (const Outcome o : {Outcome::yes, Outcome::no}) {
          const bool pending = w.risk->pending_exposure(InstrumentId{i}, o).micros > 0;
          occupied += (w.portfolio->position(InstrumentId{i}, o).is_open() || pending) ? 1 : 0;
        }
      }
      ASSERT_LE(occupied, c.max_concurrent_positions) << "seed " << seed;
    });
    EXPECT_GT(opening_accepts, 100) << "the run must exercise the caps, seed " << seed;
    EXPECT_GT(w.risk->refusals(RiskRefusal::total_exposure) + w.risk->refusals(RiskRefusal::position_size) +
                  w.risk->refusals(RiskRefusal::correlated_exposure),
              0U);
  }
}

TEST(RiskProperty, GroupExposureAlwaysEqualsTheSumOfItsPositions) {
  World w;
  std::vector<OrderIntent> live;
  live.reserve(512);
  drive(w, 99, 20'000, live, [](const OrderIntent&) {});
  std::vector<Money> expected(w.groups->group_count());
  for (uint32_t i = 0; i < kMarkets; ++i) {
    for (const Outcome o : {Outcome::yes, Outcome::no}) {
      Money& e = expected[w.groups->group_of(InstrumentId{i}).value];
      e = e + w.portfolio->position(InstrumentId{i}, o).exposure();
    }
  }
  for (uint32_t g = 0; g < expected.size(); ++g)
    EXPECT_EQ(w.groups->exposure(GroupId{g}), expected[g]);
}

TEST(RiskAllocation, ChecksReportsMarksAndSettlementsAllocateNothing) {
  World w;
  std::vector<OrderIntent> live;
  live.reserve(512);
  drive(w, 7, 2'000, live, [](const OrderIntent&) {});  // warm up
  const uint64_t before = test::allocation_count();
  drive(w, 8, 20'000, live, [](const OrderIntent&) {});
  EXPECT_EQ(test::allocation_count() - before, 0U);
  EXPECT_GT(w.risk->accepted(), 0U);
}

}  // namespace
}  // namespace pmx
