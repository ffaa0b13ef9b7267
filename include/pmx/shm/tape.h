// Tape: one feed's raw messages with their receive timestamps, in shared memory, for
// pmx-record and any other reader. The writer (the feed thread) never waits; a reader that
// falls behind is told, by sequence number, exactly how many messages it lost.
//
// Layout (inside the state segment; sizes fixed at creation, powers of two):
//
//   TapeHeader | TapeEntry index[entry_capacity] | data bytes[data_capacity]
//
// Message n (n = 0, 1, 2, ...) is described by index[n % entry_capacity] and its bytes sit
// at absolute byte position `offset` (data[offset % data_capacity], never split across the
// end: the writer skips to the next lap when a message would not fit).
//
// Writer, message n of `len` bytes at absolute position `offset`:
//   1. reserved_end.store(offset + len_padded, relaxed); fence(release)
//   2. entry.state.store(2n + 1, relaxed); fence(release)        entry n is being written
//   3. entry fields and the bytes, as relaxed atomic 64-bit words
//   4. entry.state.store(2n + 2, release); head.store(n + 1, release)
// Reader, wanting message n:
//   a. entry.state.load(acquire) == 2n + 2, else: not yet written (n >= head) or lost
//   b. copy fields and bytes (relaxed words); fence(acquire)
//   c. entry.state still 2n + 2 and reserved_end - offset <= data_capacity, else lost
// Step (c) is the seqlock argument of seqlock.h applied twice: if the copy saw any byte or
// field of a later write, the writer's release fence before that write makes the later
// reserved_end / state visible to the reader's re-check after its acquire fence.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace pmx::shm {

struct TapeEntry {
  std::atomic<uint64_t> state;  // 2n + 1 while message n is written, 2n + 2 once published
  uint64_t offset;              // absolute byte position of the message
  uint64_t length;              // bytes
  int64_t receive_ns;           // local receive time, CLOCK_MONOTONIC_RAW
};
static_assert(sizeof(TapeEntry) == 32, "index entries pack two per cache line");

struct alignas(128) TapeHeader {
  uint64_t entry_capacity;  // power of two
  uint64_t data_capacity;   // power of two, bytes
  uint64_t venue;           // pmx::Venue of the feed writing this tape
  uint64_t reserved0;
  alignas(128) std::atomic<uint64_t> head;  // messages published (release by writer)
  std::atomic<uint64_t> reserved_end;       // bytes reserved so far (absolute)
  std::atomic<uint64_t> dropped_too_large;  // messages larger than the data area / 2
};

// Bytes a tape with these capacities occupies (header + index + data).
constexpr size_t tape_bytes(uint64_t entry_capacity, uint64_t data_capacity) noexcept {
  return sizeof(TapeHeader) + entry_capacity * sizeof(TapeEntry) + data_capacity;
}

// Writer side. Construct over memory of tape_bytes(...) inside the segment.
class TapeWriter {
 public:
  TapeWriter() = default;
  // Initialises the tape in `memory` (zeroed shared memory).
  TapeWriter(void* memory, uint64_t entry_capacity, uint64_t data_capacity, uint64_t venue) noexcept;

  // Appends one message. Never blocks. A message larger than half the data area cannot be
  // kept without evicting everything; it is counted in dropped_too_large and skipped.
  void append(std::string_view message, int64_t receive_ns) noexcept;

  uint64_t published() const noexcept;

 private:
  TapeHeader* header_ = nullptr;
  TapeEntry* index_ = nullptr;
  char* data_ = nullptr;
  uint64_t next_ = 0;         // writer's own copy of head
  uint64_t next_offset_ = 0;  // writer's own copy of reserved_end
};

// Reader side: a cursor over a tape mapped read-only. Not thread-safe; one per reading thread.
class TapeReader {
 public:
  enum class Status : uint8_t {
    message,  // `out` holds the next message
    empty,    // nothing new
    lost,     // messages were overwritten before they were read; lost() grew; call again
  };
  struct Message {
    uint64_t sequence = 0;
    int64_t receive_ns = 0;
    std::string_view bytes;  // points into the caller's buffer
  };

  TapeReader() = default;
  // Starts at the oldest message still on the tape, or at the newest if `from_now`.
  TapeReader(const void* memory, bool from_now) noexcept;

  // Copies the next message into `buffer` (which must hold data_capacity / 2 bytes; use
  // max_message_bytes()).
  Status next(Message& out, std::span<char> buffer) noexcept;

  uint64_t lost() const noexcept { return lost_; }
  uint64_t next_sequence() const noexcept { return next_; }
  uint64_t max_message_bytes() const noexcept;
  // Messages published but not yet read (0 if the reader is current).
  uint64_t backlog() const noexcept;

 private:
  const TapeHeader* header_ = nullptr;
  const TapeEntry* index_ = nullptr;
  const char* data_ = nullptr;
  uint64_t next_ = 0;
  uint64_t lost_ = 0;
};

}  // namespace pmx::shm
