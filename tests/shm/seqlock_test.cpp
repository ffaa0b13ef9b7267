#include "pmx/shm/seqlock.h"

#include <atomic>
#include <cstdint>
#include <thread>

#include <gtest/gtest.h>

namespace pmx::shm {
namespace {

// Every word of a record equals the same value: a torn read would mix two values.
struct Wide {
  uint64_t words[12];
};

TEST(Seqlock, ReturnsWhatWasStored) {
  Seqlock<Wide> lock;
  EXPECT_EQ(lock.version(), 0u);
  Wide w{};
  for (uint64_t i = 0; i < 12; ++i)
    w.words[i] = 100 + i;
  lock.store(w);
  const Wide got = lock.load();
  for (uint64_t i = 0; i < 12; ++i)
    EXPECT_EQ(got.words[i], 100 + i);
  EXPECT_EQ(lock.version(), 1u);
}

TEST(Seqlock, HandlesPayloadsThatAreNotAWholeNumberOfWords) {
  struct Odd {
    uint32_t a;
    uint16_t b;
    char c;
  };
  Seqlock<Odd> lock;
  lock.store(Odd{7, 8, 'x'});
  const Odd got = lock.load();
  EXPECT_EQ(got.a, 7u);
  EXPECT_EQ(got.b, 8u);
  EXPECT_EQ(got.c, 'x');
}

TEST(SeqlockStress, ReaderNeverSeesATornRecord) {
  Seqlock<Wide> lock;
  constexpr uint64_t kWrites = 300'000;
  std::atomic<bool> done{false};
  std::atomic<bool> reader_started{false};
  std::thread writer([&] {
    // Start writing only once the reader is reading, so the two really overlap even when the
    // scheduler runs this thread first.
    while (!reader_started.load(std::memory_order_acquire))
      std::this_thread::yield();
    Wide w{};
    for (uint64_t v = 1; v <= kWrites; ++v) {
      for (auto& word : w.words)
        word = v;
      lock.store(w);
    }
    done.store(true, std::memory_order_release);
  });
  uint64_t torn = 0;
  uint64_t reads = 0;
  uint64_t last = 0;
  uint64_t went_back = 0;
  reader_started.store(true, std::memory_order_release);
  while (!done.load(std::memory_order_acquire)) {
    Wide w;
    if (!lock.try_load(w)) {
      std::this_thread::yield();
      continue;
    }
    ++reads;
    for (const auto word : w.words)
      torn += word != w.words[0];
    went_back += w.words[0] < last;
    last = w.words[0];
  }
  writer.join();
  EXPECT_EQ(torn, 0u);
  EXPECT_EQ(went_back, 0u);
  EXPECT_GT(reads, 0u);
  EXPECT_EQ(lock.load().words[11], kWrites);
}

}  // namespace
}  // namespace pmx::shm
