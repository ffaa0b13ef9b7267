// OpsQueue: the many-producer, one-consumer queue from the hot threads to the ops thread.
//
// A moodycamel ConcurrentQueue of OpsEvent with one explicit producer token per hot thread. The
// queue is pre-sized at construction and producers only ever call try_enqueue, which never
// allocates: a push either finds room in the pre-allocated blocks or fails and is counted as a
// drop. A hot thread never waits for the ops thread.
//
// Warm-up (allocates): construct the queue, then each hot thread calls make_producer() once.
// Hot path (no allocation, no lock, no syscall): try_push().
// Capacity: `capacity` events shared by all producers (moodycamel hands out blocks of
// kBlockSize events from one pool; a block stays with the producer that took it, so with P
// producers allow for P partially used blocks).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include <concurrentqueue/concurrentqueue.h>

#include "pmx/persist/ops_event.h"

namespace pmx {

// moodycamel's traits: larger blocks and a block index large enough that a producer can hold the
// whole pool without growing its index (growing it would allocate inside try_enqueue's caller).
// malloc/free are counted so a test can prove the push path never allocates.
struct OpsQueueTraits : moodycamel::ConcurrentQueueDefaultTraits {
  static constexpr size_t BLOCK_SIZE = 64;
  static constexpr size_t EXPLICIT_INITIAL_INDEX_SIZE = 2048;  // 131,072 events per producer

  static inline std::atomic<uint64_t> allocations{0};
  static void* malloc(size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size);
  }
  static void free(void* ptr) { std::free(ptr); }
};

class OpsQueue {
 public:
  using Queue = moodycamel::ConcurrentQueue<OpsEvent, OpsQueueTraits>;
  static constexpr size_t kBlockSize = OpsQueueTraits::BLOCK_SIZE;
  static constexpr size_t kMaxCapacity = OpsQueueTraits::EXPLICIT_INITIAL_INDEX_SIZE * kBlockSize;

  // One per hot thread, made during warm-up; used by that thread only.
  class Producer {
   public:
    explicit Producer(OpsQueue& queue) : queue_(&queue), token_(queue.queue_) {}

   private:
    friend class OpsQueue;
    OpsQueue* queue_;
    moodycamel::ProducerToken token_;
  };

  // Allocates every block up front: `capacity` events plus one spare block per producer.
  explicit OpsQueue(size_t capacity = 32'768, size_t max_producers = 8);
  OpsQueue(const OpsQueue&) = delete;
  OpsQueue& operator=(const OpsQueue&) = delete;

  Producer make_producer() { return Producer(*this); }

  // Hot path. False (and counted) when the queue is full: the event is lost, never waited for.
  bool try_push(Producer& producer, const OpsEvent& event) noexcept {
    if (queue_.try_enqueue(producer.token_, event)) return true;
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }

  // Ops thread only: up to `max` events in FIFO order per producer.
  size_t try_pop_bulk(OpsEvent* out, size_t max) noexcept {
    return queue_.try_dequeue_bulk(consumer_, out, max);
  }

  size_t size_approx() const noexcept { return queue_.size_approx(); }
  size_t capacity() const noexcept { return capacity_; }
  uint64_t dropped_relaxed() const noexcept { return dropped_.load(std::memory_order_relaxed); }

 private:
  size_t capacity_;
  Queue queue_;
  moodycamel::ConsumerToken consumer_;
  alignas(128) std::atomic<uint64_t> dropped_{0};  // written by any producer, only when full
};

}  // namespace pmx
