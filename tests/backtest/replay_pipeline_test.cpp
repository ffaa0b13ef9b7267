// ReplayPipeline: the engine's stages under the replay's clock.
#include "pmx/backtest/replay_pipeline.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "synthetic_session.h"

namespace pmx {
namespace {

struct Recorder final : ReplayObserver {
  std::vector<OpsEventKind> kinds;
  std::vector<WallNanos> rounds;
  void on_ops_event(const OpsEvent& event) override { kinds.push_back(event.kind); }
  void on_round(WallNanos now, const Portfolio&) override { rounds.push_back(now); }
};

ReplayPipelineOptions options() {
  ReplayPipelineOptions o;
  o.wall_minus_mono_ns = test::kWallMinusMono;
  return o;
}

void play(ReplayPipeline& pipeline, const std::vector<test::SessionFrame>& frames) {
  for (const test::SessionFrame& f : frames)
    pipeline.frame(Venue::kalshi, f.text, MonoNanos{f.received});
}

TEST(ReplayPipeline, FrameOfAVenueWithoutMarketsIsCountedAndSkipped) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipeline pipeline(universe, test::bundle_config(), nullptr, recorder, options());
  pipeline.frame(Venue::polymarket, R"([{"event_type":"book"}])", MonoNanos{test::kMonoStart});
  EXPECT_EQ(pipeline.counters().frames_no_feed, 1u);
  EXPECT_EQ(pipeline.polymarket_feed(), nullptr);
}

TEST(ReplayPipeline, StrategyWallClockIsReceiveTimePlusTheOffset) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipeline pipeline(universe, test::bundle_config(), nullptr, recorder, options());
  play(pipeline, test::bundle_session(0, 0));
  ASSERT_FALSE(recorder.rounds.empty());
  EXPECT_EQ(recorder.rounds.front().ns, test::kWallStart);
}

TEST(ReplayPipeline, ClockNeverGoesBackOnAnOutOfOrderFrame) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipeline pipeline(universe, test::bundle_config(), nullptr, recorder, options());
  std::vector<test::SessionFrame> frames = test::bundle_session(0, 0);
  frames.back().received = test::kMonoStart - 1'000;  // stamped before the subscription reply
  play(pipeline, frames);
  for (size_t i = 1; i < recorder.rounds.size(); ++i)
    EXPECT_LE(recorder.rounds[i - 1], recorder.rounds[i]);
}

TEST(ReplayPipeline, BundleIsDecidedThenSubmittedThenFilledInRecordOrder) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipeline pipeline(universe, test::bundle_config(), nullptr, recorder, options());
  play(pipeline, test::bundle_session(0, 0));
  pipeline.finish(3'600'000'000'000);
  const auto first = [&](OpsEventKind kind) {
    for (size_t i = 0; i < recorder.kinds.size(); ++i)
      if (recorder.kinds[i] == kind) return i;
    return recorder.kinds.size();
  };
  EXPECT_LT(first(OpsEventKind::audit), first(OpsEventKind::order_submitted));
  EXPECT_LT(first(OpsEventKind::order_submitted), first(OpsEventKind::exec_report));
  EXPECT_LT(first(OpsEventKind::exec_report), first(OpsEventKind::position));
  EXPECT_LT(first(OpsEventKind::position), recorder.kinds.size());
}

TEST(ReplayPipeline, FinishSettlesEveryWorkingOrder) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipeline pipeline(universe, test::bundle_config(), nullptr, recorder, options());
  play(pipeline, test::bundle_session(0, 0));
  EXPECT_GT(pipeline.gateway_stage().open_orders(), 0u) << "orders still in flight after the last frame";
  pipeline.finish(3'600'000'000'000);
  EXPECT_EQ(pipeline.gateway_stage().open_orders(), 0u);
  EXPECT_EQ(pipeline.engine().portfolio().position_count(), 3);
}

// Each order submitted and each fill, with its simulated time.
struct OrderTimes final : ReplayObserver {
  std::vector<std::pair<uint64_t, WallNanos>> submitted;  // intent id, submission time
  std::vector<std::pair<uint64_t, WallNanos>> fills;      // intent id, fill time
  void on_ops_event(const OpsEvent& event) override {
    if (event.kind == OpsEventKind::order_submitted)
      submitted.emplace_back(event.payload.order_submitted.intent.intent_id,
                             event.payload.order_submitted.submitted_ts);
    if (event.kind == OpsEventKind::exec_report && event.payload.exec_report.fill_qty.units > 0)
      fills.emplace_back(event.payload.exec_report.intent_id, event.payload.exec_report.ts);
  }
  void on_round(WallNanos, const Portfolio&) override {}
};

TEST(ReplayPipeline, FillIsStampedAtOrderTimePlusTheModelledLatencyWithNoFrameInBetween) {
  const MarketUniverse universe = test::bundle_universe();
  Config config = test::bundle_config();
  config.paper.latency_min_ms = config.paper.latency_max_ms = 7;
  ReplayPipelineOptions o = options();
  o.time_step_ns = 3'000'000;  // a clock that only stepped would stamp the fills at 9 ms
  OrderTimes times;
  ReplayPipeline pipeline(universe, config, nullptr, times, o);
  play(pipeline, test::bundle_session(1, 1'000'000'000));  // the next frame comes 1 s later
  ASSERT_EQ(times.submitted.size(), 3u);
  ASSERT_EQ(times.fills.size(), 3u);
  for (const auto& [intent, filled_at] : times.fills) {
    const auto order = std::find_if(times.submitted.begin(), times.submitted.end(),
                                    [&](const auto& s) { return s.first == intent; });
    ASSERT_NE(order, times.submitted.end()) << "fill of intent " << intent << " without its order";
    EXPECT_EQ(filled_at.ns, order->second.ns + 7'000'000) << "intent " << intent;
  }
}

TEST(ReplayPipeline, ZeroTimeStepIsRefused) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipelineOptions o = options();
  o.time_step_ns = 0;
  EXPECT_THROW(ReplayPipeline(universe, test::bundle_config(), nullptr, recorder, o), std::invalid_argument);
}

}  // namespace
}  // namespace pmx
