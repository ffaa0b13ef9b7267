// The stages on two real threads, as pmx-engine runs them on a 2-core box: feed + strategy in one
// StageLoop, the gateway in another. Thousands of bundles are traded; no intent may be lost or
// answered twice. Run under TSan too (the binary carries moodycamel's suppressions).
#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/persist/ops_queue.h"

#include "pipeline_world.h"

namespace pmx {
namespace {

// Feeds one pre-built frame per round into the Kalshi feed (the feed thread's work), and once the
// frames are spent and every intent is answered, says so: it runs on the strategy's thread, so it
// may read the engine's state.
struct Feeder {
  test::PipelineWorld& world;
  const std::vector<std::string>& frames;
  std::atomic<bool>& finished;
  size_t next = 0;

  size_t poll() noexcept {
    if (next < frames.size()) {
      world.kalshi_feed.handle_frame(frames[next++], mono_now());
      return 1;
    }
    if (!finished.load(std::memory_order_relaxed) && world.engine.risk().open_orders().size() == 0 &&
        world.strategy.intent_backlog() == 0 && world.rings.reports.empty_approx() &&
        world.strategy.counters().events == world.kalshi_feed.counters().events)
      finished.store(true, std::memory_order_release);
    return 0;
  }
};

TEST(PipelineStress, TwoThreadsLoseAndDuplicateNoIntent) {
  constexpr int kBundles = 2'000;
  OpsQueue ops(1 << 17, 4);
  test::PipelineWorldOptions options;
  options.ops = &ops;
  test::PipelineWorld world(options);  // its own loop is not used: two loops below
  std::vector<std::string> frames;
  frames.push_back(test::BundleFrames::subscribed());
  for (int leg = 0; leg < 3; ++leg)
    frames.push_back(world.bundle.snapshot(leg));
  for (int i = 1; i < kBundles; ++i) {
    frames.push_back(world.bundle.b0_best_no_bid(false));
    frames.push_back(world.bundle.b0_best_no_bid(true));
  }

  std::atomic<bool> finished{false};
  std::atomic<bool> stop{false};
  Feeder feeder{world, frames, finished};
  StageLoop strategy_loop({.name = "pmx-t-strategy"});
  strategy_loop.add(feeder);
  strategy_loop.add(world.strategy);
  StageLoop gateway_loop({.name = "pmx-t-gateway"});
  gateway_loop.add(world.gateway_stage);
  std::thread strategy_thread([&] { EXPECT_TRUE(strategy_loop.run(stop).ok()); });
  std::thread gateway_thread([&] { EXPECT_TRUE(gateway_loop.run(stop).ok()); });
  while (!finished.load(std::memory_order_acquire))
    std::this_thread::yield();
  stop.store(true, std::memory_order_release);
  strategy_thread.join();
  gateway_thread.join();

  // How many bundles are traded depends on the interleaving (a withdrawal can reach the gateway's
  // books before the legs it did not cause, failing a leg and unwinding the rest): the counts must
  // agree across the rings whatever it was.
  const uint64_t intents = world.strategy.counters().intents;
  EXPECT_GT(intents, 0u);
  EXPECT_EQ(intents % 3, 0u) << "whole groups only";
  EXPECT_EQ(world.gateway_stage.counters().intents, intents);
  EXPECT_EQ(world.gateway_stage.counters().terminal, intents + world.gateway.counters().unwinds);
  EXPECT_EQ(world.strategy.counters().reports, world.gateway_stage.counters().reports);
  EXPECT_EQ(world.engine.risk().open_orders().size(), 0u);

  std::map<uint64_t, int> submitted, terminal;
  OpsEvent batch[512];
  for (size_t n; (n = ops.try_pop_bulk(batch, 512)) > 0;) {
    for (size_t i = 0; i < n; ++i) {
      if (batch[i].kind == OpsEventKind::order_submitted)
        ++submitted[batch[i].payload.order_submitted.intent.intent_id];
      if (batch[i].kind != OpsEventKind::exec_report) continue;
      const ExecReport& r = batch[i].payload.exec_report;
      if (is_terminal(r.type)) ++terminal[r.intent_id];
    }
  }
  EXPECT_EQ(ops.dropped_relaxed(), 0u);
  // Unwinds the gateway made are recorded too (under kGatewayIntentBit database ids), each before
  // it left; one rejected inside the gateway before any child left has a terminal report only.
  size_t gateway_made = 0;
  for (const auto& [intent, count] : submitted)
    gateway_made += (intent & kGatewayIntentBit) != 0 ? 1 : 0;
  EXPECT_EQ(submitted.size() - gateway_made, intents);
  EXPECT_EQ(gateway_made, world.gateway_stage.counters().gateway_orders);
  for (const auto& [intent, count] : submitted)
    EXPECT_EQ(terminal[intent], 1) << "every order sent has exactly one terminal report: " << intent;
  for (const auto& [intent, count] : terminal)
    if ((intent & kGatewayIntentBit) == 0) {
      EXPECT_EQ(submitted.count(intent), 1u) << intent;
    }
  for (const auto& [intent, count] : submitted)
    ASSERT_EQ(count, 1) << "intent " << intent << " sent twice";
}

}  // namespace
}  // namespace pmx
