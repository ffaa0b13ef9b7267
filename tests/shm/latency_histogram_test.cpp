#include "pmx/shm/latency_histogram.h"

#include <cstdint>
#include <memory>
#include <random>

#include <gtest/gtest.h>

namespace pmx::shm {
namespace {

double relative_error(uint64_t reported, uint64_t actual) {
  return actual == 0 ? 0.0
                     : std::abs(static_cast<double>(reported) - static_cast<double>(actual)) /
                           static_cast<double>(actual);
}

TEST(LatencyHistogram, IsExactBelow128Nanoseconds) {
  for (uint64_t v = 0; v < 128; ++v) {
    EXPECT_EQ(LatencyHistogram::bucket_index(v), v);
    EXPECT_EQ(LatencyHistogram::bucket_value(LatencyHistogram::bucket_index(v)), v);
  }
}

TEST(LatencyHistogram, BucketsTileTheRangeWithoutGaps) {
  for (size_t i = 0; i + 1 < LatencyHistogram::kBucketCount; ++i)
    ASSERT_EQ(LatencyHistogram::bucket_lower(i) + LatencyHistogram::bucket_width(i),
              LatencyHistogram::bucket_lower(i + 1))
        << "bucket " << i;
}

TEST(LatencyHistogram, StaysWithinOnePercentFromOneNanosecondToTenSeconds) {
  std::mt19937_64 rng(7);
  double worst = 0;
  for (int i = 0; i < 200'000; ++i) {
    // Log-uniform over [1 ns, 10 s].
    const double exponent = std::uniform_real_distribution<double>(0.0, 10.0)(rng);
    const auto v = static_cast<uint64_t>(std::pow(10.0, exponent));
    const size_t index = LatencyHistogram::bucket_index(v);
    ASSERT_GE(v, LatencyHistogram::bucket_lower(index));
    ASSERT_LT(v, LatencyHistogram::bucket_lower(index) + LatencyHistogram::bucket_width(index));
    worst = std::max(worst, relative_error(LatencyHistogram::bucket_value(index), v));
  }
  EXPECT_LE(worst, 0.01);
}

TEST(LatencyHistogram, ComputesPercentilesOfAKnownDistribution) {
  auto h = std::make_unique<LatencyHistogram>();
  for (uint64_t v = 1; v <= 100'000; ++v)
    h->record(v * 10);  // 10 ns .. 1 ms, uniform
  const LatencyHistogram::Stats s = h->stats();
  EXPECT_EQ(s.count, 100'000u);
  EXPECT_EQ(s.max, 1'000'000u);
  EXPECT_LE(relative_error(s.p50, 500'000), 0.01);
  EXPECT_LE(relative_error(s.p99, 990'000), 0.01);
  EXPECT_LE(relative_error(s.p999, 999'000), 0.01);
  EXPECT_EQ(s.mean, 500'005u);
}

TEST(LatencyHistogram, ReportsNothingWhenEmpty) {
  auto h = std::make_unique<LatencyHistogram>();
  const LatencyHistogram::Stats s = h->stats();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.p99, 0u);
}

TEST(LatencyHistogram, CountsValuesBeyondItsRangeInTheLastBucket) {
  auto h = std::make_unique<LatencyHistogram>();
  h->record(LatencyHistogram::kMaxTrackable * 4);
  const LatencyHistogram::Stats s = h->stats();
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.saturated, 1u);
}

}  // namespace
}  // namespace pmx::shm
