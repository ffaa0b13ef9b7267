// SlotIndex: an open-addressing hash index from a 64-bit key hash to a slot of the caller's
// array (linear probing, backward-shift deletion), sized once at construction. The caller keeps
// the keys: find() confirms a candidate slot with the caller's equality test, so two keys with
// one hash stay distinct. Used by the live order table (intent id, venue order id) and the trade
// ledger (trade id + order id).
//
// Invariant: no tombstones. Erasing moves later entries of the same probe run back into the
// hole, so every lookup stops at the first empty entry. Capacity is at least twice the slots in
// use, so probe runs stay short and an insert always finds an empty entry.
//
// noexcept and allocation-free after construction; single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pmx::gateway {

class SlotIndex {
 public:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  // Room for `max_slots` live entries.
  explicit SlotIndex(size_t max_slots);

  // The slot of the first entry with `hash` for which eq(slot) holds; kEmpty when none.
  template <typename Eq>
  uint32_t find(uint64_t hash, Eq&& eq) const noexcept {
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      if (entries_[i].slot == kEmpty) return kEmpty;
      if (entries_[i].hash == hash && eq(entries_[i].slot)) return entries_[i].slot;
    }
  }
  void insert(uint64_t hash, uint32_t slot) noexcept;
  // Removes the entry (hash, slot); nothing when absent.
  void erase(uint64_t hash, uint32_t slot) noexcept;

  static uint64_t hash_text(const char* data, size_t size) noexcept;  // FNV-1a
  static uint64_t hash_id(uint64_t id) noexcept;                      // murmur3 finaliser

 private:
  struct Entry {
    uint64_t hash = 0;
    uint32_t slot = kEmpty;
  };
  std::vector<Entry> entries_;
  size_t mask_;
};

}  // namespace pmx::gateway
