#include "pmx/ring/spsc_ring.h"

#include <cstdint>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pmx {
namespace {

struct alignas(64) Event64 {
  uint64_t sequence;
  uint64_t payload[7];
};
static_assert(sizeof(Event64) == 64);

TEST(SpscRing, StartsEmpty) {
  SpscRingBuffer<int> ring(8);
  int out = -1;
  EXPECT_FALSE(ring->try_pop(out));
  EXPECT_EQ(ring->front(), nullptr);
  EXPECT_EQ(ring->size_approx(), 0u);
  EXPECT_EQ(ring->capacity(), 8u);
}

TEST(SpscRing, PopsInPushOrder) {
  SpscRingBuffer<int> ring(8);
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(ring->try_push(i));
  for (int i = 0; i < 5; ++i) {
    int out = -1;
    ASSERT_TRUE(ring->try_pop(out));
    EXPECT_EQ(out, i);
  }
  int out = -1;
  EXPECT_FALSE(ring->try_pop(out));
}

TEST(SpscRing, UsesEverySlotAndRefusesWhenFull) {
  SpscRingBuffer<int> ring(4);
  for (int i = 0; i < 4; ++i)
    ASSERT_TRUE(ring->try_push(i));
  EXPECT_FALSE(ring->try_push(99));
  EXPECT_EQ(ring->try_claim(), nullptr);
  EXPECT_EQ(ring->size_approx(), 4u);
  int out = -1;
  ASSERT_TRUE(ring->try_pop(out));
  EXPECT_EQ(out, 0);
  EXPECT_TRUE(ring->try_push(4));  // the freed slot is usable again
  EXPECT_FALSE(ring->try_push(5));
}

TEST(SpscRing, WrapsAroundManyTimesKeepingOrder) {
  SpscRingBuffer<uint64_t> ring(4);
  uint64_t next_pop = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    ASSERT_TRUE(ring->try_push(i));
    if (i % 3 == 2) {  // drain in uneven steps so the indices cross the end at every offset
      uint64_t out = 0;
      while (ring->try_pop(out))
        EXPECT_EQ(out, next_pop++);
    }
  }
  uint64_t out = 0;
  while (ring->try_pop(out))
    EXPECT_EQ(out, next_pop++);
  EXPECT_EQ(next_pop, 1000u);
}

TEST(SpscRing, ClaimedRecordIsInvisibleUntilPublished) {
  SpscRingBuffer<int> ring(4);
  int* slot = ring->try_claim();
  ASSERT_NE(slot, nullptr);
  *slot = 42;
  EXPECT_EQ(ring->front(), nullptr);
  EXPECT_EQ(ring->try_claim(), slot);  // claiming again without publishing gives the same slot
  ring->publish();
  ASSERT_NE(ring->front(), nullptr);
  EXPECT_EQ(*ring->front(), 42);
}

TEST(SpscRing, FrontReadsInPlaceUntilPop) {
  SpscRingBuffer<Event64> ring(4);
  Event64 e{};
  e.sequence = 7;
  e.payload[6] = 77;
  ASSERT_TRUE(ring->try_push(e));
  const Event64* first = ring->front();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(ring->front(), first);
  EXPECT_EQ(first->payload[6], 77u);
  ring->pop();
  EXPECT_EQ(ring->front(), nullptr);
}

TEST(SpscRing, ConsumeBatchDrainsEverythingPublished) {
  SpscRingBuffer<int> ring(8);
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(ring->try_push(i));
  std::vector<int> seen;
  EXPECT_EQ(ring->consume_batch([&](const int& v) { seen.push_back(v); }), 6u);
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(ring->consume_batch([&](const int&) { FAIL() << "ring should be empty"; }), 0u);
}

TEST(SpscRing, ConsumeBatchHonoursItsLimitAndWraps) {
  SpscRingBuffer<int> ring(4);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(ring->try_push(i));
  std::vector<int> seen;
  EXPECT_EQ(ring->consume_batch([&](const int& v) { seen.push_back(v); }, 2), 2u);
  for (int i = 3; i < 6; ++i)
    ASSERT_TRUE(ring->try_push(i));  // indices 3,4,5 wrap past slot 3
  EXPECT_FALSE(ring->try_push(6));
  // The first batch ends where the consumer's cached write index ended (record 2); the next
  // reloads it and takes the three records that wrapped.
  EXPECT_EQ(ring->consume_batch([&](const int& v) { seen.push_back(v); }), 1u);
  EXPECT_EQ(ring->consume_batch([&](const int& v) { seen.push_back(v); }), 3u);
  EXPECT_EQ(ring->consume_batch([&](const int& v) { seen.push_back(v); }), 0u);
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4, 5}));
}

TEST(SpscRing, RejectsCapacityThatIsNotAPowerOfTwo) {
  EXPECT_THROW(SpscRingBuffer<int>(6), std::invalid_argument);
  EXPECT_THROW(SpscRingBuffer<int>(1), std::invalid_argument);
  EXPECT_THROW(SpscRingBuffer<int>(0), std::invalid_argument);
}

TEST(SpscRing, CreateAtRefusesMisalignedMemory) {
  alignas(128) static std::byte memory[SpscRing<int>::bytes_for(4) + 8];
  EXPECT_EQ(SpscRing<int>::create_at(memory + 8, 4), nullptr);
  EXPECT_NE(SpscRing<int>::create_at(memory, 4), nullptr);
}

TEST(SpscRing, LivesInCallerProvidedMemoryWithoutPointers) {
  // What a shared-memory segment does: build the ring in raw bytes, then use a copy of those
  // bytes at another address. It works only if the ring holds offsets, never pointers.
  constexpr size_t kCapacity = 8;
  alignas(128) static std::byte first[SpscRing<int>::bytes_for(kCapacity)];
  alignas(128) static std::byte second[SpscRing<int>::bytes_for(kCapacity)];
  SpscRing<int>* ring = SpscRing<int>::create_at(first, kCapacity);
  ASSERT_NE(ring, nullptr);
  ASSERT_TRUE(ring->try_push(11));
  ASSERT_TRUE(ring->try_push(22));
  std::memcpy(second, first, sizeof(second));
  auto* moved = std::launder(reinterpret_cast<SpscRing<int>*>(second));
  int out = 0;
  ASSERT_TRUE(moved->try_pop(out));
  EXPECT_EQ(out, 11);
  ASSERT_TRUE(moved->try_pop(out));
  EXPECT_EQ(out, 22);
}

// Two threads, small ring so that both the full and the empty edge are hit constantly. Every
// record carries its sequence number and a checksum of it; the consumer checks each one.
// Under the tsan preset this also proves the ordering argument has no data race.
template <typename Consume>
void run_two_thread_stress(Consume consume) {
  constexpr uint64_t kRecords = 2'000'000;
  SpscRingBuffer<Event64> ring(64);
  std::thread producer([&] {
    for (uint64_t seq = 0; seq < kRecords;) {
      Event64* slot = ring->try_claim();
      if (slot == nullptr) {
        std::this_thread::yield();  // ctest may run this beside another stress test on 2 cores
        continue;
      }
      slot->sequence = seq;
      for (uint64_t i = 0; i < 7; ++i)
        slot->payload[i] = seq * 31 + i;
      ring->publish();
      ++seq;
    }
  });
  uint64_t expected = 0;
  uint64_t mismatches = 0;
  auto check = [&](const Event64& e) {
    if (e.sequence != expected) ++mismatches;
    for (uint64_t i = 0; i < 7; ++i)
      if (e.payload[i] != e.sequence * 31 + i) ++mismatches;
    ++expected;
  };
  while (expected < kRecords) {
    if (consume(*ring, check) == 0) std::this_thread::yield();
  }
  producer.join();
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(expected, kRecords);
  EXPECT_EQ(ring->size_approx(), 0u);
}

TEST(SpscRingStress, TwoThreadsSeeEverySequenceNumberOncePoppingOneAtATime) {
  run_two_thread_stress([](SpscRing<Event64>& ring, auto& check) -> size_t {
    Event64 e;
    if (!ring.try_pop(e)) return 0;
    check(e);
    return 1;
  });
}

TEST(SpscRingStress, TwoThreadsSeeEverySequenceNumberOnceConsumingInBatches) {
  run_two_thread_stress([](SpscRing<Event64>& ring, auto& check) { return ring.consume_batch(check); });
}

}  // namespace
}  // namespace pmx
