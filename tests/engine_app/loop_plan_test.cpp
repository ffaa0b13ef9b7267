#include "pmx/engine/app/loop_plan.h"

#include <gtest/gtest.h>

namespace pmx::app {
namespace {

using enum StageRole;

PinPlan pins(std::string_view spec) {
  const PinSpecResult r = parse_pin_spec(spec, CpuSet{0, 1}, CpuSet{0, 1});
  EXPECT_TRUE(r.ok()) << r.error;
  return r.plan;
}

TEST(LoopPlan, SplitLayoutGivesEachStageItsOwnLoop) {
  const auto loops = plan_loops(ThreadLayout::split, PinPlan{}, true, true);
  ASSERT_EQ(loops.size(), 4u);
  for (const LoopPlan& loop : loops) {
    EXPECT_EQ(loop.stages.size(), 1u);
    EXPECT_EQ(loop.cpu, PinPlan::kUnpinned);
  }
}

TEST(LoopPlan, SharedLayoutPutsFeedsWithStrategyAndGatewayAlone) {
  const auto loops = plan_loops(ThreadLayout::shared, PinPlan{}, true, true);
  ASSERT_EQ(loops.size(), 2u);
  EXPECT_EQ(loops[0].stages, (std::vector<StageRole>{kalshi_feed, polymarket_feed, strategy}));
  EXPECT_EQ(loops[1].stages, (std::vector<StageRole>{gateway}));
}

TEST(LoopPlan, SingleLayoutRunsEverythingInOneLoop) {
  const auto loops = plan_loops(ThreadLayout::single, PinPlan{}, true, true);
  ASSERT_EQ(loops.size(), 1u);
  EXPECT_EQ(loops[0].stages.size(), 4u);
}

TEST(LoopPlan, StagesPinnedToOneCpuShareOnePinnedLoop) {
  const auto loops = plan_loops(ThreadLayout::split, pins("feed=0,strategy=0,gateway=1"), true, true);
  ASSERT_EQ(loops.size(), 2u);
  EXPECT_EQ(loops[0].cpu, 0);
  EXPECT_EQ(loops[0].stages, (std::vector<StageRole>{kalshi_feed, polymarket_feed, strategy}));
  EXPECT_EQ(loops[1].cpu, 1);
  EXPECT_EQ(loops[1].stages, (std::vector<StageRole>{gateway}));
}

TEST(LoopPlan, UnpinnedStagesFollowTheLayoutBesidePinnedOnes) {
  const auto loops = plan_loops(ThreadLayout::shared, pins("gateway=1"), true, true);
  ASSERT_EQ(loops.size(), 2u);
  EXPECT_EQ(loops[0].cpu, PinPlan::kUnpinned);
  EXPECT_EQ(loops[0].stages, (std::vector<StageRole>{kalshi_feed, polymarket_feed, strategy}));
  EXPECT_EQ(loops[1].cpu, 1);
}

TEST(LoopPlan, AVenueFeedOverridesTheFeedRole) {
  const auto loops =
      plan_loops(ThreadLayout::split, pins("feed=0,feed.polymarket=1,strategy=0,gateway=1"), true, true);
  ASSERT_EQ(loops.size(), 2u);
  EXPECT_EQ(loops[0].stages, (std::vector<StageRole>{kalshi_feed, strategy}));
  EXPECT_EQ(loops[1].stages, (std::vector<StageRole>{polymarket_feed, gateway}));
}

TEST(LoopPlan, ADisabledVenueHasNoFeedStage) {
  const auto loops = plan_loops(ThreadLayout::single, PinPlan{}, true, false);
  ASSERT_EQ(loops.size(), 1u);
  EXPECT_FALSE(loops[0].runs(polymarket_feed));
  EXPECT_TRUE(loops[0].runs(kalshi_feed));
}

TEST(LoopPlan, DescribeNamesEveryLoopAndCpu) {
  const auto loops = plan_loops(ThreadLayout::split, pins("feed=0,strategy=0,gateway=1"), true, true);
  EXPECT_EQ(describe(loops), "loop0 cpu0: feed.kalshi feed.polymarket strategy | loop1 cpu1: gateway");
}

}  // namespace
}  // namespace pmx::app
