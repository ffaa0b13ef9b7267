#include "pmx/record/rotation.h"

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

namespace pmx::record {
namespace {

constexpr WallNanos kAt1400{1'795'528'800 * pmx::kNanosPerSecond};  // 2026-11-24 14:00:00 UTC

TEST(CaptureFileName, NamesInstanceVenueAndUtcSecond) {
  EXPECT_EQ(capture_file_name("pmx", Venue::kalshi, WallNanos{kAt1400.ns + 65 * pmx::kNanosPerSecond + 5}, 0),
            "pmx-kalshi-20261124T140105Z.cap.zst");
}

TEST(CaptureFileName, AddsTheAttemptNumberToAvoidAnExistingName) {
  EXPECT_EQ(capture_file_name("demo", Venue::polymarket, kAt1400, 2),
            "demo-polymarket-20261124T140000Z-2.cap.zst");
}

TEST(RotationPolicy, IsDueWhenTheFileReachesItsSize) {
  const RotationPolicy policy{1000, 0};
  EXPECT_FALSE(policy.due(999, kAt1400, kAt1400));
  EXPECT_TRUE(policy.due(1000, kAt1400, kAt1400));
}

TEST(RotationPolicy, IsDueWhenTheUtcHourChanges) {
  const RotationPolicy policy{0, 3600 * pmx::kNanosPerSecond};
  const WallNanos opened{kAt1400.ns + 3599 * pmx::kNanosPerSecond};  // 14:59:59
  EXPECT_FALSE(policy.due(1, kAt1400, opened));
  EXPECT_TRUE(policy.due(1, opened, WallNanos{kAt1400.ns + 3600 * pmx::kNanosPerSecond}));
}

TEST(RotationPolicy, NeverRotatesWithBothLimitsOff) {
  const RotationPolicy policy{0, 0};
  EXPECT_FALSE(
      policy.due(uint64_t{1} << 40, kAt1400, WallNanos{kAt1400.ns + 1000 * 3600 * pmx::kNanosPerSecond}));
}

}  // namespace
}  // namespace pmx::record
