#include "pmx/persist/ops_queue.h"

#include <stdexcept>

namespace pmx {

namespace {

size_t checked_capacity(size_t capacity) {
  if (capacity == 0 || capacity > OpsQueue::kMaxCapacity)
    throw std::invalid_argument("OpsQueue capacity must be in [1, " + std::to_string(OpsQueue::kMaxCapacity) +
                                "], got " + std::to_string(capacity));
  return capacity;
}

}  // namespace

OpsQueue::OpsQueue(size_t capacity, size_t max_producers)
    : capacity_(checked_capacity(capacity)),
      // One spare block per producer: each may hold a partly used block of its own.
      queue_(capacity_ + max_producers * kBlockSize),
      consumer_(queue_) {}

}  // namespace pmx
