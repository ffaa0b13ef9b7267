#include "pmx/gateway/live/slot_index.h"

#include <algorithm>
#include <bit>

namespace pmx::gateway {

SlotIndex::SlotIndex(size_t max_slots)
    : entries_(std::bit_ceil(std::max<size_t>(16, max_slots * 2))), mask_(entries_.size() - 1) {}

void SlotIndex::insert(uint64_t hash, uint32_t slot) noexcept {
  size_t i = hash & mask_;
  while (entries_[i].slot != kEmpty)
    i = (i + 1) & mask_;
  entries_[i] = Entry{hash, slot};
}

// Backward-shift deletion: entries after the hole move back unless their home position lies
// cyclically in (hole, position], so every probe sequence stays unbroken without tombstones.
void SlotIndex::erase(uint64_t hash, uint32_t slot) noexcept {
  size_t hole = hash & mask_;
  while (!(entries_[hole].slot == slot && entries_[hole].hash == hash)) {
    if (entries_[hole].slot == kEmpty) return;
    hole = (hole + 1) & mask_;
  }
  for (size_t j = hole;;) {
    entries_[hole].slot = kEmpty;
    for (;;) {
      j = (j + 1) & mask_;
      if (entries_[j].slot == kEmpty) return;
      const size_t home = entries_[j].hash & mask_;
      const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (!stays) break;
    }
    entries_[hole] = entries_[j];
    hole = j;
  }
}

uint64_t SlotIndex::hash_text(const char* data, size_t size) noexcept {
  uint64_t h = 14695981039346656037ull;
  for (size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

uint64_t SlotIndex::hash_id(uint64_t id) noexcept {
  id ^= id >> 33;  // child ids differ in few bits: mix them all into the low ones
  id *= 0xff51afd7ed558ccdull;
  id ^= id >> 33;
  id *= 0xc4ceb9fe1a85ec53ull;
  id ^= id >> 33;
  return id;
}

}  // namespace pmx::gateway
