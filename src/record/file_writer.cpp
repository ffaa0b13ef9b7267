#include "pmx/record/file_writer.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <liburing.h>
#include <unistd.h>

namespace pmx::record {

struct FileWriter::Ring {
  io_uring ring{};
};

FileWriter::FileWriter(IoBackend wanted, size_t slots, size_t buffer_bytes)
    : memory_(slots * buffer_bytes), slots_(slots), buffer_bytes_(buffer_bytes) {
  if (wanted != IoBackend::io_uring) return;
  auto ring = std::make_unique<Ring>();
  // One submission entry per slot is all that can ever be queued (each slot is one write).
  const int rc = io_uring_queue_init(static_cast<unsigned>(slots), &ring->ring, 0);
  if (rc < 0) {
    fallback_reason_ = std::string("io_uring_queue_init failed: ") + std::strerror(-rc);
    return;
  }
  ring_ = std::move(ring);
  backend_ = IoBackend::io_uring;
}

FileWriter::~FileWriter() {
  (void)close();
  if (ring_) io_uring_queue_exit(&ring_->ring);
}

RecordError FileWriter::open(const std::string& path) noexcept {
  const RecordError closed = close();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    last_errno_ = errno;
    return RecordError::open_failed;
  }
  file_offset_ = 0;
  return closed;
}

std::span<char> FileWriter::buffer() noexcept {
  for (size_t k = 0; k < slots_.size(); ++k) {
    const size_t i = (next_free_ + k) % slots_.size();
    if (!slots_[i].busy) {
      next_free_ = i;
      has_buffer_ = true;
      return {memory_.data() + i * buffer_bytes_, buffer_bytes_};
    }
  }
  has_buffer_ = false;
  return {};
}

RecordError FileWriter::submit(size_t bytes) noexcept {
  if (!has_buffer_ || fd_ < 0 || bytes > buffer_bytes_) return RecordError::no_buffer;
  has_buffer_ = false;
  if (bytes == 0) return RecordError::ok;
  const size_t index = next_free_;
  Slot& slot = slots_[index];
  slot = Slot{file_offset_, bytes, 0, true};
  file_offset_ += bytes;
  ++in_flight_;
  next_free_ = (index + 1) % slots_.size();
  if (backend_ == IoBackend::io_uring && queue_slot(index)) return RecordError::ok;
  return write_slot_now(slot, index);
}

bool FileWriter::queue_slot(size_t index) noexcept {
  Slot& slot = slots_[index];
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_->ring);
  if (sqe == nullptr) return false;  // cannot happen with one entry per slot; pwrite instead
  io_uring_prep_write(sqe, fd_, memory_.data() + index * buffer_bytes_ + slot.done,
                      static_cast<unsigned>(slot.length - slot.done), slot.offset + slot.done);
  sqe->user_data = index;
  return io_uring_submit(&ring_->ring) >= 1;
}

RecordError FileWriter::write_slot_now(Slot& slot, size_t index) noexcept {
  const char* data = memory_.data() + index * buffer_bytes_;
  while (slot.done < slot.length) {
    const ssize_t n =
        ::pwrite(fd_, data + slot.done, slot.length - slot.done, static_cast<off_t>(slot.offset + slot.done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      finish(index, n < 0 ? errno : ENOSPC);
      return RecordError::write_failed;
    }
    slot.done += static_cast<size_t>(n);
  }
  finish(index, 0);
  return RecordError::ok;
}

void FileWriter::finish(size_t index, int error) noexcept {
  Slot& slot = slots_[index];
  if (error != 0) {
    ++write_errors_;
    last_errno_ = error;
  } else {
    bytes_written_ += slot.length;
  }
  slot.busy = false;
  --in_flight_;
}

// An io_uring completion. `result`: the bytes written, or -errno (0 bytes counts as ENOSPC).
// Requeues the rest of a short write; a requeue that fails finishes with pwrite.
void FileWriter::complete(size_t index, int result) noexcept {
  Slot& slot = slots_[index];
  if (result > 0) slot.done += static_cast<size_t>(result);
  if (result == -EINTR || result == -EAGAIN || (result > 0 && slot.done < slot.length)) {
    if (!queue_slot(index)) (void)write_slot_now(slot, index);
    return;
  }
  if (result < 0) {
    finish(index, -result);
  } else if (result == 0) {
    finish(index, ENOSPC);
  } else {
    finish(index, 0);
  }
}

size_t FileWriter::reap() noexcept {
  if (!ring_ || in_flight_ == 0) return 0;
  size_t finished = 0;
  io_uring_cqe* cqe = nullptr;
  while (io_uring_peek_cqe(&ring_->ring, &cqe) == 0) {
    const auto index = static_cast<size_t>(cqe->user_data);
    const int result = cqe->res;
    io_uring_cqe_seen(&ring_->ring, cqe);
    const size_t before = in_flight_;
    complete(index, result);
    finished += before - in_flight_;
  }
  return finished;
}

size_t FileWriter::wait_one() noexcept {
  io_uring_cqe* cqe = nullptr;
  int rc = 0;
  do {
    rc = io_uring_wait_cqe(&ring_->ring, &cqe);
  } while (rc == -EINTR);
  if (rc < 0) return 0;
  const auto index = static_cast<size_t>(cqe->user_data);
  const int result = cqe->res;
  io_uring_cqe_seen(&ring_->ring, cqe);
  complete(index, result);
  return 1;
}

void FileWriter::drain() noexcept {
  while (in_flight_ > 0 && ring_) {
    if (wait_one() == 0) break;  // the ring itself failed: nothing more will complete
  }
}

RecordError FileWriter::close() noexcept {
  if (fd_ < 0) return RecordError::ok;
  drain();
  const bool failed = ::close(fd_) != 0;
  if (failed) last_errno_ = errno;
  fd_ = -1;
  return failed ? RecordError::close_failed : RecordError::ok;
}

}  // namespace pmx::record
