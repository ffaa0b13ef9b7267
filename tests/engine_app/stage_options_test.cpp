#include "pmx/engine/app/stage_options.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(StageOptions, PriceSamplesFollowTheConfiguredInterval) {
  Config config;
  ASSERT_TRUE(set_config_key(config, "engine.price_sample_interval_s", "15").ok());
  EXPECT_EQ(strategy_stage_options(config, 1).price_sample_interval_ns, 15'000'000'000);
}

TEST(StageOptions, ZeroIntervalTurnsPriceSamplesOff) {
  Config config;
  ASSERT_TRUE(set_config_key(config, "engine.price_sample_interval_s", "0").ok());
  EXPECT_EQ(strategy_stage_options(config, 1).price_sample_interval_ns, 0);
}

TEST(StageOptions, DefaultIntervalIsOneMinute) {
  EXPECT_EQ(strategy_stage_options(Config{}, 1).price_sample_interval_ns, 60'000'000'000);
}

TEST(StageOptions, NegativeIntervalIsRefused) {
  Config config;
  EXPECT_FALSE(set_config_key(config, "engine.price_sample_interval_s", "-1").ok());
}

TEST(StageOptions, DailySnapshotAtTheConfiguredSummaryHour) {
  Config config;
  ASSERT_TRUE(set_config_key(config, "alerts.daily_summary_hour_utc", "21").ok());
  EXPECT_EQ(strategy_stage_options(config, 1).daily_snapshot_hour_utc, 21);
}

TEST(StageOptions, BothStagesFoldInTheRunEpoch) {
  EXPECT_EQ(strategy_stage_options(Config{}, 7).run_epoch, 7u);
  EXPECT_EQ(gateway_stage_options(7).run_epoch, 7u);
}

TEST(StageOptions, SetCommandsStartFromTheLoadedConfig) {
  Config config;
  ASSERT_TRUE(set_config_key(config, "grinding.base_threshold", "0.99").ok());
  EXPECT_EQ(strategy_stage_options(config, 1).control.config.grinding.base_threshold, 0.99);
}

}  // namespace
}  // namespace pmx
