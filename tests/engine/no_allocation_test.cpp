// After warm-up, the engine allocates nothing: market events (book changes, stale books,
// snapshots, trades), detection, sizing, risk checks, exec reports and settlements. The stream is
// generated before counting and the sinks write into fixed arrays, so every allocation counted
// is the engine's.
#include <array>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/engine/strategy_engine.h"

#include "../common/counting_allocator.h"
#include "engine_test_util.h"
#include "random_engine_world.h"

namespace pmx {
namespace {

TEST(EngineAllocation, DecidingAndAccountingAllocateNothingAfterWarmUp) {
  test::RandomEngineWorld world;
  Config config;
  config.risk.trade_cooldown_s = 0;
  config.risk.max_orders_per_minute = 100'000;
  config.risk.max_drawdown_pct = 100.0;
  config.risk.daily_loss_limit_pct = 100.0;
  config.risk.max_consecutive_losses = 1'000'000;
  config.thesis_invalidation.min_samples = 30;
  StrategyEngineOptions options;
  options.decision_interval_ns = 0;
  StrategyEngine engine(world.universe, config, &world.pairs, options);
  engine.on_feed_connected(Venue::kalshi, test::kNoon);
  engine.on_feed_connected(Venue::polymarket, test::kNoon);
  const std::vector<test::TimedEvent> warm = world.stream(21, 5'000, test::kNoon);
  const std::vector<test::TimedEvent> events = world.stream(22, 20'000, warm.back().now);

  std::array<OrderIntent, 64> batch{};
  size_t count = 0;
  uint64_t intents = 0;
  uint64_t opportunities = 0;
  uint64_t step = 0;
  const auto feed = [&](const test::TimedEvent& e) {
    count = 0;
    engine.on_market_event(
        e.event, e.now,
        [&](const OrderIntent& intent) {
          if (count < batch.size()) batch[count++] = intent;
        },
        [&](const Opportunity&) { ++opportunities; });
    for (size_t i = 0; i < count; ++i) {  // fill every other intent, cancel the rest
      ++intents;
      const bool fill = ++step % 2 == 0;
      engine.on_exec_report(fill ? test::fill_of(batch[i], batch[i].limit_price) : test::cancel_of(batch[i]),
                            e.now);
    }
    if (step % 97 == 0) (void)engine.on_settlement(e.event.instrument, Outcome::yes, e.now);
  };

  for (const test::TimedEvent& e : warm)
    feed(e);
  const uint64_t intents_before = intents;
  const uint64_t before = test::allocation_count();
  for (const test::TimedEvent& e : events)
    feed(e);
  const uint64_t after = test::allocation_count();

  EXPECT_EQ(after - before, 0U);
  EXPECT_GT(intents - intents_before, 50U) << "the measured run must decide and trade";
  EXPECT_GT(opportunities, 0U);
}

}  // namespace
}  // namespace pmx
