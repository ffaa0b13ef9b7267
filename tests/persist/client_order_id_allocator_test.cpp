#include "pmx/persist/client_order_id_allocator.h"

#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pmx/core/clock.h"
#include "pmx/persist/ops_thread.h"

#include "persist_test_support.h"

namespace pmx {
namespace {

using test::query_int;
using test::ScratchDir;

std::vector<std::string> allocate(ClientOrderIdAllocator& allocator, int n) {
  std::vector<std::string> ids;
  for (int k = 0; k < n; ++k) {
    const auto id = allocator.next();
    EXPECT_TRUE(id.has_value());
    if (id) ids.emplace_back(id->id.view());
  }
  return ids;
}

TEST(ClientOrderIdAllocator, HandsOutConsecutiveSequencesUnderTheDatabaseEpoch) {
  ScratchDir dir;
  ClientOrderIdAllocator allocator(dir.file("pmx.db"), 100);
  const auto first = allocator.next();
  const auto second = allocator.next();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(second->sequence, first->sequence + 1);
  EXPECT_EQ(first->id, format_client_order_id(allocator.epoch(), first->sequence));
}

TEST(ClientOrderIdAllocator, ReservesTheBlockDurablyBeforeHandingOutIds) {
  ScratchDir dir;
  ClientOrderIdAllocator allocator(dir.file("pmx.db"), 100);
  Database other(dir.file("pmx.db"));
  EXPECT_EQ(other.load_state("client_order_id_next"), "101");
}

TEST(ClientOrderIdAllocator, NeverReusesAnIdAfterACrash) {
  ScratchDir dir;
  std::set<std::string> seen;
  for (int run = 0; run < 5; ++run) {
    // Destroyed without any clean shutdown: exactly what a crash leaves on disk.
    ClientOrderIdAllocator allocator(dir.file("pmx.db"), 100);
    for (const auto& id : allocate(allocator, 250))
      EXPECT_TRUE(seen.insert(id).second) << id << " issued twice";
  }
  EXPECT_EQ(seen.size(), 5u * 250u);
}

TEST(ClientOrderIdAllocator, ReservesTheNextBlockAheadOnceHalfIsUsed) {
  ScratchDir dir;
  ClientOrderIdAllocator allocator(dir.file("pmx.db"), 100);
  EXPECT_FALSE(allocator.reserve_ahead());  // nothing used yet
  allocate(allocator, 51);
  EXPECT_TRUE(allocator.reserve_ahead());
  EXPECT_FALSE(allocator.reserve_ahead());  // one spare at a time
  allocate(allocator, 149);                 // through the end of the first block and into the spare
  EXPECT_EQ(allocator.blocks_reserved(), 2u);
  EXPECT_EQ(allocator.synchronous_reservations(), 0u);
}

TEST(ClientOrderIdAllocator, ReservesSynchronouslyWhenNoSpareIsReady) {
  ScratchDir dir;
  ClientOrderIdAllocator allocator(dir.file("pmx.db"), 10);
  const auto ids = allocate(allocator, 25);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 25u);
  EXPECT_EQ(allocator.synchronous_reservations(), 2u);
}

// The gateway allocates while the ops thread reserves ahead between its batches.
TEST(ClientOrderIdAllocatorStress, AllocatingWhileTheOpsThreadReservesNeverDuplicates) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  ClientOrderIdAllocator allocator(dir.file("pmx.db"), 64);
  OpsQueue queue(64);
  OpsThreadOptions options;
  options.idle_poll = std::chrono::milliseconds(0);
  OpsThread ops(queue, db, test::test_namer(), &allocator, options);
  ops.start();
  std::set<uint64_t> sequences;
  for (int k = 0; k < 10'000; ++k) {
    const auto id = allocator.next();
    ASSERT_TRUE(id.has_value());
    ASSERT_TRUE(sequences.insert(id->sequence).second) << id->sequence;
  }
  ops.stop();
  EXPECT_GT(allocator.blocks_reserved(), 10'000u / 64);
  EXPECT_EQ(allocator.reservation_failures(), 0u);
}

// A child process allocates ids, records each through the ops queue and reports it on a pipe;
// the parent SIGKILLs it mid-stream, several times, reopening the same file each time.
TEST(ClientOrderIdAllocatorCrash, SigkilledProcessesNeverIssueAnIdTwice) {
  ScratchDir dir;
  const auto path = dir.file("pmx.db");
  std::set<std::string> issued;
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(fds[0]);
      try {
        Database db(path);
        ClientOrderIdAllocator allocator(path, 500);
        OpsQueue queue(8192);
        auto producer = queue.make_producer();
        OpsThread ops(queue, db, test::test_namer(), &allocator);
        ops.start();
        for (;;) {  // until killed
          const auto id = allocator.next();
          if (!id) ::_exit(3);
          OrderSubmittedRecord r;
          r.intent.intent_id = id->sequence;
          r.intent.instrument = InstrumentId{0};
          r.intent.qty = Qty::contracts(1);
          r.client_order_id = id->id;
          r.submitted_ts = wall_now();
          if (!queue.try_push(producer, OpsEvent::of(r))) continue;  // not recorded: not "sent"
          char line[ClientOrderId::kCapacity + 1];
          const int n = std::snprintf(line, sizeof line, "%s\n", id->id.text);
          if (::write(fds[1], line, static_cast<size_t>(n)) != n) ::_exit(4);
        }
      } catch (...) {
        ::_exit(2);
      }
    }
    ::close(fds[1]);
    FILE* in = ::fdopen(fds[0], "r");
    ASSERT_NE(in, nullptr);
    // Kill at a different point each round, past at least one block boundary.
    const int kill_after = 700 + round * 450;
    char line[64];
    int read_ids = 0;
    while (read_ids < kill_after && std::fgets(line, sizeof line, in) != nullptr) {
      std::string id(line);
      if (!id.empty() && id.back() == '\n') id.pop_back();
      EXPECT_TRUE(issued.insert(id).second) << id << " issued twice";
      ++read_ids;
    }
    ASSERT_EQ(read_ids, kill_after) << "the child stopped early";
    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    // Ids the child issued after our last read are lost to us; they are in the database if recorded.
    std::fclose(in);

    Database db(path);
    EXPECT_EQ(db.integrity_check(), "ok");
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM orders"),
              query_int(db, "SELECT count(DISTINCT client_order_id) FROM orders"));
  }
  // Every id recorded in the database, and every id the parent now allocates, is new.
  Database db(path);
  Statement recorded = db.prepare("SELECT client_order_id FROM orders");
  std::set<std::string> all = issued;
  while (recorded.step() == SQLITE_ROW)
    all.insert(std::string(recorded.column_text(0)));
  ClientOrderIdAllocator allocator(path, 500);
  for (const auto& id : allocate(allocator, 1000))
    EXPECT_TRUE(all.insert(id).second) << id << " reused after crash";
}

}  // namespace
}  // namespace pmx
