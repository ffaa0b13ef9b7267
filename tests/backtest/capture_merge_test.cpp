// CaptureMerge: several capture files as one stream by receive time.
#include "pmx/backtest/capture_merge.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../common/scratch_dir.h"

namespace pmx {
namespace {

namespace fs = std::filesystem;

class CaptureMergeTest : public ::testing::Test {
 protected:
  std::string file(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  static std::vector<std::string> frames(CaptureMerge& merge) {
    std::vector<std::string> out;
    MergedRecord r;
    while (merge.next(r))
      out.push_back(std::to_string(r.received.ns) + " " + std::string(to_string(r.venue)) + " " +
                    std::string(r.frame));
    return out;
  }
  test::ScratchDir scratch_{"pmx-backtest"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(CaptureMergeTest, InterleavesFilesByReceiveTime) {
  const std::string a = file("a", "10\tkalshi\tk1\n30\tkalshi\tk3\n");
  const std::string b = file("b", "20\tpolymarket\tp2\n40\tpolymarket\tp4\n");
  CaptureMerge merge({{a, std::nullopt}, {b, std::nullopt}});
  EXPECT_EQ(frames(merge), (std::vector<std::string>{"10 kalshi k1", "20 polymarket p2", "30 kalshi k3",
                                                     "40 polymarket p4"}));
}

TEST_F(CaptureMergeTest, TiesGoToTheInputNamedFirstThenFileOrder) {
  const std::string a = file("a", "10\tkalshi\ta1\n10\tkalshi\ta2\n");
  const std::string b = file("b", "10\tpolymarket\tb1\n");
  CaptureMerge merge({{b, std::nullopt}, {a, std::nullopt}});
  EXPECT_EQ(frames(merge), (std::vector<std::string>{"10 polymarket b1", "10 kalshi a1", "10 kalshi a2"}));
}

TEST_F(CaptureMergeTest, BareFramesAreOneMillisecondApart) {
  const std::string bare = file("bare", "{\"x\":1}\n{\"x\":2}\n");
  CaptureMerge merge({parse_capture_argument("polymarket:" + bare)});
  EXPECT_EQ(frames(merge),
            (std::vector<std::string>{"1000000 polymarket {\"x\":1}", "2000000 polymarket {\"x\":2}"}));
}

TEST_F(CaptureMergeTest, MalformedLinesAreCountedAndSkipped) {
  const std::string a = file("a", "10\tkalshi\tk1\ngarbage\n20\tnasdaq\tx\n30\tkalshi\tk3\n");
  CaptureMerge merge({{a, std::nullopt}});
  EXPECT_EQ(frames(merge), (std::vector<std::string>{"10 kalshi k1", "30 kalshi k3"}));
  EXPECT_EQ(merge.counters().bad_lines, 2u);
  EXPECT_EQ(merge.counters().error_count(FeedError::malformed_line), 1u);
  EXPECT_EQ(merge.counters().error_count(FeedError::bad_venue), 1u);
}

TEST_F(CaptureMergeTest, ClockOffsetIsTheFirstInputsHeader) {
  const std::string a = file("a", "10\tkalshi\tk1\n");
  const std::string b = file("b", capture_header_line(500) + "20\tkalshi\tk2\n");
  const std::string c = file("c", capture_header_line(600) + "30\tkalshi\tk3\n");
  CaptureMerge merge({{a, std::nullopt}, {b, std::nullopt}, {c, std::nullopt}});
  EXPECT_EQ(merge.wall_minus_mono_ns(), std::optional<int64_t>(500));
  EXPECT_EQ(merge.headers_disagree(), 1u);
}

TEST_F(CaptureMergeTest, MissingFileIsRefusedWithItsPath) {
  try {
    CaptureMerge merge({{(dir_ / "nope").string(), std::nullopt}});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope: cannot open"), std::string::npos);
  }
}

TEST(CaptureArgument, VenuePrefixMeansBareFrames) {
  EXPECT_EQ(parse_capture_argument("kalshi:/x/y.jsonl").bare_venue, std::optional<Venue>(Venue::kalshi));
  EXPECT_EQ(parse_capture_argument("kalshi:/x/y.jsonl").path, "/x/y.jsonl");
  EXPECT_FALSE(parse_capture_argument("/x/y.capture.zst").bare_venue.has_value());
}

}  // namespace
}  // namespace pmx
