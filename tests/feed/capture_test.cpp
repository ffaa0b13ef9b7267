#include "pmx/feed/capture.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zstd.h>

#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

#include "feed_test_util.h"

namespace pmx {
namespace {

namespace fs = std::filesystem;

class CaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("pmx_capture_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }

  static void write_file(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  }

  struct Rec {
    int64_t ts;
    Venue venue;
    std::string frame;
    uint64_t line;
  };
  static std::vector<Rec> read_all(CaptureReader& r) {
    std::vector<Rec> out;
    CaptureRecord rec;
    while (r.next(rec)) {
      // The padding promise: kFramePadding bytes after the frame are readable.
      volatile char last = rec.frame.bytes.data()[rec.frame.bytes.size() + kFramePadding - 1];
      (void)last;
      out.push_back({rec.recv_ts.ns, rec.venue, std::string(rec.frame.bytes), rec.line_number});
    }
    return out;
  }

  fs::path dir;
};

CaptureReader::Options opts(size_t read_chunk, size_t max_line = kMaxLineBytes) {
  CaptureReader::Options o;
  o.read_chunk = read_chunk;
  o.max_line_bytes = max_line;
  return o;
}

const std::string kK =
    R"({"type":"orderbook_delta","sid":1,"seq":5,"msg":{"market_ticker":"A","price_dollars":"0.35","delta_fp":"-1.00","side":"yes"}})";
const std::string kP = R"({"event_type":"book","asset_id":"1","bids":[],"asks":[]})";

TEST_F(CaptureTest, RoundTripsPlainText) {
  const fs::path p = dir / "a.cap";
  {
    CaptureWriter w;
    ASSERT_EQ(w.open(p.string()), FeedError::ok);
    ASSERT_EQ(w.write(MonoNanos{123}, Venue::kalshi, kK), FeedError::ok);
    ASSERT_EQ(w.write(MonoNanos{124}, Venue::polymarket, kP), FeedError::ok);
    ASSERT_EQ(w.write(MonoNanos{125}, Venue::polymarket, "PONG"), FeedError::ok);
    ASSERT_EQ(w.close(), FeedError::ok);
  }
  CaptureReader r;
  ASSERT_EQ(r.open(p.string(), {}), FeedError::ok);
  const auto recs = read_all(r);
  ASSERT_EQ(recs.size(), 3U);
  EXPECT_EQ(recs[0].ts, 123);
  EXPECT_EQ(recs[0].venue, Venue::kalshi);
  EXPECT_EQ(recs[0].frame, kK);
  EXPECT_EQ(recs[1].venue, Venue::polymarket);
  EXPECT_EQ(recs[1].frame, kP);
  EXPECT_EQ(recs[2].frame, "PONG");
  EXPECT_EQ(recs[2].line, 3U);
  EXPECT_EQ(r.error(), FeedError::ok);
  EXPECT_EQ(r.counters().bad_lines, 0U);
}

TEST_F(CaptureTest, RoundTripsZstdWithSmallReadChunks) {
  const fs::path p = dir / "a.cap.zst";
  {
    CaptureWriter w;
    ASSERT_EQ(w.open(p.string()), FeedError::ok);
    for (int i = 0; i < 1000; ++i)
      ASSERT_EQ(w.write(MonoNanos{i}, Venue::kalshi, kK), FeedError::ok);
  }  // the destructor finishes the zstd frame
  CaptureReader r;
  ASSERT_EQ(r.open(p.string(), opts(100)), FeedError::ok);
  const auto recs = read_all(r);
  ASSERT_EQ(recs.size(), 1000U);
  EXPECT_EQ(recs[999].ts, 999);
  EXPECT_EQ(recs[999].frame, kK);
  EXPECT_EQ(r.error(), FeedError::ok);
  EXPECT_LT(fs::file_size(p), 1000 * kK.size() / 10);  // it really is compressed
}

std::string zstd_compress(const std::string& s) {
  std::string out(ZSTD_compressBound(s.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), s.data(), s.size(), 1));
  return out;
}

TEST_F(CaptureTest, ReadsConcatenatedZstdFrames) {
  const std::string a = "1\tkalshi\t" + kK + "\n2\tpolymarket\t" + kP + "\n";
  const std::string b = "3\tkalshi\t" + kK + "\n";
  const fs::path p = dir / "multi.zst";
  write_file(p, zstd_compress(a) + zstd_compress(b));
  CaptureReader r;
  ASSERT_EQ(r.open(p.string(), {}), FeedError::ok);
  const auto recs = read_all(r);
  ASSERT_EQ(recs.size(), 3U);
  EXPECT_EQ(recs[2].ts, 3);
  EXPECT_EQ(r.error(), FeedError::ok);
}

TEST_F(CaptureTest, ReportsTruncatedZstd) {
  std::string z = zstd_compress("1\tkalshi\t" + kK + "\n");
  z.resize(z.size() - 3);
  CaptureReader r;
  ASSERT_EQ(r.open_memory(z, true, {}), FeedError::ok);
  read_all(r);
  EXPECT_EQ(r.error(), FeedError::zstd_error);
}

TEST_F(CaptureTest, ReportsCorruptZstd) {
  CaptureReader r;
  ASSERT_EQ(r.open_memory("definitely not zstd", true, {}), FeedError::ok);
  EXPECT_TRUE(read_all(r).empty());
  EXPECT_EQ(r.error(), FeedError::zstd_error);
}

TEST_F(CaptureTest, CountsAndSkipsMalformedLines) {
  const std::string text = "1\tkalshi\t" + kK + "\n" +             // ok
                           "\n" +                                  // blank: skipped silently
                           "2\tbinance\t" + kK + "\n" +            // bad venue
                           "3kalshi\t" + kK + "\n" +               // no tab after ts
                           "4\tkalshi\t\n" +                       // empty frame
                           "99999999999999999999\tkalshi\t{}\n" +  // ts overflows
                           "5\tkalshi" + "\n" +                    // no frame column
                           kK + "\n" +                             // bare frame without a venue
                           "6\tpolymarket\t" + kP + "\r\n" +       // CRLF
                           "7\tkalshi\t" + kK;                     // last line without newline
  CaptureReader r;
  ASSERT_EQ(r.open_memory(text, false, opts(7)), FeedError::ok);
  const auto recs = read_all(r);
  ASSERT_EQ(recs.size(), 3U);
  EXPECT_EQ(recs[0].ts, 1);
  EXPECT_EQ(recs[1].ts, 6);
  EXPECT_EQ(recs[1].frame, kP);
  EXPECT_EQ(recs[1].line, 9U);
  EXPECT_EQ(recs[2].ts, 7);
  EXPECT_EQ(r.counters().lines, 10U);
  EXPECT_EQ(r.counters().blank_lines, 1U);
  EXPECT_EQ(r.counters().error_count(FeedError::bad_venue), 1U);
  EXPECT_EQ(r.counters().error_count(FeedError::malformed_line), 5U);
  EXPECT_EQ(r.counters().bad_lines, 6U);
  EXPECT_EQ(r.error(), FeedError::ok);
}

TEST_F(CaptureTest, SkipsLineLongerThanLimitAndCarriesOn) {
  std::string text = "1\tkalshi\t" + kK + "\n2\tkalshi\t{\"pad\":\"" + std::string(5000, 'x') +
                     "\"}\n3\tkalshi\t" + kK + "\n";
  CaptureReader r;
  ASSERT_EQ(r.open_memory(text, false, opts(64, 1000)), FeedError::ok);
  const auto recs = read_all(r);
  ASSERT_EQ(recs.size(), 2U);
  EXPECT_EQ(recs[0].ts, 1);
  EXPECT_EQ(recs[1].ts, 3);
  EXPECT_EQ(recs[1].line, 3U);
  EXPECT_EQ(r.counters().error_count(FeedError::line_too_long), 1U);
}

TEST_F(CaptureTest, HandlesTenMegabyteLineAndRejectsSeventeen) {
  const std::string ten = "1\tkalshi\t{\"pad\":\"" + std::string(size_t{10} << 20, 'x') + "\"}\n";
  const std::string seventeen = "2\tkalshi\t{\"pad\":\"" + std::string(size_t{17} << 20, 'y') + "\"}\n";
  const std::string text = ten + seventeen + "3\tkalshi\t" + kK + "\n";
  CaptureReader r;
  ASSERT_EQ(r.open_memory(text, false, {}), FeedError::ok);
  const auto recs = read_all(r);
  ASSERT_EQ(recs.size(), 2U);
  EXPECT_EQ(recs[0].frame.size(), ten.size() - 10);
  EXPECT_EQ(recs[1].ts, 3);
  EXPECT_EQ(r.counters().error_count(FeedError::line_too_long), 1U);
}

TEST_F(CaptureTest, WriterRefusesFramesWithNewlines) {
  CaptureWriter w;
  ASSERT_EQ(w.open((dir / "n.cap").string()), FeedError::ok);
  EXPECT_EQ(w.write(MonoNanos{1}, Venue::kalshi, "{\n}"), FeedError::frame_has_newline);
  EXPECT_EQ(w.write(MonoNanos{1}, Venue::kalshi, ""), FeedError::empty_frame);
}

TEST_F(CaptureTest, OpenReportsMissingFile) {
  CaptureReader r;
  EXPECT_EQ(r.open((dir / "nope.cap").string(), {}), FeedError::io_error);
  CaptureRecord rec;
  EXPECT_FALSE(r.next(rec));
}

// The recordings are bare frames, one per line; read them through the reader into the parsers.
TEST_F(CaptureTest, ReadsRealRecordingsAsBareFramesIntoParsers) {
  const auto kalshi = test::jsonl_files("kalshi");
  const auto poly = test::jsonl_files("polymarket");
  if (kalshi.empty() || poly.empty()) GTEST_SKIP() << "no recordings under " << test::venues_dir();
  size_t frames = 0;
  for (const auto& [files, venue] : {std::pair{kalshi, Venue::kalshi}, std::pair{poly, Venue::polymarket}}) {
    for (const auto& file : files) {
      InstrumentTable table;
      KalshiParser kp(table, {.register_unknown = true});
      PolymarketParser pp(table, {.register_unknown = true});
      CaptureReader r;
      ASSERT_EQ(r.open(file.string(), {.bare_venue = venue}), FeedError::ok);
      CaptureRecord rec;
      while (r.next(rec)) {
        const FeedError e =
            venue == Venue::kalshi ? kp.parse(rec.frame, rec.recv_ts) : pp.parse(rec.frame, rec.recv_ts);
        ASSERT_EQ(e, FeedError::ok) << file << " line " << rec.line_number;
        ++frames;
      }
      EXPECT_EQ(r.error(), FeedError::ok);
      EXPECT_EQ(r.counters().records, test::read_lines(file).size()) << file;
    }
  }
  EXPECT_GE(frames, 87U);
}

}  // namespace
}  // namespace pmx
