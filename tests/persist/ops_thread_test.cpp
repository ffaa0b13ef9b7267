#include "pmx/persist/ops_thread.h"

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include "pmx/core/thread.h"

#include "persist_test_support.h"

namespace pmx {
namespace {

using test::query_int;
using test::ScratchDir;

OpsEvent decision_event(uint64_t sequence, uint16_t producer = 0) {
  AuditRecord r;
  r.kind = AuditKind::decision;
  r.intent_id = sequence;
  r.code = producer;
  r.ts = WallNanos{static_cast<int64_t>(sequence)};
  return OpsEvent::of(r);
}

TEST(OpsThread, StopWritesEverythingPushedBeforeIt) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  OpsQueue queue(8192);
  auto producer = queue.make_producer();
  OpsThread ops(queue, db, test::test_namer());
  ops.start();
  for (uint64_t k = 1; k <= 5000; ++k)
    ASSERT_TRUE(queue.try_push(producer, decision_event(k)));
  ops.stop();
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM audit"), 5000);
  EXPECT_EQ(ops.counters().events, 5000u);
}

TEST(OpsThread, WritesEventsInBatchedTransactions) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  OpsQueue queue(8192);
  auto producer = queue.make_producer();
  OpsThreadOptions options;
  options.max_batch_events = 100;
  OpsThread ops(queue, db, test::test_namer(), nullptr, options);
  for (uint64_t k = 1; k <= 1000; ++k)
    queue.try_push(producer, decision_event(k));
  while (ops.run_once() > 0) {
  }
  EXPECT_EQ(ops.counters().batches, 10u);
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM audit"), 1000);
}

TEST(OpsThread, TellsTheObserverOnlyAfterTheBatchIsCommitted) {
  ScratchDir dir;
  const auto path = dir.file("pmx.db");
  Database db(path);
  Database reader(path);  // another connection sees only committed rows
  OpsQueue queue(1024);
  auto producer = queue.make_producer();
  OpsThread ops(queue, db, test::test_namer());
  std::vector<int64_t> committed_when_told;
  ops.set_observer([&](const OpsEvent&) {
    committed_when_told.push_back(query_int(reader, "SELECT count(*) FROM audit"));
  });
  for (uint64_t k = 1; k <= 3; ++k)
    queue.try_push(producer, decision_event(k));
  ops.run_once();
  EXPECT_EQ(committed_when_told, (std::vector<int64_t>{3, 3, 3}));
}

TEST(OpsThread, KeepsQueueOrderForOneProducer) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  OpsQueue queue(1024);
  auto producer = queue.make_producer();
  OpsThread ops(queue, db, test::test_namer());
  std::vector<uint64_t> seen;
  ops.set_observer([&](const OpsEvent& e) { seen.push_back(e.payload.audit.intent_id); });
  for (uint64_t k = 1; k <= 300; ++k)
    queue.try_push(producer, decision_event(k));
  ops.run_once();
  ASSERT_EQ(seen.size(), 300u);
  for (uint64_t k = 0; k < seen.size(); ++k)
    EXPECT_EQ(seen[k], k + 1);
}

TEST(OpsThread, StopIsIdempotentAndSafeBeforeStart) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  OpsQueue queue(64);
  OpsThread ops(queue, db, test::test_namer());
  ops.stop();
  ops.start();
  ops.stop();
  ops.stop();
  EXPECT_EQ(ops.counters().events, 0u);
}

// Three hot threads push while the ops thread writes; after stop() every accepted event is a row
// and the rest are counted drops.
TEST(OpsThread, RunsOnTheCpuItWasPinnedTo) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  OpsQueue queue(64);
  auto producer = queue.make_producer();
  const CpuSet allowed = allowed_cpus();
  ASSERT_FALSE(allowed.empty());
  const int cpu = *allowed.cpus().rbegin();
  OpsThreadOptions options;
  options.cpu = cpu;
  OpsThread ops(queue, db, test::test_namer(), nullptr, options);
  std::atomic<int> observed_on{-2};
  ops.set_observer([&](const OpsEvent&) {
    cpu_set_t mask;
    CPU_ZERO(&mask);
    if (pthread_getaffinity_np(pthread_self(), sizeof mask, &mask) == 0 && CPU_COUNT(&mask) == 1 &&
        CPU_ISSET(cpu, &mask))
      observed_on.store(cpu);
  });
  ops.start();
  ASSERT_TRUE(queue.try_push(producer, decision_event(1)));
  ops.stop();
  EXPECT_EQ(observed_on.load(), cpu) << "the observer runs on the ops thread: its affinity is that one CPU";
}

TEST(OpsThread, RefusesToStartPinnedToACpuOutsideTheProcessMask) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  OpsQueue queue(64);
  OpsThreadOptions options;
  options.cpu = CPU_SETSIZE - 1;  // no test machine has it
  OpsThread ops(queue, db, test::test_namer(), nullptr, options);
  try {
    ops.start();
    FAIL() << "started although the CPU is not usable";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("ops thread: cannot pin to cpu"), std::string::npos) << e.what();
  }
  ops.stop();  // safe after a refused start
}

TEST(OpsThreadStress, EveryAcceptedEventFromManyProducersBecomesARow) {
  ScratchDir dir;
  Database db(dir.file("pmx.db"));
  constexpr int kProducers = 3;
  constexpr uint64_t kPerProducer = 20'000 / test::kStressDivisor;
  OpsQueue queue(4096, kProducers);
  std::vector<OpsQueue::Producer> producers;
  for (int p = 0; p < kProducers; ++p)
    producers.push_back(queue.make_producer());
  OpsThread ops(queue, db, test::test_namer());
  ops.start();
  std::vector<uint64_t> accepted(kProducers, 0);
  {
    std::vector<std::jthread> threads;
    for (int p = 0; p < kProducers; ++p)
      threads.emplace_back([&, p] {
        for (uint64_t k = 1; k <= kPerProducer; ++k)
          if (queue.try_push(producers[p], decision_event(k, static_cast<uint16_t>(p)))) ++accepted[p];
      });
  }
  ops.stop();
  uint64_t total = 0;
  for (int p = 0; p < kProducers; ++p) {
    EXPECT_EQ(query_int(db, "SELECT count(*) FROM audit WHERE code = " + std::to_string(p)),
              static_cast<int64_t>(accepted[p]));
    total += accepted[p];
  }
  EXPECT_EQ(total + queue.dropped_relaxed(), kProducers * kPerProducer);
  EXPECT_EQ(db.integrity_check(), "ok");
}

}  // namespace
}  // namespace pmx
