#include "pmx/model/volatility.h"

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pmx {
namespace {

constexpr InstrumentId kId{0};
constexpr double kStep = 0.01;    // baseline changes alternate +1c / -1c: mean 0, stddev 0.01
constexpr double kVolume = 10.0;  // baseline volume: mean 10
constexpr double kMargin = 1e-6;  // relative distance from a threshold (float storage: 6e-8)

// The value a sample has once stored: windows keep float samples.
double stored(double x) {
  return static_cast<double>(static_cast<float>(x));
}

// `samples` baseline samples on instrument `id`.
void feed_baseline(VolatilityStats& stats, int samples, InstrumentId id = kId) {
  for (int i = 0; i < samples; ++i) {
    ASSERT_EQ(stats.observe(id, i % 2 == 0 ? kStep : -kStep, kVolume), InvalidationReason::none);
  }
}

class ThesisInvalidation : public ::testing::Test {
 protected:
  void SetUp() override { feed_baseline(stats, config.min_samples); }

  ThesisInvalidationConfig config;
  VolatilityStats stats{2, config};
};

TEST_F(ThesisInvalidation, BaselineHasTheExpectedStatistics) {
  const VolatilitySnapshot s = stats.snapshot(kId);
  EXPECT_EQ(s.samples, 100u);
  EXPECT_NEAR(s.mean_change, 0.0, 1e-15);
  EXPECT_NEAR(s.stddev_change, stored(kStep), 1e-15);
  EXPECT_DOUBLE_EQ(s.mean_volume, kVolume);
}

TEST_F(ThesisInvalidation, PriceChangeJustAboveTwoSigmaInvalidates) {
  EXPECT_EQ(stats.observe(kId, 2 * kStep * (1 + kMargin), kVolume), InvalidationReason::price_zscore);
}

TEST_F(ThesisInvalidation, PriceChangeJustBelowTwoSigmaDoesNot) {
  EXPECT_EQ(stats.observe(kId, 2 * kStep * (1 - kMargin), kVolume), InvalidationReason::none);
}

TEST_F(ThesisInvalidation, FallsCountAsMuchAsRises) {
  EXPECT_EQ(stats.observe(kId, -2 * kStep * (1 + kMargin), kVolume), InvalidationReason::price_zscore);
}

TEST_F(ThesisInvalidation, VolumeJustAboveThreeTimesTheMeanInvalidates) {
  EXPECT_EQ(stats.observe(kId, 0.0, 3 * kVolume * (1 + kMargin)), InvalidationReason::volume_ratio);
}

TEST_F(ThesisInvalidation, VolumeJustBelowThreeTimesTheMeanDoesNot) {
  EXPECT_EQ(stats.observe(kId, 0.0, 3 * kVolume * (1 - kMargin)), InvalidationReason::none);
}

TEST_F(ThesisInvalidation, PriceReasonWinsWhenBothFire) {
  EXPECT_EQ(stats.observe(kId, 10 * kStep, 10 * kVolume), InvalidationReason::price_zscore);
}

TEST_F(ThesisInvalidation, ARuntimeThresholdChangeAppliesToTheNextSample) {
  ThesisInvalidationConfig looser = config;
  looser.zscore_threshold = 3.0;
  looser.baseline_window = 7;  // ignored: the rings are sized at construction
  stats.set_thresholds(looser);
  EXPECT_EQ(stats.observe(kId, 2.5 * kStep, kVolume), InvalidationReason::none);
  EXPECT_EQ(stats.snapshot(kId).samples, 101u);
}

TEST_F(ThesisInvalidation, TheOutlierJoinsTheWindowAfterBeingJudged) {
  stats.observe(kId, 1.0, kVolume);
  EXPECT_EQ(stats.snapshot(kId).samples, 101u);
  EXPECT_GT(stats.snapshot(kId).stddev_change, 0.09);
}

TEST_F(ThesisInvalidation, InstrumentsHaveSeparateBaselines) {
  // Instrument 1 has no samples yet, so nothing about it can be unusual.
  EXPECT_EQ(stats.observe(InstrumentId{1}, 1.0, 1e6), InvalidationReason::none);
  EXPECT_EQ(stats.snapshot(InstrumentId{1}).samples, 1u);
  EXPECT_EQ(stats.snapshot(kId).samples, 100u);
}

TEST(ThesisInvalidationWarmUp, NeverInvalidatesBeforeMinSamples) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  feed_baseline(stats, config.min_samples - 1);
  EXPECT_EQ(stats.observe(kId, 1.0, 1e6), InvalidationReason::none);
}

TEST(ThesisInvalidationWarmUp, InvalidatesFromTheSampleAfterMinSamples) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  feed_baseline(stats, config.min_samples);
  EXPECT_EQ(stats.observe(kId, 1.0, kVolume), InvalidationReason::price_zscore);
}

TEST(ThesisInvalidationFlatBaseline, AnyMoveAfterAFlatMarketInvalidates) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  for (int i = 0; i < 100; ++i)
    stats.observe(kId, 0.0, kVolume);
  EXPECT_EQ(stats.observe(kId, 0.0, kVolume), InvalidationReason::none);
  EXPECT_EQ(stats.observe(kId, 0.0001, kVolume), InvalidationReason::price_zscore);
}

TEST(ThesisInvalidationFlatBaseline, AnyVolumeAfterNoneInvalidates) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  for (int i = 0; i < 100; ++i)
    stats.observe(kId, 0.0, 0.0);
  EXPECT_EQ(stats.observe(kId, 0.0, 0.0), InvalidationReason::none);
  EXPECT_EQ(stats.observe(kId, 0.0, 1.0), InvalidationReason::volume_ratio);
}

TEST(VolatilityStats, OldSamplesLeaveTheWindow) {
  ThesisInvalidationConfig config;
  config.baseline_window = 4;
  config.min_samples = 2;
  VolatilityStats stats(1, config);
  for (int i = 0; i < 4; ++i)
    stats.observe(kId, 0.01, 1.0);
  for (int i = 0; i < 4; ++i)
    stats.observe(kId, 0.05, 5.0);
  const VolatilitySnapshot s = stats.snapshot(kId);
  EXPECT_EQ(s.samples, 4u);
  EXPECT_NEAR(s.mean_change, stored(0.05), 1e-15);
  EXPECT_NEAR(s.stddev_change, 0.0, 1e-9);
  EXPECT_DOUBLE_EQ(s.mean_volume, 5.0);
}

TEST(VolatilityStats, RunningStatisticsMatchATwoPassRecomputeAfterAMillionSamples) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  std::mt19937_64 random(7);
  std::normal_distribution<double> change(0.0005, 0.02);
  std::exponential_distribution<double> volume(0.01);
  const std::size_t window = static_cast<std::size_t>(config.baseline_window);
  std::vector<double> changes(window);
  std::vector<double> volumes(window);
  for (std::size_t i = 0; i < 1'000'000; ++i) {
    changes[i % window] = stored(change(random));  // the recompute sees what the window holds
    volumes[i % window] = stored(volume(random));
    stats.observe(kId, changes[i % window], volumes[i % window]);
  }
  double mean = 0.0, mean_volume = 0.0;
  for (std::size_t i = 0; i < window; ++i) {
    mean += changes[i];
    mean_volume += volumes[i];
  }
  mean /= static_cast<double>(window);
  mean_volume /= static_cast<double>(window);
  double squares = 0.0;
  for (double c : changes)
    squares += (c - mean) * (c - mean);
  const double stddev = std::sqrt(squares / static_cast<double>(window));

  const VolatilitySnapshot s = stats.snapshot(kId);
  EXPECT_EQ(s.samples, window);
  EXPECT_NEAR(s.mean_change, mean, 1e-12);
  EXPECT_NEAR(s.stddev_change, stddev, stddev * 1e-9);
  EXPECT_NEAR(s.mean_volume, mean_volume, mean_volume * 1e-9);
}

TEST(VolatilityStats, RefusesUnknownInstrumentsAndBadInputs) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  EXPECT_EQ(stats.observe(InstrumentId{1}, 0.01, 1.0), InvalidationReason::none);
  EXPECT_EQ(stats.observe(kId, std::numeric_limits<double>::quiet_NaN(), 1.0), InvalidationReason::none);
  EXPECT_EQ(stats.observe(kId, 0.01, std::numeric_limits<double>::infinity()), InvalidationReason::none);
  EXPECT_EQ(stats.observe(kId, 0.01, -1.0), InvalidationReason::none);
  EXPECT_EQ(stats.refused(), 4u);
  EXPECT_EQ(stats.snapshot(kId).samples, 0u);
  EXPECT_EQ(stats.snapshot(InstrumentId{1}).samples, 0u);
}

TEST(VolatilityStats, KeepsAChangeToWithinAThousandthOfATick) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  stats.observe(kId, 0.1234, 1.0);
  EXPECT_NEAR(stats.snapshot(kId).mean_change, 0.1234, 1e-8);  // a tick is 1e-4 dollars
}

TEST(VolatilityStats, RefusesAVolumeBeyondFloatRange) {
  const ThesisInvalidationConfig config;
  VolatilityStats stats(1, config);
  EXPECT_EQ(stats.observe(kId, 0.01, 1e39), InvalidationReason::none);
  EXPECT_EQ(stats.refused(), 1u);
  EXPECT_EQ(stats.snapshot(kId).samples, 0u);
}

TEST(VolatilityStats, RefusesAnEmptyWindowAtStartUp) {
  ThesisInvalidationConfig config;
  config.baseline_window = 0;
  EXPECT_THROW(VolatilityStats(1, config), std::invalid_argument);
}

}  // namespace
}  // namespace pmx
