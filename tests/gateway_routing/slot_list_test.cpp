#include "pmx/gateway/slot_list.h"

#include <vector>

#include <gtest/gtest.h>

namespace pmx {
namespace {

std::vector<uint32_t> members(const SlotList& list) {
  std::vector<uint32_t> out;
  for (uint32_t s = list.first(); s != SlotList::kEnd; s = list.next(s))
    out.push_back(s);
  return out;
}

TEST(SlotList, VisitsMembersInAscendingSlotOrderWhateverTheInsertionOrder) {
  SlotList list(16);
  for (uint32_t s : {7u, 2u, 11u, 0u, 9u, 15u})
    list.insert(s);
  EXPECT_EQ(members(list), (std::vector<uint32_t>{0, 2, 7, 9, 11, 15}));
  EXPECT_EQ(list.size(), 6u);
}

TEST(SlotList, InsertingAMemberAgainKeepsOneEntry) {
  SlotList list(4);
  list.insert(3);
  list.insert(3);
  EXPECT_EQ(members(list), (std::vector<uint32_t>{3}));
  EXPECT_EQ(list.size(), 1u);
}

TEST(SlotList, ErasingTheFirstTheLastAndAMiddleMemberRelinksTheRest) {
  SlotList list(8);
  for (uint32_t s = 0; s < 5; ++s)
    list.insert(s);
  list.erase(0);
  list.erase(4);
  list.erase(2);
  EXPECT_EQ(members(list), (std::vector<uint32_t>{1, 3}));
  list.insert(4);
  list.insert(0);
  EXPECT_EQ(members(list), (std::vector<uint32_t>{0, 1, 3, 4}));
}

TEST(SlotList, ErasingANonMemberChangesNothing) {
  SlotList list(8);
  list.insert(5);
  list.erase(6);
  list.erase(5);
  list.erase(5);
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.first(), SlotList::kEnd);
  EXPECT_FALSE(list.contains(5));
}

TEST(SlotList, AVisitMayEraseTheVisitedSlotAndSeesSlotsInsertedAboveIt) {
  SlotList list(8);
  for (uint32_t s : {1u, 3u, 5u})
    list.insert(s);
  std::vector<uint32_t> seen;
  for (uint32_t s = list.first(); s != SlotList::kEnd;) {
    const uint32_t after = list.next(s);
    seen.push_back(s);
    list.erase(s);
    if (s == 1) {
      list.insert(0);  // below: not seen by this visit (a full scan had passed it)
      list.insert(4);  // above: seen
    }
    s = after;
  }
  EXPECT_EQ(seen, (std::vector<uint32_t>{1, 3, 4, 5}));
  EXPECT_EQ(members(list), (std::vector<uint32_t>{0}));
}

}  // namespace
}  // namespace pmx
