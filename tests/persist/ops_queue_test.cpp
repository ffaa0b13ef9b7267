#include "pmx/persist/ops_queue.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "persist_test_support.h"

namespace pmx {
namespace {

OpsEvent audit_event(uint64_t sequence, uint16_t producer = 0) {
  AuditRecord r;
  r.intent_id = sequence;
  r.code = producer;
  return OpsEvent::of(r);
}

TEST(OpsQueue, EventRoundTripsItsKindAndPayload) {
  OrderSubmittedRecord r;
  r.intent.intent_id = 42;
  r.intent.qty = Qty::contracts(10);
  r.client_order_id = format_client_order_id(1, 42);
  const OpsEvent e = OpsEvent::of(r);
  EXPECT_EQ(e.kind, OpsEventKind::order_submitted);
  EXPECT_EQ(e.payload.order_submitted.intent, r.intent);
  EXPECT_EQ(e.payload.order_submitted.client_order_id.view(), "pmx-1-42");
}

TEST(OpsQueue, CopyTextTruncatesAtACharacterBoundary) {
  char text[6];
  copy_text(text, "ab\xC3\xA9\xC3\xA9");  // "abéé": 6 bytes, 5 fit, the second é must not be cut
  EXPECT_EQ(text_view(text), "ab\xC3\xA9");
}

TEST(OpsQueue, DeliversOneProducersEventsInOrder) {
  OpsQueue queue(1024);
  auto producer = queue.make_producer();
  for (uint64_t k = 0; k < 500; ++k)
    ASSERT_TRUE(queue.try_push(producer, audit_event(k)));
  std::vector<OpsEvent> out(1024);
  const size_t got = queue.try_pop_bulk(out.data(), out.size());
  ASSERT_EQ(got, 500u);
  for (uint64_t k = 0; k < got; ++k)
    EXPECT_EQ(out[k].payload.audit.intent_id, k);
}

TEST(OpsQueue, CountsADropInsteadOfWaitingWhenFull) {
  OpsQueue queue(OpsQueue::kBlockSize * 2, 1);
  auto producer = queue.make_producer();
  uint64_t accepted = 0;
  for (uint64_t k = 0; k < 10'000; ++k)
    accepted += queue.try_push(producer, audit_event(k)) ? 1 : 0;
  EXPECT_LT(accepted, 10'000u);
  EXPECT_GE(accepted, OpsQueue::kBlockSize * 2);
  EXPECT_EQ(queue.dropped_relaxed(), 10'000u - accepted);
}

TEST(OpsQueue, MakesRoomAgainOnceTheConsumerDrains) {
  OpsQueue queue(OpsQueue::kBlockSize * 2, 1);
  auto producer = queue.make_producer();
  while (queue.try_push(producer, audit_event(0))) {
  }
  std::vector<OpsEvent> out(4096);
  while (queue.try_pop_bulk(out.data(), out.size()) > 0) {
  }
  EXPECT_TRUE(queue.try_push(producer, audit_event(1)));
}

TEST(OpsQueue, PushNeverAllocatesAfterWarmUp) {
  OpsQueue queue(4096, 2);
  auto producer = queue.make_producer();
  std::vector<OpsEvent> out(4096);
  const uint64_t before = OpsQueueTraits::allocations.load();
  for (int round = 0; round < 5; ++round) {  // fill past capacity (drops), drain, repeat
    for (uint64_t k = 0; k < 10'000; ++k)
      queue.try_push(producer, audit_event(k));
    while (queue.try_pop_bulk(out.data(), out.size()) > 0) {
    }
  }
  EXPECT_EQ(OpsQueueTraits::allocations.load(), before);
}

TEST(OpsQueue, RefusesAZeroCapacity) {
  EXPECT_THROW(OpsQueue(0), std::invalid_argument);
}

// Four producers race one consumer; every event either arrives, in its producer's order, or is
// counted as dropped.
TEST(OpsQueueStress, EveryEventArrivesInProducerOrderOrIsCountedAsDropped) {
  constexpr int kProducers = 4;
  constexpr uint64_t kPerProducer = 200'000 / test::kStressDivisor;
  OpsQueue queue(8192, kProducers);
  std::vector<OpsQueue::Producer> producers;
  for (int p = 0; p < kProducers; ++p)
    producers.push_back(queue.make_producer());

  std::vector<uint64_t> accepted(kProducers, 0);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p)
    threads.emplace_back([&, p] {
      for (uint64_t k = 0; k < kPerProducer; ++k)
        if (queue.try_push(producers[p], audit_event(k, static_cast<uint16_t>(p)))) ++accepted[p];
    });

  std::vector<int64_t> last(kProducers, -1);
  std::vector<uint64_t> received(kProducers, 0);
  std::vector<OpsEvent> out(1024);
  bool in_order = true;
  const auto drain = [&] {
    const size_t got = queue.try_pop_bulk(out.data(), out.size());
    for (size_t k = 0; k < got; ++k) {
      const int p = out[k].payload.audit.code;
      const auto seq = static_cast<int64_t>(out[k].payload.audit.intent_id);
      in_order = in_order && seq > last[p];
      last[p] = seq;
      ++received[p];
    }
    return got;
  };
  uint64_t total_received = 0;
  while (total_received + queue.dropped_relaxed() < kProducers * kPerProducer)
    total_received += drain();
  for (auto& t : threads)
    t.join();
  while (drain() > 0) {
  }

  EXPECT_TRUE(in_order);
  uint64_t total_accepted = 0;
  for (int p = 0; p < kProducers; ++p) {
    EXPECT_EQ(received[p], accepted[p]) << "producer " << p;
    total_accepted += accepted[p];
  }
  EXPECT_EQ(total_accepted + queue.dropped_relaxed(), kProducers * kPerProducer);
}

}  // namespace
}  // namespace pmx
