// Parsing must not allocate once warmed up. This binary links the counting global operator new of
// tests/common, parses every frame of the real recordings once to
// warm the buffers up, then parses them all again between two reads of the counter.
//
// Engine settings: register_unknown = false, with every instrument registered beforehand (the
// engine's REST bootstrap; here a registering parser's pass over the same frames).
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/feed/instrument_table.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/padded_frame.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

#include "../common/counting_allocator.h"
#include "feed_test_util.h"

namespace pmx {
namespace {

// Every line of a venue's recordings, each in its own string with kFramePadding bytes after it.
struct Frames {
  std::vector<std::string> storage;
  std::vector<PaddedFrame> frames;
};

Frames load_frames(const std::string& venue) {
  Frames f;
  std::vector<size_t> sizes;
  for (const auto& file : test::jsonl_files(venue)) {
    for (std::string& line : test::read_lines(file)) {
      sizes.push_back(line.size());
      line.append(kFramePadding, ' ');
      f.storage.push_back(std::move(line));
    }
  }
  for (size_t i = 0; i < sizes.size(); ++i) {  // storage is complete: the views stay valid
    f.frames.push_back(PaddedFrame::in_place(std::string_view(f.storage[i].data(), sizes[i])));
  }
  return f;
}

// Registers every instrument, warms an engine parser up, then counts the allocations of a second
// pass. Returns the events of that pass through `events`.
template <typename Parser>
uint64_t allocations_of_second_pass(const Frames& f, uint64_t& events, uint64_t& unknown) {
  InstrumentTable table;
  {
    Parser bootstrap(table, ParserOptions{.register_unknown = true});
    for (const PaddedFrame& frame : f.frames)
      EXPECT_EQ(bootstrap.parse(frame, MonoNanos{1}), FeedError::ok);
  }
  Parser parser(table, ParserOptions{.register_unknown = false});
  for (const PaddedFrame& frame : f.frames)
    EXPECT_EQ(parser.parse(frame, MonoNanos{2}), FeedError::ok);

  const uint64_t events_before = parser.counters().events;
  const uint64_t unknown_before = parser.counters().unknown_instruments;
  const uint64_t before = test::allocation_count();
  for (const PaddedFrame& frame : f.frames) {
    if (parser.parse(frame, MonoNanos{3}) != FeedError::ok) ADD_FAILURE() << frame.bytes.substr(0, 160);
  }
  const uint64_t after = test::allocation_count();
  events = parser.counters().events - events_before;
  unknown = parser.counters().unknown_instruments - unknown_before;
  return after - before;
}

TEST(FeedAllocation, KalshiParserAllocatesNothingOnceWarm) {
  const Frames f = load_frames("kalshi");
  if (f.frames.empty())
    GTEST_SKIP() << "no Kalshi recordings under " << test::venues_dir() << " (PMX_SHARED_DATA_DIR)";
  uint64_t events = 0, unknown = 0;
  EXPECT_EQ(allocations_of_second_pass<KalshiParser>(f, events, unknown), 0U);
  EXPECT_GT(events, 0U);
  EXPECT_EQ(unknown, 0U);
}

TEST(FeedAllocation, PolymarketParserAllocatesNothingOnceWarm) {
  const Frames f = load_frames("polymarket");
  if (f.frames.empty()) {
    GTEST_SKIP() << "no Polymarket recordings under " << test::venues_dir() << " (PMX_SHARED_DATA_DIR)";
  }
  uint64_t events = 0, unknown = 0;
  EXPECT_EQ(allocations_of_second_pass<PolymarketParser>(f, events, unknown), 0U);
  EXPECT_GT(events, 0U);
  EXPECT_EQ(unknown, 0U);
}

TEST(FeedAllocation, CounterSeesAllocations) {
  const uint64_t before = test::allocation_count();
  InstrumentTable table;
  table.add(Venue::polymarket, "123");
  EXPECT_GT(test::allocation_count(), before);
}

}  // namespace
}  // namespace pmx
