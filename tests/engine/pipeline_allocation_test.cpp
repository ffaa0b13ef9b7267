// Issue 7 item 9: the whole hot path, feed handle_frame -> StrategyStage -> GatewayStage ->
// PaperExchange -> reports, with shm publishing, the ops queue and client order ids, allocates
// nothing per message once warm. This binary links the counting global operator new of
// tests/common.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/shm/segment.h"

#include "../common/counting_allocator.h"
#include "pipeline_world.h"

namespace pmx {
namespace {

// The Kalshi capture with every "seq":N moved to N + offset, so a second pass continues the
// subscription's sequence instead of repeating it (a repeat is dropped as a duplicate).
std::vector<std::string> shifted(const std::vector<std::string>& lines, uint64_t offset) {
  std::vector<std::string> out;
  for (std::string line : lines) {
    const std::string key = "\"seq\":";
    const size_t at = line.find(key);
    if (at != std::string::npos) {
      const size_t begin = at + key.size();
      const size_t end = line.find_first_not_of("0123456789", begin);
      line.replace(begin, end - begin, std::to_string(std::stoull(line.substr(begin, end - begin)) + offset));
    }
    out.push_back(std::move(line));
  }
  return out;
}

TEST(PipelineAllocation, WholeHotPathAllocatesNothingPerMessageOnceWarm) {
  if (!test::have_recordings()) GTEST_SKIP() << "no recordings under " PMX_SHARED_DATA_DIR "/venues";
  const std::filesystem::path db =
      std::filesystem::temp_directory_path() / ("pmx-stages-alloc-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(db);
  {
    ClientOrderIdAllocator ids(db, 100'000);
    OpsQueue ops(1 << 17, 4);
    shm::Geometry geometry;
    geometry.tape_entries = 64;
    geometry.tape_bytes = 1 << 14;
    shm::StateWriter writer("t" + std::to_string(::getpid()) + "-alloc", geometry, shm::TradingMode::paper);
    test::PipelineWorldOptions options;
    options.shm = &writer;
    options.ops = &ops;
    options.ids = &ids;
    test::PipelineWorld world(options);
    const std::vector<std::string> second_pass = shifted(world.kalshi_lines, world.kalshi_lines.size());

    // Frames are built before counting: the test's own strings are not the pipeline's.
    const auto cycle_frames = [&](int n) {
      std::vector<std::string> frames;
      for (int i = 0; i < n; ++i) {
        frames.push_back(world.bundle.b0_best_no_bid(false));
        frames.push_back(world.bundle.b0_best_no_bid(true));
      }
      return frames;
    };
    const auto run = [&](const std::vector<std::string>& frames) {
      for (const std::string& frame : frames)
        world.kalshi(frame);
      world.settle();
    };
    world.replay_recordings();  // warm-up: buffers grow to the recordings' largest frames
    world.open_bundle();
    run(cycle_frames(20));
    const std::vector<std::string> counted_cycles = cycle_frames(200);

    const uint64_t events_before = world.strategy.counters().events;
    const uint64_t intents_before = world.strategy.counters().intents;
    const uint64_t before = test::allocation_count();
    const uint64_t queue_before = OpsQueueTraits::allocations.load();  // moodycamel's own malloc
    for (const std::string& line : second_pass)
      world.kalshi(line);
    for (const std::string& line : world.polymarket_lines)
      world.polymarket(line);
    run(counted_cycles);
    const uint64_t allocations = test::allocation_count() - before;

    const uint64_t events = world.strategy.counters().events - events_before;
    EXPECT_EQ(allocations, 0u) << "over " << events << " events";
    EXPECT_EQ(OpsQueueTraits::allocations.load(), queue_before);
    EXPECT_GT(events, 1'000u);
    EXPECT_EQ(world.strategy.counters().intents - intents_before, 600u) << "200 bundles, 3 legs each";
    EXPECT_EQ(world.gateway_stage.counters().terminal, world.gateway_stage.counters().intents);
    EXPECT_EQ(ops.dropped_relaxed(), 0u);
  }
  std::filesystem::remove(db);
  std::filesystem::remove(db.string() + "-wal");
  std::filesystem::remove(db.string() + "-shm");
}

}  // namespace
}  // namespace pmx
