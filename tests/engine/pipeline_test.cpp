// The engine's stages on one thread, deterministically: feed handle_frame -> rings -> StrategyStage
// -> GatewayStage<PaperExchange> -> reports back, over the real recordings and the synthetic bundle
// of pipeline_world.h.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/shm/segment.h"

#include "../common/scratch_dir.h"
#include "pipeline_world.h"

namespace pmx {
namespace {

using test::PipelineWorld;
using test::PipelineWorldOptions;

#define SKIP_WITHOUT_RECORDINGS() \
  if (!test::have_recordings()) GTEST_SKIP() << "no recordings under " PMX_SHARED_DATA_DIR "/venues"

std::vector<OpsEvent> drain(OpsQueue& ops) {
  std::vector<OpsEvent> out;
  OpsEvent batch[256];
  for (size_t n; (n = ops.try_pop_bulk(batch, 256)) > 0;)
    out.insert(out.end(), batch, batch + n);
  return out;
}

std::string instance_name() {
  static int calls = 0;
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return (std::string("t") + std::to_string(::getpid()) + "-" + std::to_string(++calls) + "-" + info->name())
      .substr(0, 48);
}

shm::Geometry small_geometry() {
  shm::Geometry g;
  g.max_instruments = 4096;  // the Polymarket recording alone has hundreds of tokens
  g.max_positions = 64;
  g.opportunity_capacity = 64;
  g.order_capacity = 64;
  g.tape_count = 2;
  g.tape_entries = 64;
  g.tape_bytes = 1 << 14;
  return g;
}

// A $300 buy of KXSWISSLEAGUE...-LUG YES at 0.50: that book has no YES ask (no NO bids), so the
// router works it as a resting limit order.
OrderIntent resting_order(const MarketUniverse& universe) {
  OrderIntent intent;
  intent.intent_id = 900'001;
  intent.instrument = universe.find(Venue::kalshi, "KXSWISSLEAGUEGAME-26SEP16LUGSTG-LUG");
  intent.venue = Venue::kalshi;
  intent.side = Side::buy;
  intent.outcome = Outcome::yes;
  intent.tif = TimeInForce::gtc;
  intent.limit_price = Price::from_ticks(5'000);
  intent.decision_price = intent.limit_price;
  intent.qty = Qty::contracts(600);
  intent.strategy = StrategyKind::manual;
  return intent;
}

uint64_t counter(const shm::StateReader& reader, std::string_view name) {
  for (size_t i = 0; i < shm::kMaxCounters; ++i) {
    const shm::CounterSlot& slot = reader.counters()[i];
    if (slot.registered.load(std::memory_order_acquire) == 0) continue;
    if (std::string_view(slot.name) == name) return slot.value.load(std::memory_order_relaxed);
  }
  ADD_FAILURE() << "no counter " << name;
  return 0;
}

TEST(Pipeline, RecordedFramesFlowThroughEveryStageIntoThePaperBooks) {
  SKIP_WITHOUT_RECORDINGS();
  PipelineWorld world;
  world.replay_recordings();
  world.settle();

  const uint64_t parsed = world.kalshi_feed.counters().events + world.polymarket_feed.counters().events;
  EXPECT_GT(parsed, 1'000u);
  EXPECT_EQ(world.strategy.counters().events, parsed);
  EXPECT_EQ(world.gateway_stage.counters().mirror_events, parsed) << "the mirror forwards every event";
  const InstrumentId senate = world.universe.find(Venue::kalshi, "SENATEOHS-26-D");
  ASSERT_TRUE(world.paper.books().has(senate));
  EXPECT_FALSE(world.paper.books().stale(senate));
  EXPECT_EQ(world.paper.books().best_bid(senate), world.engine.books().best_bid(senate));
  EXPECT_EQ(world.paper.books().best_ask(senate), world.engine.books().best_ask(senate));
  EXPECT_EQ(world.strategy.counters().intents, 0u) << "the recordings carry no edge";
}

TEST(Pipeline, BundleBelowOneDollarBecomesThreeIntentsEachEndingInOneTerminalReport) {
  PipelineWorld world;
  world.open_bundle();
  world.settle();

  EXPECT_EQ(world.strategy.counters().intents, 3u);
  EXPECT_EQ(world.gateway_stage.counters().intents, 3u);
  EXPECT_EQ(world.gateway_stage.counters().terminal, 3u);
  EXPECT_EQ(world.strategy.counters().reports, world.gateway_stage.counters().reports);
  EXPECT_EQ(world.engine.portfolio().position_count(), 3);
  EXPECT_EQ(world.engine.risk().open_orders().size(), 0u) << "every intent was answered";
}

TEST(Pipeline, EveryRestoredBundleIsTradedAgain) {
  PipelineWorld world;
  world.open_bundle();
  for (int i = 0; i < 5; ++i) {
    world.kalshi(world.bundle.b0_best_no_bid(false));
    world.kalshi(world.bundle.b0_best_no_bid(true));
  }
  world.settle();

  EXPECT_EQ(world.strategy.counters().intents, 18u);
  EXPECT_EQ(world.gateway_stage.counters().terminal, 18u);
  EXPECT_EQ(world.gateway_stage.tick_to_trade().stats().count, 18u) << "one tick-to-trade figure per order";
}

TEST(Pipeline, IntentCarriesTheReceiveTimestampOfTheFrameThatCausedIt) {
  PipelineWorld world;
  world.kalshi_feed.handle_frame(test::BundleFrames::subscribed(), MonoNanos{10});
  world.kalshi_feed.handle_frame(world.bundle.snapshot(0), MonoNanos{20});
  world.kalshi_feed.handle_frame(world.bundle.snapshot(1), MonoNanos{30});
  const MonoNanos received{5'000'000'000'123};
  world.kalshi_feed.handle_frame(world.bundle.snapshot(2), received);
  world.strategy.poll(world.now, MonoNanos{1});

  OrderIntent intent;
  ASSERT_TRUE(world.rings.intents.try_pop(intent));
  EXPECT_EQ(intent.receive_ts_near(MonoNanos{received.ns + 7'000}), received);
}

TEST(Pipeline, OpsQueueHasTheClientOrderIdBeforeTheFill) {
  test::ScratchDir dir("pmx-stages");
  ClientOrderIdAllocator ids(dir / "pmx.db", 100);
  OpsQueue ops(4096, 4);
  PipelineWorldOptions options;
  options.ops = &ops;
  options.ids = &ids;
  PipelineWorld world(options);
  world.open_bundle();
  world.settle();

  std::map<uint64_t, std::string> submitted;  // intent id -> client order id
  size_t fills = 0;
  for (const OpsEvent& e : drain(ops)) {
    if (e.kind == OpsEventKind::order_submitted) {
      const OrderSubmittedRecord& r = e.payload.order_submitted;
      submitted[r.intent.intent_id] = std::string(r.client_order_id.view());
    } else if (e.kind == OpsEventKind::exec_report && e.payload.exec_report.fill_qty.units > 0) {
      ++fills;
      EXPECT_TRUE(submitted.count(e.payload.exec_report.intent_id))
          << "fill of intent " << e.payload.exec_report.intent_id << " before its order record";
    }
  }
  EXPECT_EQ(fills, 3u);
  ASSERT_EQ(submitted.size(), 3u);
  std::set<std::string> distinct;
  for (const auto& [intent, client_id] : submitted) {
    EXPECT_TRUE(parse_client_order_id(client_id).has_value()) << client_id;
    distinct.insert(client_id);
  }
  EXPECT_EQ(distinct.size(), 3u);
  EXPECT_EQ(ops.dropped_relaxed(), 0u);
}

TEST(Pipeline, KillCommandHaltsWithinOneRoundAndCancelsTheRestingOrder) {
  SKIP_WITHOUT_RECORDINGS();
  const std::string instance = instance_name();
  shm::StateWriter writer(instance, small_geometry(), shm::TradingMode::paper);
  OpsQueue ops(4096, 4);
  PipelineWorldOptions options;
  options.shm = &writer;
  options.ops = &ops;
  PipelineWorld world(options);
  world.replay_recordings();
  world.open_bundle();
  world.kalshi(world.bundle.b0_best_no_bid(false));
  ASSERT_TRUE(world.rings.intents.try_push(resting_order(world.universe)));
  world.settle(20);
  ASSERT_EQ(world.gateway_stage.open_orders(), 1u) << "the $300 limit order rests";
  const uint64_t intents_before = world.engine.counters().intents;

  shm::StateReader reader(instance);
  shm::CommandRequest kill;
  kill.type = shm::CommandType::kill;
  kill.tool_pid = 4242;
  ASSERT_NE(shm::submit_command(reader.control(), kill, mono_now().ns + 1'000'000'000), 0u);
  // The same round that reads the kill also carries a frame that restores the bundle's edge.
  world.kalshi(world.bundle.b0_best_no_bid(true));

  EXPECT_TRUE(world.strategy.halted());
  EXPECT_EQ(world.engine.counters().intents, intents_before) << "nothing decided after the kill";
  EXPECT_GE(world.engine.refusals(RiskRefusal::kill_switch), 1u) << "the restored bundle was refused";
  world.settle();
  EXPECT_EQ(world.gateway_stage.open_orders(), 0u);
  EXPECT_EQ(world.gateway_stage.counters().cancel_alls, 1u);

  const shm::EngineStatus status = reader.header().status.load();
  EXPECT_EQ(status.halted, 1);
  EXPECT_NE(std::string(status.halt_reason).find("4242"), std::string::npos) << status.halt_reason;
  EXPECT_EQ(counter(reader, "strategy.halts"), 1u);
  EXPECT_EQ(counter(reader, "gateway.cancel_alls"), 1u);

  bool cancelled = false, halted_state = false, critical = false;
  for (const OpsEvent& e : drain(ops)) {
    if (e.kind == OpsEventKind::exec_report && e.payload.exec_report.intent_id == 900'001)
      cancelled |= e.payload.exec_report.type == ExecType::cancelled;
    if (e.kind == OpsEventKind::system_state) halted_state |= e.payload.system_state.halted;
    if (e.kind == OpsEventKind::alert) critical |= e.payload.alert.severity == AlertSeverity::critical;
  }
  EXPECT_TRUE(cancelled) << "the resting order ends cancelled";
  EXPECT_TRUE(halted_state) << "system_state trading_halted=1 went to ops";
  EXPECT_TRUE(critical) << "a critical alert went to ops";
}

TEST(Pipeline, SetCommandReachesTheStrategyEngine) {
  const std::string instance = instance_name();
  shm::StateWriter writer(instance, small_geometry(), shm::TradingMode::paper);
  PipelineWorldOptions options;
  options.shm = &writer;
  PipelineWorld world(options);
  shm::StateReader reader(instance);
  shm::CommandRequest set;
  set.type = shm::CommandType::set;
  set.tool_pid = 4242;
  std::snprintf(set.key, sizeof set.key, "grinding.base_threshold");
  std::snprintf(set.value, sizeof set.value, "0.9995");
  ASSERT_NE(shm::submit_command(reader.control(), set, mono_now().ns + 1'000'000'000), 0u);
  world.round();

  EXPECT_EQ(world.strategy.config().grinding.base_threshold, 0.9995);
  EXPECT_EQ(world.engine.config().grinding.base_threshold, 0.9995);
}

TEST(Pipeline, HaltWithClosePositionsSellsEveryPositionBack) {
  PipelineWorld world;
  world.open_bundle();
  world.settle();
  ASSERT_EQ(world.engine.portfolio().position_count(), 3);

  world.strategy.halt(true, world.now);
  world.settle();

  EXPECT_EQ(world.strategy.counters().closes_sent, 3u);
  EXPECT_EQ(world.engine.portfolio().position_count(), 0) << "each close was a reduce-only sell of it all";
}

TEST(Pipeline, ResumeClearsTheHaltAndTradingGoesOn) {
  PipelineWorld world;
  world.open_bundle();
  world.settle();
  world.strategy.halt(false, world.now);
  world.kalshi(world.bundle.b0_best_no_bid(false));
  world.kalshi(world.bundle.b0_best_no_bid(true));
  EXPECT_EQ(world.strategy.counters().intents, 4u) << "three legs and the cancel-all";

  world.strategy.resume(world.now);
  world.kalshi(world.bundle.b0_best_no_bid(false));
  world.kalshi(world.bundle.b0_best_no_bid(true));
  world.settle();
  EXPECT_FALSE(world.strategy.halted());
  EXPECT_EQ(world.strategy.counters().intents, 7u);
}

TEST(Pipeline, ShmShowsCountersBookTopsAndTheTickToTradeHistogram) {
  const std::string instance = instance_name();
  shm::StateWriter writer(instance, small_geometry(), shm::TradingMode::paper);
  PipelineWorldOptions options;
  options.shm = &writer;
  PipelineWorld world(options);
  world.open_bundle();
  world.settle();

  shm::StateReader reader(instance);
  EXPECT_EQ(counter(reader, "strategy.intents"), 3u);
  EXPECT_EQ(counter(reader, "gateway.fills"), 3u);
  EXPECT_EQ(reader.histogram(shm::Stage::tick_to_order).stats().count, 3u);
  const InstrumentId b1 = world.universe.find(Venue::kalshi, "PMXT-BUN-B1");
  shm::BookTop top;
  ASSERT_TRUE(reader.books()[b1.value].top.try_load(top));
  EXPECT_EQ(top.bid_ticks, 2'500);
  EXPECT_EQ(top.ask_ticks, 3'000);
}

}  // namespace
}  // namespace pmx
