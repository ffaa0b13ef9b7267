// TapeRecorder over a tape written in-process (TapeWriter over private memory), with the time
// passed in: what comes back from the files, overrun accounting, rotation, crash truncation and
// the two I/O backends.
#include "pmx/record/tape_recorder.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "pmx/core/clock.h"

#include "record_test_util.h"

namespace pmx::record {
namespace {

using record_test::comment_lines;
using record_test::file_bytes;
using record_test::files_in;
using record_test::Line;
using record_test::LocalTape;
using record_test::read_capture;
using record_test::read_capture_file;
using record_test::ScratchDir;

constexpr MonoNanos kMono{5'000 * pmx::kNanosPerSecond};
constexpr WallNanos kWall{1'795'528'800 * pmx::kNanosPerSecond};  // 2026-11-24 14:00:00 UTC

RecorderOptions options_for(const ScratchDir& dir) {
  RecorderOptions o;
  o.directory = dir.path().string();
  o.instance = "t";
  o.frame_bytes = 4096;
  o.write_buffers = 2;
  return o;
}

// Message n: a Kalshi-like delta whose text carries n, lengths varying with n.
std::string message(uint64_t n) {
  return fmt::format(R"({{"type":"orderbook_delta","sid":1,"seq":{},"msg":{{"pad":"{}"}}}})", n,
                     std::string(n % 97, 'x'));
}

std::vector<Line> write_messages(LocalTape& tape, uint64_t first, uint64_t count) {
  std::vector<Line> lines;
  for (uint64_t n = first; n < first + count; ++n) {
    const auto ts = static_cast<int64_t>(1'000'000 + n);
    tape.writer.append(message(n), ts);
    lines.push_back(Line{ts, Venue::kalshi, message(n)});
  }
  return lines;
}

// Polls until the tape is read to its end, at a fixed time.
void drain(TapeRecorder& recorder, MonoNanos mono = kMono, WallNanos wall = kWall) {
  while (recorder.poll(mono, wall) > 0 || recorder.backlog() > 0) {
  }
}

std::vector<Line> all_lines(const std::vector<std::string>& files) {
  std::vector<Line> lines;
  for (const auto& f : files) {
    const auto c = read_capture_file(f);
    EXPECT_EQ(c.error, FeedError::ok) << f;
    lines.insert(lines.end(), c.lines.begin(), c.lines.end());
  }
  return lines;
}

TEST(TapeRecorder, EveryMessageComesBackByteIdenticalWithItsTimestamp) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  const auto written = write_messages(tape, 0, 500);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  ASSERT_EQ(recorder.files().size(), 1u);
  EXPECT_EQ(all_lines(recorder.files()), written);
  EXPECT_EQ(recorder.counters().messages, 500u);
  EXPECT_EQ(recorder.counters().lost, 0u);
}

TEST(TapeRecorder, StartsAFileWithTheWallMinusMonoHeaderAndEndsItWithATrailer) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::polymarket);
  tape.writer.append("m", 1);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  const auto comments = comment_lines(recorder.files().at(0));
  ASSERT_EQ(comments.size(), 2u);
  EXPECT_EQ(comments[0], fmt::format("pmx-capture v=1 wall_minus_mono_ns={}", kWall.ns - kMono.ns));
  EXPECT_EQ(comments[1], "pmx-capture end messages=1 lost=0 frames=1 rewritten=0 too_large=0");
}

TEST(TapeRecorder, WritesTheHeaderTheCaptureReaderTakesWallTimeFrom) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  tape.writer.append("m", 1);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  CaptureReader reader;
  ASSERT_EQ(reader.open(recorder.files().at(0), {}), FeedError::ok);
  CaptureRecord record;
  while (reader.next(record)) {
  }
  EXPECT_EQ(reader.wall_minus_mono_ns(), kWall.ns - kMono.ns);
  EXPECT_EQ(reader.counters().bad_headers, 0u);
  EXPECT_EQ(reader.counters().comment_lines, 2u) << "header and trailer";
}

TEST(TapeRecorder, NamesTheFileAfterInstanceVenueAndTime) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::polymarket);
  tape.writer.append("m", 1);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  drain(recorder);
  ASSERT_EQ(recorder.files().size(), 1u);
  EXPECT_EQ(recorder.files()[0], (dir / "t-polymarket-20261124T140000Z.cap.zst").string());
}

TEST(TapeRecorder, CreatesNoFileForATapeWithNothingNew) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  tape.writer.append("m", 1);
  RecorderOptions o = options_for(dir);
  TapeRecorder recorder(tape.memory(), o);
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  recorder.poll(kMono, kWall);
  EXPECT_EQ(files_in(dir.path()).size(), 1u);
}

TEST(TapeRecorder, CountsAnOverrunExactlyAndKeepsTheNewestMessages) {
  ScratchDir dir;
  LocalTape tape(16, 1 << 12, Venue::kalshi);  // 16 entries: most of 100 messages are overwritten
  TapeRecorder recorder(tape.memory(), options_for(dir));
  const auto first = write_messages(tape, 0, 1);  // the recorder is positioned at message 0
  const auto written = write_messages(tape, 1, 99);
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  const auto lines = all_lines(recorder.files());
  EXPECT_EQ(recorder.counters().messages + recorder.counters().lost, 100u);
  EXPECT_EQ(recorder.counters().lost, 100u - lines.size());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(std::vector<Line>(written.end() - static_cast<long>(lines.size()), written.end()), lines)
      << "what survives is the newest messages, in order";
  EXPECT_EQ(comment_lines(recorder.files()[0]).back(),
            fmt::format("pmx-capture end messages={} lost={} frames=1 rewritten=0 too_large=0", lines.size(),
                        recorder.counters().lost));
}

TEST(TapeRecorder, CountsMessagesTheEngineCouldNotPutOnTheTape) {
  ScratchDir dir;
  LocalTape tape(16, 1 << 10, Venue::kalshi);
  tape.writer.append("m", 1);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  tape.writer.append(std::string(600, 'z'), 2);  // more than half the data area
  drain(recorder);
  EXPECT_EQ(recorder.counters().too_large, 1u);
  EXPECT_EQ(recorder.counters().lost, 0u);
}

TEST(TapeRecorder, RotatesBySizeIntoFilesThatEachDecodeAlone) {
  ScratchDir dir;
  LocalTape tape(4096, 1 << 20, Venue::kalshi);
  RecorderOptions o = options_for(dir);
  o.rotation.max_bytes = 1;         // a file ends at the first poll after its first frame
  o.frame_bytes = size_t{1} << 20;  // each round is one frame, written by the interval rule
  TapeRecorder recorder(tape.memory(), o);
  std::vector<Line> written;
  for (int round = 0; round < 4; ++round) {
    const auto more = write_messages(tape, static_cast<uint64_t>(round) * 200, 200);
    written.insert(written.end(), more.begin(), more.end());
    // A second apart: the first poll reads the round, the second writes its frame; the next
    // round's first poll closes the file and opens another.
    const MonoNanos mono{kMono.ns + round * pmx::kNanosPerSecond};
    recorder.poll(mono, WallNanos{kWall.ns + round * pmx::kNanosPerSecond});
    recorder.poll(MonoNanos{mono.ns + pmx::kNanosPerSecond},
                  WallNanos{kWall.ns + round * pmx::kNanosPerSecond});
  }
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  ASSERT_EQ(recorder.files().size(), 4u);
  for (const auto& f : recorder.files()) {
    const auto c = read_capture_file(f);
    EXPECT_EQ(c.error, FeedError::ok);
    EXPECT_EQ(c.lines.size(), 200u) << f;
    EXPECT_EQ(comment_lines(f).size(), 2u) << "header and trailer in " << f;
  }
  EXPECT_EQ(all_lines(recorder.files()), written);
}

TEST(TapeRecorder, RotatesWhenTheUtcHourChanges) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  write_messages(tape, 0, 3);
  drain(recorder, kMono, WallNanos{kWall.ns - pmx::kNanosPerSecond});  // 13:59:59
  write_messages(tape, 3, 3);
  drain(recorder, kMono, kWall);  // 14:00:00
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  ASSERT_EQ(recorder.files().size(), 2u);
  EXPECT_NE(recorder.files()[0].find("T135959Z"), std::string::npos);
  EXPECT_NE(recorder.files()[1].find("T140000Z"), std::string::npos);
  EXPECT_EQ(read_capture_file(recorder.files()[0]).lines.size(), 3u);
  EXPECT_EQ(read_capture_file(recorder.files()[1]).lines.size(), 3u);
}

TEST(TapeRecorder, WritesASmallFrameOnceItIsOneIntervalOld) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  write_messages(tape, 0, 2);
  drain(recorder);
  EXPECT_EQ(recorder.counters().frames, 0u) << "a small frame waits for its interval";
  recorder.poll(MonoNanos{kMono.ns + pmx::kNanosPerSecond - 1}, kWall);
  EXPECT_EQ(recorder.counters().frames, 0u);
  recorder.poll(MonoNanos{kMono.ns + pmx::kNanosPerSecond}, kWall);
  EXPECT_EQ(recorder.counters().frames, 1u);
}

TEST(TapeRecorder, ACutInTheLastFrameLosesOnlyThatFrame) {
  ScratchDir dir;
  LocalTape tape(4096, 1 << 20, Venue::kalshi);
  RecorderOptions o = options_for(dir);
  o.frame_bytes = 2048;  // about 25 messages per frame
  TapeRecorder recorder(tape.memory(), o);
  const auto written = write_messages(tape, 0, 400);
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  ASSERT_GT(recorder.counters().frames, 5u);

  // Where frames end: decode frame by frame to find the last frame's start and its line count.
  const std::string whole = file_bytes(recorder.files()[0]);
  size_t offset = 0, last_start = 0;
  while (offset < whole.size()) {
    last_start = offset;
    offset += ZSTD_findFrameCompressedSize(whole.data() + offset, whole.size() - offset);
  }
  const size_t lines_before_last = read_capture(whole.substr(0, last_start)).lines.size();

  const std::string cut = whole.substr(0, last_start + (whole.size() - last_start) / 2);  // a crash
  const auto contents = read_capture(cut);
  EXPECT_EQ(contents.error, FeedError::zstd_error) << "the truncated frame is reported";
  ASSERT_GE(contents.lines.size(), lines_before_last);
  EXPECT_EQ(contents.lines,
            std::vector<Line>(written.begin(), written.begin() + static_cast<long>(contents.lines.size())))
      << "everything before the cut comes back intact";
}

TEST(TapeRecorder, IoUringAndPwritePathsProduceIdenticalFiles) {
  ScratchDir uring_dir, plain_dir_parent;
  const auto plain_dir = plain_dir_parent / "plain";
  std::filesystem::create_directories(plain_dir);
  LocalTape tape(4096, 1 << 20, Venue::polymarket);
  write_messages(tape, 0, 2000);
  RecorderOptions a = options_for(uring_dir);
  a.backend = IoBackend::io_uring;
  RecorderOptions b = a;
  b.directory = plain_dir.string();
  b.backend = IoBackend::pwrite;
  TapeRecorder uring(tape.memory(), a), plain(tape.memory(), b);
  drain(uring);
  drain(plain);
  ASSERT_EQ(uring.finish(), RecordError::ok);
  ASSERT_EQ(plain.finish(), RecordError::ok);
  EXPECT_EQ(plain.backend(), IoBackend::pwrite);
  ASSERT_EQ(uring.files().size(), 1u);
  ASSERT_EQ(plain.files().size(), 1u);
  EXPECT_GT(uring.counters().frames, 10u);
  EXPECT_EQ(file_bytes(uring.files()[0]), file_bytes(plain.files()[0]));
  EXPECT_EQ(std::filesystem::path(uring.files()[0]).filename(),
            std::filesystem::path(plain.files()[0]).filename());
}

TEST(TapeRecorder, NeverOverwritesAFileStartedInTheSameSecond) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  RecorderOptions o = options_for(dir);
  o.rotation.max_bytes = 1;
  TapeRecorder recorder(tape.memory(), o);
  for (int round = 0; round < 3; ++round) {
    write_messages(tape, static_cast<uint64_t>(round), 1);
    drain(recorder, MonoNanos{kMono.ns + round * pmx::kNanosPerSecond}, kWall);
    recorder.poll(MonoNanos{kMono.ns + round * pmx::kNanosPerSecond + pmx::kNanosPerSecond}, kWall);
  }
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  ASSERT_EQ(recorder.files().size(), 3u);
  EXPECT_EQ(std::filesystem::path(recorder.files()[1]).filename(), "t-kalshi-20261124T140000Z-1.cap.zst");
  EXPECT_EQ(all_lines(recorder.files()).size(), 3u);
}

TEST(TapeRecorder, RereadsATapeTheEngineRecreated) {
  ScratchDir dir;
  LocalTape tape(1024, 1 << 16, Venue::kalshi);
  write_messages(tape, 0, 10);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  drain(recorder);
  // The feed restarts and builds a new TapeWriter over the same memory: head starts again at 0.
  tape.writer = shm::TapeWriter(const_cast<void*>(tape.memory()), 1024, 1 << 16, 0);
  const auto again = write_messages(tape, 100, 3);
  drain(recorder);
  ASSERT_EQ(recorder.finish(), RecordError::ok);
  EXPECT_EQ(recorder.counters().tape_restarts, 1u);
  EXPECT_EQ(recorder.counters().messages, 13u);
  EXPECT_EQ(recorder.counters().lost, 0u);
}

// A writer thread appends as fast as it can to a tape far too small for the reader to keep up;
// the recorder polls on this thread. Whatever it recorded must be intact and in order, and
// recorded + lost must be exactly what was written.
TEST(TapeRecorderStress, RecordedPlusLostIsExactlyWhatAConcurrentWriterWrote) {
  ScratchDir dir;
  LocalTape tape(64, 1 << 12, Venue::kalshi);
  constexpr uint64_t kMessages = 200'000;
  tape.writer.append(message(0), 1'000'000);
  TapeRecorder recorder(tape.memory(), options_for(dir));
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (uint64_t n = 1; n < kMessages; ++n)
      tape.writer.append(message(n), static_cast<int64_t>(1'000'000 + n));
    done.store(true, std::memory_order_release);
  });
  int64_t t = kMono.ns;
  while (!done.load(std::memory_order_acquire))
    recorder.poll(MonoNanos{t += 1000}, kWall);
  writer.join();
  drain(recorder, MonoNanos{t}, kWall);
  ASSERT_EQ(recorder.finish(), RecordError::ok);

  const auto lines = all_lines(recorder.files());
  EXPECT_EQ(lines.size(), recorder.counters().messages);
  EXPECT_EQ(recorder.counters().messages + recorder.counters().lost, kMessages);
  int64_t previous = -1;
  for (const Line& line : lines) {
    const int64_t n = line.receive_ns - 1'000'000;
    ASSERT_GT(n, previous) << "in order, no message twice";
    ASSERT_EQ(line.frame, message(static_cast<uint64_t>(n))) << "intact: message " << n;
    previous = n;
  }
}

}  // namespace
}  // namespace pmx::record
