// FileWriter: appends buffers to one file at a time without making the caller wait for the disk.
//
// A few fixed buffers (slots) cycle between the caller and the kernel: the caller fills a free
// one (buffer()), submit()s it as the next piece of the file, and collects completions with
// reap(), which never waits. Writes go through io_uring (liburing) at explicit offsets, so
// several may be in flight at once. When io_uring is unavailable (kernel.io_uring_disabled, a
// container's seccomp profile) the writer falls back to pwrite(2), which does wait, and says why
// in fallback_reason(). Both backends produce the same bytes at the same offsets.
//
// close() is the one call that waits: for the file's writes still in flight (at most `slots`).
// A failed or short write is retried for the remainder; a write that fails outright loses that
// buffer (counted in write_errors(), with the errno in last_errno()).
//
// Allocates at construction only. Not thread-safe: owned by the recording thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pmx/record/record_error.h"

namespace pmx::record {

enum class IoBackend : uint8_t { io_uring, pwrite };

class FileWriter {
 public:
  // Throws std::bad_alloc. Never throws for io_uring trouble: it falls back instead.
  FileWriter(IoBackend wanted, size_t slots, size_t buffer_bytes);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  IoBackend backend() const noexcept { return backend_; }
  // Empty unless io_uring was wanted and could not be set up.
  const std::string& fallback_reason() const noexcept { return fallback_reason_; }

  // Creates `path` (never overwrites an existing file: O_EXCL). Closes the previous file first.
  RecordError open(const std::string& path) noexcept;
  bool is_open() const noexcept { return fd_ >= 0; }

  // A free buffer of buffer_bytes(), or an empty span when every slot is in flight.
  std::span<char> buffer() noexcept;
  // Writes the first `bytes` of the buffer last returned by buffer() after what the file holds.
  RecordError submit(size_t bytes) noexcept;
  // Collects finished writes without waiting; returns how many finished.
  size_t reap() noexcept;
  // Waits until no write is in flight.
  void drain() noexcept;
  // Waits for this file's writes in flight, then closes it.
  RecordError close() noexcept;

  size_t buffer_bytes() const noexcept { return buffer_bytes_; }
  size_t in_flight() const noexcept { return in_flight_; }
  uint64_t file_bytes() const noexcept { return file_offset_; }  // submitted to the current file
  uint64_t bytes_written() const noexcept { return bytes_written_; }
  uint64_t write_errors() const noexcept { return write_errors_; }
  int last_errno() const noexcept { return last_errno_; }

 private:
  struct Ring;
  struct Slot {
    uint64_t offset = 0;  // where its bytes go in the file
    size_t length = 0;    // bytes still to write
    size_t done = 0;      // bytes already written
    bool busy = false;
  };

  RecordError write_slot_now(Slot& slot, size_t index) noexcept;  // pwrite backend
  bool queue_slot(size_t index) noexcept;                         // io_uring backend
  void complete(size_t index, int result) noexcept;               // io_uring completion
  void finish(size_t index, int error) noexcept;                  // frees the slot; error: errno or 0
  size_t wait_one() noexcept;

  IoBackend backend_ = IoBackend::pwrite;
  std::string fallback_reason_;
  std::unique_ptr<Ring> ring_;
  std::vector<char> memory_;
  std::vector<Slot> slots_;
  size_t buffer_bytes_ = 0;
  size_t next_free_ = 0;  // slot returned by buffer()
  bool has_buffer_ = false;
  size_t in_flight_ = 0;
  int fd_ = -1;
  uint64_t file_offset_ = 0;
  uint64_t bytes_written_ = 0;
  uint64_t write_errors_ = 0;
  int last_errno_ = 0;
};

}  // namespace pmx::record
