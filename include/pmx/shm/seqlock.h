// Seqlock<T>: one writer publishes a multi-word record; any number of readers, in this or
// another process, take consistent snapshots without ever making the writer wait.
//
// Protocol (Boehm, "Can seqlocks get along with programming language memory models?"):
//
//   writer                                   reader
//   s = sequence (relaxed, own)              s1 = sequence.load(acquire)   odd: retry
//   sequence.store(s + 1, relaxed)           copy words (relaxed atomic loads)
//   fence(release)                           fence(acquire)
//   store words (relaxed atomic stores)      s2 = sequence.load(relaxed)   s1 != s2: retry
//   sequence.store(s + 2, release)
//
// Why it is enough: if the reader's copy saw any word of a newer write, that word's store
// follows the writer's release fence, so the reader's acquire fence makes `sequence = s + 1`
// (or later) visible to its second load, and s1 != s2 rejects the copy. If s1 == s2 is even,
// no write overlapped the copy. The payload is copied as relaxed atomic 64-bit words
// (std::atomic_ref), never memcpy, so there is no data race in the C++ sense and TSan stays
// quiet; on x86-64 each is a plain MOV.
//
// Readers may spin only while a write is in progress (a few ns); the writer never spins.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace pmx::shm {

template <typename T>
class Seqlock {
  static_assert(std::is_trivially_copyable_v<T>, "seqlock payloads are copied word by word");
  static constexpr size_t kWords = (sizeof(T) + 7) / 8;

 public:
  // Single writer only.
  void store(const T& value) noexcept {
    uint64_t words[kWords] = {};
    std::memcpy(words, &value, sizeof(T));
    const uint64_t s = sequence_.load(std::memory_order_relaxed);
    sequence_.store(s + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    for (size_t i = 0; i < kWords; ++i)
      std::atomic_ref<uint64_t>(words_[i]).store(words[i], std::memory_order_relaxed);
    sequence_.store(s + 2, std::memory_order_release);
  }

  // One attempt: true and `out` filled if no write overlapped the copy.
  bool try_load(T& out) const noexcept {
    const uint64_t s1 = sequence_.load(std::memory_order_acquire);
    if (s1 & 1) return false;
    uint64_t words[kWords];
    for (size_t i = 0; i < kWords; ++i)
      words[i] = std::atomic_ref<uint64_t>(const_cast<uint64_t&>(words_[i])).load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    if (sequence_.load(std::memory_order_relaxed) != s1) return false;
    std::memcpy(&out, words, sizeof(T));
    return true;
  }

  // Retries until a consistent copy is taken. Never blocks the writer.
  T load() const noexcept {
    T out;
    while (!try_load(out)) {
    }
    return out;
  }

  // Number of completed writes (0 = never written).
  uint64_t version() const noexcept { return sequence_.load(std::memory_order_acquire) / 2; }

 private:
  std::atomic<uint64_t> sequence_{0};  // odd while a write is in progress
  alignas(8) uint64_t words_[kWords] = {};
};

static_assert(std::atomic<uint64_t>::is_always_lock_free, "shared across processes");

}  // namespace pmx::shm
