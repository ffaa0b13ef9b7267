// The capture header (`# pmx-capture ... wall_minus_mono_ns=N`) and '#' comment lines.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/feed/capture.h"

namespace pmx {
namespace {

std::vector<std::string> frames_of(CaptureReader& reader) {
  std::vector<std::string> out;
  CaptureRecord record;
  while (reader.next(record))
    out.emplace_back(record.frame.bytes);
  return out;
}

TEST(CaptureHeader, HeaderLineGivesTheWallMinusMonoOffset) {
  const std::string data = capture_header_line(1'795'000'000'123'456'789) + "5\tkalshi\t{}\n";
  CaptureReader reader;
  ASSERT_EQ(reader.open_memory(data, false, {}), FeedError::ok);
  CaptureRecord record;
  ASSERT_TRUE(reader.next(record));
  ASSERT_TRUE(reader.wall_minus_mono_ns().has_value());
  EXPECT_EQ(*reader.wall_minus_mono_ns(), 1'795'000'000'123'456'789);
}

TEST(CaptureHeader, CommentLinesAreCountedAndNeverReturned) {
  const std::string data = "# a note\n1\tkalshi\t{\"a\":1}\n# pmx-capture v=1 wall_minus_mono_ns=7\n";
  CaptureReader reader;
  ASSERT_EQ(reader.open_memory(data, false, {}), FeedError::ok);
  EXPECT_EQ(frames_of(reader), std::vector<std::string>{"{\"a\":1}"});
  EXPECT_EQ(reader.counters().comment_lines, 2u);
  EXPECT_EQ(reader.counters().bad_lines, 0u);
}

TEST(CaptureHeader, NoHeaderMeansNoOffset) {
  const std::string data = "1\tkalshi\t{}\n";
  CaptureReader reader;
  ASSERT_EQ(reader.open_memory(data, false, {}), FeedError::ok);
  EXPECT_EQ(frames_of(reader).size(), 1u);
  EXPECT_FALSE(reader.wall_minus_mono_ns().has_value());
}

TEST(CaptureHeader, UnreadableOffsetIsCountedAsABadHeader) {
  const std::string data = "# pmx-capture v=1 wall_minus_mono_ns=12x\n1\tkalshi\t{}\n";
  CaptureReader reader;
  ASSERT_EQ(reader.open_memory(data, false, {}), FeedError::ok);
  EXPECT_EQ(frames_of(reader).size(), 1u);
  EXPECT_FALSE(reader.wall_minus_mono_ns().has_value());
  EXPECT_EQ(reader.counters().bad_headers, 1u);
}

TEST(CaptureHeader, UnknownHeaderKeysAreIgnored) {
  const std::string data = "# pmx-capture v=2 host=box wall_minus_mono_ns=-42 lost=0\n1\tkalshi\t{}\n";
  CaptureReader reader;
  ASSERT_EQ(reader.open_memory(data, false, {}), FeedError::ok);
  EXPECT_EQ(frames_of(reader).size(), 1u);
  EXPECT_EQ(reader.wall_minus_mono_ns(), std::optional<int64_t>(-42));
}

TEST(CaptureHeader, BareFrameReaderStillSkipsComments) {
  const std::string data = "# recorded by hand\n{\"type\":\"x\"}\n";
  CaptureReader reader;
  CaptureReader::Options options;
  options.bare_venue = Venue::polymarket;
  ASSERT_EQ(reader.open_memory(data, false, options), FeedError::ok);
  EXPECT_EQ(frames_of(reader), std::vector<std::string>{"{\"type\":\"x\"}"});
}

TEST(CaptureHeader, WriterHeaderRoundTripsThroughZstd) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("pmx_capture_header_" + std::to_string(::getpid()) + ".zst");
  {
    CaptureWriter writer;
    ASSERT_EQ(writer.open(path.string()), FeedError::ok);
    ASSERT_EQ(writer.write_header(99), FeedError::ok);
    ASSERT_EQ(writer.write(MonoNanos{3}, Venue::polymarket, "[]"), FeedError::ok);
    ASSERT_EQ(writer.close(), FeedError::ok);
  }
  CaptureReader reader;
  ASSERT_EQ(reader.open(path.string(), {}), FeedError::ok);
  EXPECT_EQ(frames_of(reader), std::vector<std::string>{"[]"});
  EXPECT_EQ(reader.wall_minus_mono_ns(), std::optional<int64_t>(99));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace pmx
