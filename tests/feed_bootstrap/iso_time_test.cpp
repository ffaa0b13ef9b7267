#include "pmx/feed/bootstrap/iso_time.h"

#include <cstdint>

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

namespace {

using pmx::parse_iso8601;
using pmx::WallNanos;

TEST(Iso8601, ParsesKalshiCloseTime) {
  EXPECT_EQ(parse_iso8601("2099-01-08T15:00:00Z"), WallNanos{4'071'567'600 * pmx::kNanosPerSecond});
}

TEST(Iso8601, KeepsFractionalSecondsExactly) {
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:01.786694Z"), WallNanos{pmx::kNanosPerSecond + 786'694'000});
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00.000000001Z"), WallNanos{1});
}

TEST(Iso8601, TakesADateAloneAsMidnightUtc) {
  EXPECT_EQ(parse_iso8601("2024-09-10"), WallNanos{1'725'926'400 * pmx::kNanosPerSecond});
}

TEST(Iso8601, AppliesZoneOffsets) {
  EXPECT_EQ(parse_iso8601("2024-09-10T02:00:00+02:00"), parse_iso8601("2024-09-10T00:00:00Z"));
  EXPECT_EQ(parse_iso8601("2026-07-24 00:00:16+00"), parse_iso8601("2026-07-24T00:00:16Z"));
  EXPECT_EQ(parse_iso8601("2024-09-09T19:30:00-0430"), parse_iso8601("2024-09-10T00:00:00Z"));
}

TEST(Iso8601, HandlesLeapDays) {
  EXPECT_EQ(parse_iso8601("2024-03-01")->ns - parse_iso8601("2024-02-29")->ns, 86'400 * pmx::kNanosPerSecond);
  EXPECT_FALSE(parse_iso8601("2023-02-29"));
  EXPECT_FALSE(parse_iso8601("2100-02-29"));
  EXPECT_TRUE(parse_iso8601("2000-02-29"));
}

TEST(Iso8601, AcceptsTheLastNanosecondWallNanosHolds) {
  EXPECT_EQ(parse_iso8601("2262-04-11T23:47:16.854775807Z"), WallNanos{INT64_MAX});
}

// Regression (fuzz_bootstrap_pages): a Kalshi close_time in 4198 overflowed int64 nanoseconds.
TEST(Iso8601, RefusesATimeBeyondWhatWallNanosHolds) {
  EXPECT_FALSE(parse_iso8601("2262-04-11T23:47:16.854775808Z"));
  EXPECT_FALSE(parse_iso8601("4198-01-08T15:00:00Z"));
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59-23:59"));
}

TEST(Iso8601, RejectsMalformedText) {
  for (const char* bad :
       {"", "2024", "2024-9-10", "2024-09-10T", "2024-09-10T25:00:00Z", "2024-09-10T10:60:00Z",
        "2024-09-10T10:00:60Z", "2024-13-01", "2024-00-10", "2024-09-10T10:00:00.Z",
        "2024-09-10T10:00:00.1234567890Z", "2024-09-10T10:00:00X", "2024-09-10T10:00:00Z ", "1969-12-31",
        "0001-01-01T00:00:00Z", "2024-09-10T10:00:00+2"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

}  // namespace
