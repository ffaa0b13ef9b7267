#include "pmx/model/kalman_fair_value.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace pmx {
namespace {

Price cents(int c) {
  return Price::from_ticks(c * 100);
}

// ---- process noise ----

TEST(ProcessNoise, ReproducesTheSpecTable) {
  const KalmanConfig config;
  EXPECT_NEAR(process_noise(config, 24.0), 0.001, 1e-6);
  EXPECT_NEAR(process_noise(config, 12.0), 0.006, 1e-6);
  EXPECT_NEAR(process_noise(config, 6.0), 0.0085, 1e-6);
  EXPECT_NEAR(process_noise(config, 1.0), 0.010583, 1e-6);
}

TEST(ProcessNoise, IsTheBaseBeyondADayOut) {
  const KalmanConfig config;
  EXPECT_DOUBLE_EQ(process_noise(config, 24.0 * 30), config.base_process_noise);
}

TEST(ProcessNoise, PastExpiryCountsAsAtExpiry) {
  const KalmanConfig config;
  EXPECT_DOUBLE_EQ(process_noise(config, -5.0), process_noise(config, 0.0));
  EXPECT_DOUBLE_EQ(process_noise(config, 0.0), 0.001 * 11.0);
}

// ---- book inputs ----

TEST(Microprice, LeansTowardTheSideWithLessSize) {
  // 100 bid at $0.40, 10 offered at $0.50: (0.40 x 10 + 0.50 x 100) / 110 = 54 / 110.
  const auto value = microprice(cents(40), Qty::contracts(100), cents(50), Qty::contracts(10));
  ASSERT_TRUE(value.has_value());
  EXPECT_NEAR(*value, 54.0 / 110.0, 1e-12);
  EXPECT_GT(*value, 0.45);
}

TEST(Microprice, EqualsTheMidWhenSizesAreEqual) {
  const auto value = microprice(cents(40), Qty::contracts(7), cents(50), Qty::contracts(7));
  ASSERT_TRUE(value.has_value());
  EXPECT_NEAR(*value, 0.45, 1e-12);
}

TEST(Mid, IgnoresQueueImbalance) {
  const auto value = mid(cents(40), Qty::contracts(100), cents(50), Qty::contracts(10));
  ASSERT_TRUE(value.has_value());
  EXPECT_NEAR(*value, 0.45, 1e-12);
}

TEST(Microprice, NeedsBothSides) {
  EXPECT_FALSE(microprice(cents(40), Qty{}, cents(50), Qty::contracts(10)).has_value());
  EXPECT_FALSE(microprice(Level{}, Level{cents(50), Qty::contracts(1)}).has_value());
  EXPECT_FALSE(mid(Level{cents(40), Qty::contracts(1)}, Level{}).has_value());
}

TEST(KalmanMeasurement, FollowsTheConfiguredInput) {
  const Level bid{cents(40), Qty::contracts(100)};
  const Level ask{cents(50), Qty::contracts(10)};
  EXPECT_NEAR(*kalman_measurement(KalmanInput::microprice, bid, ask), 54.0 / 110.0, 1e-12);
  EXPECT_NEAR(*kalman_measurement(KalmanInput::mid, bid, ask), 0.45, 1e-12);
}

// ---- one filter ----

TEST(KalmanFairValue, StartsAtTheUninformedPrior) {
  const KalmanConfig config;
  const KalmanFairValue filter(config);
  EXPECT_DOUBLE_EQ(filter.estimate().value, 0.5);
  EXPECT_DOUBLE_EQ(filter.estimate().variance, config.initial_variance);
  EXPECT_EQ(filter.estimate().samples, 0u);
}

TEST(KalmanFairValue, FirstUpdateIsTheTextbookStep) {
  // P = 0.1 + 0.001 = 0.101; K = 0.101 / 0.111; x = 0.5 + K (0.9 - 0.5); P = (1 - K) 0.101.
  KalmanFairValue filter(KalmanConfig{});
  ASSERT_EQ(filter.update(0.9, 48.0), FairValueError::ok);
  const double gain = 0.101 / 0.111;
  EXPECT_NEAR(filter.estimate().value, 0.5 + gain * 0.4, 1e-12);
  EXPECT_NEAR(filter.estimate().variance, (1.0 - gain) * 0.101, 1e-12);
  EXPECT_EQ(filter.estimate().samples, 1u);
}

TEST(KalmanFairValue, ConvergesToAConstantMeasurement) {
  KalmanFairValue filter(KalmanConfig{});
  for (int i = 0; i < 200; ++i)
    filter.update(0.83, 48.0);
  EXPECT_NEAR(filter.estimate().value, 0.83, 1e-9);
}

TEST(KalmanFairValue, VarianceShrinksWithEachSampleTowardItsSteadyState) {
  KalmanFairValue filter(KalmanConfig{});
  double previous = filter.estimate().variance;
  for (int i = 0; i < 20; ++i) {
    filter.update(0.6, 48.0);
    EXPECT_LT(filter.estimate().variance, previous) << "sample " << i;
    previous = filter.estimate().variance;
  }
  for (int i = 0; i < 80; ++i)
    filter.update(0.6, 48.0);
  // Steady state of P = (P + Q) R / (P + Q + R) with Q = 0.001, R = 0.01: P^2 + Q P - Q R = 0.
  const double steady = (-0.001 + std::sqrt(0.001 * 0.001 + 4 * 0.001 * 0.01)) / 2;
  EXPECT_NEAR(filter.estimate().variance, steady, 1e-12);
}

TEST(KalmanFairValue, ReactsFasterNearExpiry) {
  KalmanFairValue far(KalmanConfig{});
  KalmanFairValue near(KalmanConfig{});
  for (int i = 0; i < 100; ++i) {
    far.update(0.5, 48.0);
    near.update(0.5, 1.0);
  }
  far.update(0.9, 48.0);
  near.update(0.9, 1.0);
  EXPECT_GT(near.estimate().value - 0.5, far.estimate().value - 0.5);
  EXPECT_GT(far.estimate().value, 0.5);
}

TEST(KalmanFairValue, RefusesMeasurementsOutsideZeroToOne) {
  KalmanFairValue filter(KalmanConfig{});
  filter.update(0.7, 10.0);
  const FairValue before = filter.estimate();
  EXPECT_EQ(filter.update(1.2, 10.0), FairValueError::bad_measurement);
  EXPECT_EQ(filter.update(-0.1, 10.0), FairValueError::bad_measurement);
  EXPECT_EQ(filter.update(std::numeric_limits<double>::quiet_NaN(), 10.0), FairValueError::bad_measurement);
  EXPECT_EQ(filter.estimate().value, before.value);
  EXPECT_EQ(filter.estimate().variance, before.variance);
  EXPECT_EQ(filter.estimate().samples, 1u);
}

TEST(KalmanFairValue, NanHoursDoNotPoisonTheEstimate) {
  KalmanFairValue filter(KalmanConfig{});
  EXPECT_EQ(filter.update(0.7, std::numeric_limits<double>::quiet_NaN()), FairValueError::ok);
  EXPECT_TRUE(std::isfinite(filter.estimate().value));
  EXPECT_TRUE(std::isfinite(filter.estimate().variance));
}

// ---- the per-instrument container ----

TEST(FairValueModels, KeepsOneIndependentFilterPerInstrument) {
  FairValueModels models(3, KalmanConfig{});
  for (int i = 0; i < 100; ++i)
    models.update(InstrumentId{2}, 0.9, 48.0);
  EXPECT_NEAR(models.estimate(InstrumentId{2}).value, 0.9, 1e-6);
  EXPECT_EQ(models.estimate(InstrumentId{2}).samples, 100u);
  EXPECT_DOUBLE_EQ(models.estimate(InstrumentId{0}).value, 0.5);
  EXPECT_EQ(models.estimate(InstrumentId{0}).samples, 0u);
}

TEST(FairValueModels, RefusesAndCountsUnknownInstruments) {
  FairValueModels models(3, KalmanConfig{});
  EXPECT_EQ(models.update(InstrumentId{3}, 0.5, 1.0), FairValueError::unknown_instrument);
  EXPECT_EQ(models.update(InstrumentId{}, 0.5, 1.0), FairValueError::unknown_instrument);
  EXPECT_EQ(models.update(InstrumentId{1}, 2.0, 1.0), FairValueError::bad_measurement);
  EXPECT_EQ(models.refused(), 3u);
  EXPECT_TRUE(std::isinf(models.estimate(InstrumentId{3}).variance));
}

// ---- fusion ----

FairValue estimate(double value, double variance) {
  return FairValue{value, variance, 10};
}

TEST(Fuse, EqualVolumesGiveInverseVarianceWeighting) {
  // Weights 1/0.01 : 1/0.03 = 3 : 1 -> 0.75 x 0.60 + 0.25 x 0.80 = 0.65.
  // Variance 0.75^2 x 0.01 + 0.25^2 x 0.03 = 0.0075 = 1 / (100 + 33.3).
  const FairValue fused = fuse(estimate(0.60, 0.01), 50.0, estimate(0.80, 0.03), 50.0);
  EXPECT_NEAR(fused.value, 0.65, 1e-12);
  EXPECT_NEAR(fused.variance, 0.0075, 1e-12);
  EXPECT_EQ(fused.samples, 20u);
}

TEST(Fuse, VolumeShiftsWeightTowardTheVenueWhereMoneyTrades) {
  // Equal variances, volume 300 : 100 -> 0.75 x 0.60 + 0.25 x 0.80 = 0.65.
  // Variance 0.75^2 x 0.02 + 0.25^2 x 0.02 = 0.0125, above the equal-weight 0.01.
  const FairValue fused = fuse(estimate(0.60, 0.02), 300.0, estimate(0.80, 0.02), 100.0);
  EXPECT_NEAR(fused.value, 0.65, 1e-12);
  EXPECT_NEAR(fused.variance, 0.0125, 1e-12);
}

TEST(Fuse, CombinesVolumeAndPrecisionMultiplicatively) {
  // Weights 1 x (1 / 0.01) : 2 x (1 / 0.02) = 100 : 100 -> equal -> 0.70.
  const FairValue fused = fuse(estimate(0.60, 0.01), 1.0, estimate(0.80, 0.02), 2.0);
  EXPECT_NEAR(fused.value, 0.70, 1e-12);
}

TEST(Fuse, AVenueWithoutVolumeGetsNoWeight) {
  const FairValue fused = fuse(estimate(0.60, 0.01), 0.0, estimate(0.80, 0.02), 5.0);
  EXPECT_NEAR(fused.value, 0.80, 1e-12);
  EXPECT_NEAR(fused.variance, 0.02, 1e-12);
}

TEST(Fuse, NoVolumeOnEitherVenueFallsBackToInverseVariance) {
  const FairValue fused = fuse(estimate(0.60, 0.01), 0.0, estimate(0.80, 0.03), -1.0);
  EXPECT_NEAR(fused.value, 0.65, 1e-12);
}

TEST(Fuse, AnEstimateWithoutSamplesGetsNoWeight) {
  const FairValue prior{0.5, 0.1, 0};
  const FairValue fused = fuse(prior, 1000.0, estimate(0.80, 0.02), 1.0);
  EXPECT_NEAR(fused.value, 0.80, 1e-12);
  EXPECT_NEAR(fused.variance, 0.02, 1e-12);
}

TEST(Fuse, TwoUnknownsFuseToUnknown) {
  const FairValue fused = fuse(FairValue{}, 1.0, FairValue{}, 1.0);
  EXPECT_EQ(fused.samples, 0u);
  EXPECT_TRUE(std::isinf(fused.variance));
}

}  // namespace
}  // namespace pmx
