// DueHeap: at most one due time per slot of a fixed table, earliest first, ties by the lower slot
// (the order a full scan with a strict "earlier than" comparison would pick). An indexed binary
// min-heap: position_[slot] finds a slot's entry, so a slot's time can be set, moved or dropped
// in O(log n) when its order changes stage, and nothing stale is ever left in the heap.
// Capacity = the table's size, allocated in the constructor; everything else is noexcept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pmx {

class DueHeap {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  explicit DueHeap(uint32_t capacity) : entries_(capacity), position_(capacity, kAbsent) {}

  // Sets (inserts or moves) the due time of `slot` (< capacity).
  void set(uint32_t slot, int64_t at) noexcept {
    uint32_t i = position_[slot];
    if (i == kAbsent) {
      i = static_cast<uint32_t>(size_++);
      entries_[i] = Entry{at, slot};
      position_[slot] = i;
      sift_up(i);
      return;
    }
    const int64_t was = entries_[i].at;
    entries_[i].at = at;
    if (at < was) {
      sift_up(i);
    } else {
      sift_down(i);
    }
  }

  // Drops the due time of `slot`, if it has one.
  void erase(uint32_t slot) noexcept {
    const uint32_t i = position_[slot];
    if (i == kAbsent) return;
    position_[slot] = kAbsent;
    const auto last = static_cast<uint32_t>(--size_);
    if (i == last) return;
    const Entry moved = entries_[last];  // the last entry fills the hole, then finds its place
    place(i, moved);
    sift_up(i);
    sift_down(position_[moved.slot]);
  }

  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  bool contains(uint32_t slot) const noexcept { return position_[slot] != kAbsent; }
  // The earliest entry; only when !empty().
  uint32_t top_slot() const noexcept { return entries_[0].slot; }
  int64_t top_at() const noexcept { return entries_[0].at; }

 private:
  struct Entry {
    int64_t at;
    uint32_t slot;
  };
  static bool earlier(const Entry& a, const Entry& b) noexcept {
    return a.at < b.at || (a.at == b.at && a.slot < b.slot);
  }
  void place(uint32_t i, const Entry& e) noexcept {
    entries_[i] = e;
    position_[e.slot] = i;
  }
  void sift_up(uint32_t i) noexcept {
    const Entry e = entries_[i];
    while (i > 0) {
      const uint32_t parent = (i - 1) / 2;
      if (!earlier(e, entries_[parent])) break;
      place(i, entries_[parent]);
      i = parent;
    }
    place(i, e);
  }
  void sift_down(uint32_t i) noexcept {
    const Entry e = entries_[i];
    for (;;) {
      std::size_t child = std::size_t{2} * i + 1;
      if (child >= size_) break;
      if (child + 1 < size_ && earlier(entries_[child + 1], entries_[child])) ++child;
      if (!earlier(entries_[child], e)) break;
      place(i, entries_[child]);
      i = static_cast<uint32_t>(child);
    }
    place(i, e);
  }

  std::vector<Entry> entries_;
  std::vector<uint32_t> position_;
  std::size_t size_ = 0;
};

}  // namespace pmx
