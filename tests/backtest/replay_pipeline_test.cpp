// ReplayPipeline: the engine's stages under the replay's clock.
#include "pmx/backtest/replay_pipeline.h"

#include <string>
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

TEST(ReplayPipeline, ZeroTimeStepIsRefused) {
  const MarketUniverse universe = test::bundle_universe();
  Recorder recorder;
  ReplayPipelineOptions o = options();
  o.time_step_ns = 0;
  EXPECT_THROW(ReplayPipeline(universe, test::bundle_config(), nullptr, recorder, o), std::invalid_argument);
}

}  // namespace
}  // namespace pmx
