// SlotList: the active subset of a fixed table of slots, kept in ascending slot order, so a round
// visits only the slots with work (O(active), not O(table)) in the same order a full scan would.
//
//   links_[slot] = {prev, next, member}     head_ ─► lowest member ─► ... ─► highest ◄─ tail_
//
// insert is O(members above the slot) (it walks back from the tail; slots handed out by a LIFO
// free list usually land at the tail), erase and contains are O(1). Visiting while erasing the
// visited slot is safe if the caller takes next(slot) first; a slot inserted during a visit is
// seen by that visit exactly when it is above the current one, as with a full scan.
// Allocates in the constructor only; everything else is noexcept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pmx {

class SlotList {
 public:
  static constexpr uint32_t kEnd = UINT32_MAX;

  explicit SlotList(uint32_t capacity) : links_(capacity) {}

  // Adds `slot` (< capacity) in its ascending place; a member stays where it is.
  void insert(uint32_t slot) noexcept {
    Link& l = links_[slot];
    if (l.member) return;
    uint32_t after = tail_;
    while (after < links_.size() && after > slot)  // kEnd is above every slot: ends the walk
      after = links_[after].prev;
    l.member = true;
    l.prev = after;
    l.next = after == kEnd ? head_ : links_[after].next;
    (after == kEnd ? head_ : links_[after].next) = slot;
    (l.next == kEnd ? tail_ : links_[l.next].prev) = slot;
    ++size_;
  }

  // Removes `slot`; a non-member is ignored.
  void erase(uint32_t slot) noexcept {
    Link& l = links_[slot];
    if (!l.member) return;
    (l.prev == kEnd ? head_ : links_[l.prev].next) = l.next;
    (l.next == kEnd ? tail_ : links_[l.next].prev) = l.prev;
    l = Link{};
    --size_;
  }

  bool contains(uint32_t slot) const noexcept { return links_[slot].member; }
  uint32_t first() const noexcept { return head_; }
  uint32_t next(uint32_t slot) const noexcept { return links_[slot].next; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

 private:
  struct Link {
    uint32_t prev = kEnd;
    uint32_t next = kEnd;
    bool member = false;
  };
  std::vector<Link> links_;
  uint32_t head_ = kEnd;
  uint32_t tail_ = kEnd;
  std::size_t size_ = 0;
};

}  // namespace pmx
