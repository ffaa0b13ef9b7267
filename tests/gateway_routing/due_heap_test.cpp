#include "pmx/gateway/due_heap.h"

#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace pmx {
namespace {

std::vector<std::pair<int64_t, uint32_t>> drain(DueHeap& heap) {
  std::vector<std::pair<int64_t, uint32_t>> out;
  while (!heap.empty()) {
    out.emplace_back(heap.top_at(), heap.top_slot());
    heap.erase(heap.top_slot());
  }
  return out;
}

TEST(DueHeap, EarliestComesFirstAndTiesGoToTheLowerSlot) {
  DueHeap heap(8);
  heap.set(5, 30);
  heap.set(2, 10);
  heap.set(7, 10);
  heap.set(1, 20);
  heap.set(0, 30);
  EXPECT_EQ(drain(heap),
            (std::vector<std::pair<int64_t, uint32_t>>{{10, 2}, {10, 7}, {20, 1}, {30, 0}, {30, 5}}));
}

TEST(DueHeap, SettingASlotAgainMovesItsTimeInsteadOfAddingOne) {
  DueHeap heap(4);
  heap.set(0, 10);
  heap.set(1, 20);
  heap.set(0, 30);  // later
  heap.set(1, 5);   // earlier
  EXPECT_EQ(heap.size(), 2u);
  EXPECT_EQ(drain(heap), (std::vector<std::pair<int64_t, uint32_t>>{{5, 1}, {30, 0}}));
}

TEST(DueHeap, ErasingAnInnerEntryOrAnAbsentSlotKeepsTheRestInOrder) {
  DueHeap heap(8);
  for (uint32_t s = 0; s < 8; ++s)
    heap.set(s, 100 - 10 * static_cast<int64_t>(s));
  heap.erase(3);
  heap.erase(3);
  EXPECT_FALSE(heap.contains(3));
  const auto order = drain(heap);
  ASSERT_EQ(order.size(), 7u);
  for (size_t i = 1; i < order.size(); ++i)
    EXPECT_LT(order[i - 1].first, order[i].first);
}

TEST(DueHeap, MatchesAnOrderedMapOverRandomSetsAndErases) {
  constexpr uint32_t kSlots = 64;
  DueHeap heap(kSlots);
  std::map<uint32_t, int64_t> model;  // slot -> due time
  std::mt19937_64 random(11);
  for (int step = 0; step < 20'000; ++step) {
    const auto slot = static_cast<uint32_t>(random() % kSlots);
    switch (random() % 3) {
      case 0:
      case 1: {
        const auto at = static_cast<int64_t>(random() % 50);  // small range: many ties
        heap.set(slot, at);
        model[slot] = at;
        break;
      }
      default:
        heap.erase(slot);
        model.erase(slot);
    }
    ASSERT_EQ(heap.size(), model.size());
    if (model.empty()) continue;
    std::pair<int64_t, uint32_t> best{INT64_MAX, 0};
    for (const auto& [s, at] : model)
      best = std::min(best, std::pair<int64_t, uint32_t>{at, s});
    ASSERT_EQ(heap.top_at(), best.first);
    ASSERT_EQ(heap.top_slot(), best.second);
  }
}

}  // namespace
}  // namespace pmx
