// The progress bar's text and its one-second grace period.
#include "pmx/backtest/progress_bar.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(ProgressBar, RendersFractionCountsAndEta) {
  EXPECT_EQ(ProgressBar::render(500, 1000, std::chrono::seconds(2), 10),
            "[#####     ]  50%  500/1000 frames  ETA 2s");
}

TEST(ProgressBar, UnknownTotalShowsOnlyTheCount) {
  EXPECT_EQ(ProgressBar::render(25'000, 0, std::chrono::seconds(1), 4), "[....] 25k frames");
}

TEST(ProgressBar, ShortRunPrintsNothing) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ProgressBar bar(out, true, std::chrono::hours(1));
  bar.update(1, 2);
  bar.finish();
  EXPECT_FALSE(bar.shown());
  EXPECT_EQ(std::ftell(out), 0);
  std::fclose(out);
}

TEST(ProgressBar, DisabledBarPrintsNothing) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ProgressBar bar(out, false, std::chrono::milliseconds(0));
  bar.update(1, 2);
  EXPECT_EQ(std::ftell(out), 0);
  std::fclose(out);
}

TEST(ProgressBar, LongRunDrawsOnStderrLikeStream) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ProgressBar bar(out, true, std::chrono::milliseconds(0));
  bar.update(1, 2);
  bar.finish();
  EXPECT_TRUE(bar.shown());
  EXPECT_GT(std::ftell(out), 10);
  std::fclose(out);
}

}  // namespace
}  // namespace pmx
