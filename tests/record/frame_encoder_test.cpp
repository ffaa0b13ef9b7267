#include "pmx/record/frame_encoder.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zstd.h>

#include "record_test_util.h"

namespace pmx::record {
namespace {

using record_test::Line;
using record_test::read_capture;

std::string compress(FrameEncoder& encoder) {
  std::string frame(encoder.max_frame_bytes(), '\0');
  size_t written = 0;
  EXPECT_EQ(encoder.compress({frame.data(), frame.size()}, written), RecordError::ok);
  frame.resize(written);
  return frame;
}

TEST(FrameEncoder, WritesCaptureLinesTheCaptureReaderReadsBackExactly) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  ASSERT_EQ(encoder.append(123'456'789, Venue::kalshi, R"({"type":"orderbook_delta"})"), RecordError::ok);
  ASSERT_EQ(encoder.append(123'456'790, Venue::polymarket, "PONG"), RecordError::ok);
  const auto contents = read_capture(compress(encoder));
  const std::vector<Line> expected = {{123'456'789, Venue::kalshi, R"({"type":"orderbook_delta"})"},
                                      {123'456'790, Venue::polymarket, "PONG"}};
  EXPECT_EQ(contents.lines, expected);
  EXPECT_EQ(contents.error, FeedError::ok);
}

TEST(FrameEncoder, CompressingEmptiesThePendingFrame) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  ASSERT_EQ(encoder.append(1, Venue::kalshi, "x"), RecordError::ok);
  EXPECT_EQ(encoder.pending_lines(), 1u);
  compress(encoder);
  EXPECT_EQ(encoder.pending_bytes(), 0u);
  EXPECT_EQ(encoder.pending_lines(), 0u);
}

TEST(FrameEncoder, EachFrameDecodesWithoutThePreviousOne) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  ASSERT_EQ(encoder.append(1, Venue::kalshi, "first frame, repeated text repeated text"), RecordError::ok);
  compress(encoder);
  ASSERT_EQ(encoder.append(2, Venue::kalshi, "first frame, repeated text repeated text"), RecordError::ok);
  const std::string second = compress(encoder);
  const auto contents = read_capture(second);
  ASSERT_EQ(contents.lines.size(), 1u);
  EXPECT_EQ(contents.lines[0].receive_ns, 2);
}

TEST(FrameEncoder, ReplacesLineBreaksInsideAMessageWithSpacesAndCountsIt) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  ASSERT_EQ(encoder.append(5, Venue::kalshi, "{\"a\":\r\n1}"), RecordError::ok);
  const auto contents = read_capture(compress(encoder));
  ASSERT_EQ(contents.lines.size(), 1u);
  EXPECT_EQ(contents.lines[0].frame, "{\"a\":  1}");
  EXPECT_EQ(encoder.rewritten(), 1u);
}

TEST(FrameEncoder, SkipsAndCountsAnEmptyMessage) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  EXPECT_EQ(encoder.append(5, Venue::kalshi, ""), RecordError::ok);
  EXPECT_EQ(encoder.pending_lines(), 0u);
  EXPECT_EQ(encoder.skipped_empty(), 1u);
}

TEST(FrameEncoder, WritesANegativeTimestampAsZero) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  ASSERT_EQ(encoder.append(-7, Venue::kalshi, "m"), RecordError::ok);
  const auto contents = read_capture(compress(encoder));
  ASSERT_EQ(contents.lines.size(), 1u);
  EXPECT_EQ(contents.lines[0].receive_ns, 0);
}

TEST(FrameEncoder, RefusesALineThatNoLongerFits) {
  FrameEncoder encoder(3, 1024, 1024);
  const std::string message(1000, 'm');
  RecordError e = RecordError::ok;
  int appended = 0;
  while ((e = encoder.append(1, Venue::kalshi, message)) == RecordError::ok)
    ++appended;
  EXPECT_EQ(e, RecordError::no_room);
  EXPECT_EQ(appended, 2) << "the flush size plus one largest message";
}

TEST(FrameEncoder, KeepsRoomForATrailerAfterTheLargestMessage) {
  FrameEncoder encoder(3, 1024, 4096);
  ASSERT_EQ(encoder.append(1, Venue::kalshi, std::string(1000, 'a')), RecordError::ok);
  ASSERT_FALSE(encoder.should_flush());
  ASSERT_EQ(encoder.append(2, Venue::polymarket, std::string(4096, 'b')), RecordError::ok);
  EXPECT_TRUE(encoder.should_flush());
  EXPECT_EQ(encoder.append_comment(std::string(500, 'c')), RecordError::ok);
}

TEST(FrameEncoder, WritesACommentLineTheCaptureReaderDoesNotReturn) {
  FrameEncoder encoder(3, 1 << 16, 1 << 12);
  ASSERT_EQ(encoder.append_comment("pmx-capture wall_minus_mono_ns=42"), RecordError::ok);
  ASSERT_EQ(encoder.append(1, Venue::kalshi, "m"), RecordError::ok);
  const std::string frame = compress(encoder);
  EXPECT_EQ(read_capture(frame).lines.size(), 1u);
  EXPECT_EQ(record_test::decompress_all(frame), "# pmx-capture wall_minus_mono_ns=42\n1\tkalshi\tm\n");
}

}  // namespace
}  // namespace pmx::record
