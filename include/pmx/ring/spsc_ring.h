// SpscRing: a bounded single-producer / single-consumer ring of trivially copyable records.
//
// This is the ring between pinned threads (feed -> strategy -> gateway -> strategy). It holds
// no pointers and keeps its slots inline after its header, so one can be placed in any memory
// that both sides map, a shared-memory segment included.
//
// Memory layout (offsets from the start of the object; every block starts a 128-byte line
// pair because adjacent-line prefetch pulls two 64-byte lines at a time):
//
//   +0    producer line  | write_index (written by producer, read by consumer)
//                        | cached_read_index (producer only)
//   +128  consumer line  | read_index  (written by consumer, read by producer)
//                        | cached_write_index (consumer only)
//   +256  constants      | capacity, mask (written once before either side starts)
//   +384  padding        | 128 bytes, so slot 0 shares no line with the header
//   +512  slots[capacity]
//         padding        | 128 bytes, so the last slot shares no line with what follows
//
// Indices count records ever written / read and never wrap (2^64 records at 1e9/s is 584
// years); slot = index & mask. The ring is full when write - read == capacity, so every slot
// is usable.
//
// Memory-ordering argument:
//   * The producer fills slot[w & mask] with plain stores, then store_release(write_index,
//     w + 1). The consumer load_acquire(write_index) before reading any slot below it, so
//     the slot's contents happen-before the consumer's reads (release/acquire pair #1).
//   * The consumer finishes reading slot[r & mask] (copying it out, or running the callback
//     in place), then store_release(read_index, r + 1). The producer load_acquire(read_index)
//     before it overwrites any slot below it, so the consumer's reads happen-before the
//     producer's next write to that slot (pair #2: no write-after-read race).
//   * Each side loads its own index relaxed: only that side ever writes it.
//   * Each side caches the other's index in its own line and reloads it (acquire) only when
//     the cache says full (producer) or empty (consumer). A stale cache is always
//     conservative: the true write index only grows, so the consumer may see fewer records
//     than exist but never more; likewise for the producer and free slots.
//   No read-modify-write instruction and no fence beyond these acquire/release pairs is
//   needed, which on x86-64 makes every operation plain MOVs.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace pmx {

inline constexpr size_t kFalseSharingRange = 128;  // two 64-byte lines: adjacent-line prefetch

template <typename T>
class SpscRing {
  static_assert(std::is_trivially_copyable_v<T>,
                "ring records are copied with plain stores and may live in shared memory");
  static_assert(alignof(T) <= kFalseSharingRange, "slots are laid out from a 128-byte boundary");

 public:
  using value_type = T;

  // Bytes of memory (128-byte aligned) needed to hold a ring of `capacity` records.
  static constexpr size_t bytes_for(size_t capacity) noexcept {
    return kSlotsOffset + capacity * sizeof(T) + kFalseSharingRange;
  }

  // True when `capacity` is a usable size: a power of two, at least 2.
  static constexpr bool valid_capacity(size_t capacity) noexcept {
    return capacity >= 2 && (capacity & (capacity - 1)) == 0;
  }

  // Builds an empty ring in `memory` (bytes_for(capacity) bytes, 128-byte aligned).
  // Returns nullptr if capacity is not a power of two >= 2 or memory is misaligned.
  static SpscRing* create_at(void* memory, size_t capacity) noexcept {
    if (!valid_capacity(capacity)) return nullptr;
    if (reinterpret_cast<uintptr_t>(memory) % kFalseSharingRange != 0) return nullptr;
    return ::new (memory) SpscRing(capacity);
  }

  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  size_t capacity() const noexcept { return capacity_; }

  // ---- producer side -------------------------------------------------------------------

  // Copies `record` into the ring; false when full. Never blocks, never allocates.
  bool try_push(const T& record) noexcept {
    const uint64_t write = producer_.write_index.load(std::memory_order_relaxed);
    if (write - producer_.cached_read_index == capacity_) {
      producer_.cached_read_index = consumer_.read_index.load(std::memory_order_acquire);
      if (write - producer_.cached_read_index == capacity_) return false;
    }
    *slot(write) = record;
    producer_.write_index.store(write + 1, std::memory_order_release);
    return true;
  }

  // Returns the next free slot to be written in place, or nullptr when full. The record is
  // invisible to the consumer until publish(). Claiming twice without publishing returns
  // the same slot.
  T* try_claim() noexcept {
    const uint64_t write = producer_.write_index.load(std::memory_order_relaxed);
    if (write - producer_.cached_read_index == capacity_) {
      producer_.cached_read_index = consumer_.read_index.load(std::memory_order_acquire);
      if (write - producer_.cached_read_index == capacity_) return nullptr;
    }
    return slot(write);
  }

  // Makes the claimed slot visible to the consumer.
  void publish() noexcept {
    const uint64_t write = producer_.write_index.load(std::memory_order_relaxed);
    producer_.write_index.store(write + 1, std::memory_order_release);
  }

  // ---- consumer side -------------------------------------------------------------------

  // Copies the oldest record into `out`; false when empty.
  bool try_pop(T& out) noexcept {
    const T* record = front();
    if (record == nullptr) return false;
    out = *record;
    pop();
    return true;
  }

  // The oldest record, read in place, or nullptr when empty. Valid until pop().
  const T* front() noexcept {
    const uint64_t read = consumer_.read_index.load(std::memory_order_relaxed);
    if (read == consumer_.cached_write_index) {
      consumer_.cached_write_index = producer_.write_index.load(std::memory_order_acquire);
      if (read == consumer_.cached_write_index) return nullptr;
    }
    return slot(read);
  }

  // Releases the record returned by front() back to the producer.
  void pop() noexcept {
    const uint64_t read = consumer_.read_index.load(std::memory_order_relaxed);
    consumer_.read_index.store(read + 1, std::memory_order_release);
  }

  // Runs `on_record(const T&)` in place on the records the consumer's cached view of the
  // write index covers (at most `max_records`), then releases them all with one store.
  // Only when that view is exhausted does it reload the write index, so the producer's line
  // is touched once per batch, not once per record. A batch may therefore stop short of
  // records published meanwhile; the next call picks them up. Returns the number consumed.
  template <typename OnRecord>
  size_t consume_batch(OnRecord&& on_record, size_t max_records = SIZE_MAX) noexcept {
    const uint64_t read = consumer_.read_index.load(std::memory_order_relaxed);
    uint64_t available = consumer_.cached_write_index - read;
    if (available == 0) {
      consumer_.cached_write_index = producer_.write_index.load(std::memory_order_acquire);
      available = consumer_.cached_write_index - read;
      if (available == 0) return 0;
    }
    const uint64_t count = available < max_records ? available : max_records;
    // Hoisted: the callback may write memory the compiler cannot prove is not mask_.
    const T* const slots = slot_base();
    const uint64_t mask = mask_;
    for (uint64_t i = 0; i < count; ++i)
      on_record(slots[(read + i) & mask]);
    consumer_.read_index.store(read + count, std::memory_order_release);
    return static_cast<size_t>(count);
  }

  // ---- either side (approximate while the other side runs) -----------------------------

  // Records in the ring. Exact from a thread that is neither side once both are quiescent;
  // otherwise a snapshot that may be stale by the time it returns.
  size_t size_approx() const noexcept {
    const uint64_t read = consumer_.read_index.load(std::memory_order_acquire);
    const uint64_t write = producer_.write_index.load(std::memory_order_acquire);
    return write >= read ? static_cast<size_t>(write - read) : 0;
  }
  bool empty_approx() const noexcept { return size_approx() == 0; }

 private:
  explicit SpscRing(size_t capacity) noexcept : capacity_(capacity), mask_(capacity - 1) {}

  T* slot_base() noexcept { return reinterpret_cast<T*>(reinterpret_cast<std::byte*>(this) + kSlotsOffset); }
  T* slot(uint64_t index) noexcept { return slot_base() + (index & mask_); }

  struct alignas(kFalseSharingRange) ProducerLine {
    std::atomic<uint64_t> write_index{0};  // release by producer, acquire by consumer
    uint64_t cached_read_index = 0;        // producer's last view of read_index
  };
  struct alignas(kFalseSharingRange) ConsumerLine {
    std::atomic<uint64_t> read_index{0};  // release by consumer, acquire by producer
    uint64_t cached_write_index = 0;      // consumer's last view of write_index
  };

  ProducerLine producer_;
  ConsumerLine consumer_;
  alignas(kFalseSharingRange) const uint64_t capacity_;
  const uint64_t mask_;

  static constexpr size_t kSlotsOffset = 4 * kFalseSharingRange;

  static_assert(std::atomic<uint64_t>::is_always_lock_free,
                "indices must be lock-free to be shared across processes");
  static_assert(sizeof(ProducerLine) == kFalseSharingRange && sizeof(ConsumerLine) == kFalseSharingRange,
                "producer and consumer indices each own one 128-byte line pair (no false sharing)");

 public:
  // Checked here, where the class is complete: the header ends before the leading pad.
  static constexpr bool layout_is_sound() noexcept {
    return sizeof(SpscRing) + kFalseSharingRange <= kSlotsOffset;
  }
};

// Heap storage for a ring whose lifetime is the owner's (rings between threads of one
// process). Allocation happens once, at construction, never on the hot path.
template <typename T>
class SpscRingBuffer {
  static_assert(SpscRing<T>::layout_is_sound(), "slots must start one full padding block after the header");

 public:
  explicit SpscRingBuffer(size_t capacity)
      : memory_(static_cast<std::byte*>(
            ::operator new (SpscRing<T>::bytes_for(capacity), std::align_val_t{kFalseSharingRange}))),
        ring_(SpscRing<T>::create_at(memory_.get(), capacity)) {
    if (ring_ == nullptr) throw std::invalid_argument("SpscRing capacity must be a power of two >= 2");
  }

  SpscRing<T>& operator*() noexcept { return *ring_; }
  SpscRing<T>* operator->() noexcept { return ring_; }
  SpscRing<T>& ring() noexcept { return *ring_; }

 private:
  struct AlignedDelete {
    void operator()(std::byte* p) const noexcept {
      ::operator delete (p, std::align_val_t{kFalseSharingRange});
    }
  };
  std::unique_ptr<std::byte, AlignedDelete> memory_;
  SpscRing<T>* ring_;
};

}  // namespace pmx
