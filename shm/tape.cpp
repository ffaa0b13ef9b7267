#include "pmx/shm/tape.h"

#include <cstring>
#include <new>

namespace pmx::shm {
namespace {

constexpr uint64_t kWord = 8;
constexpr uint64_t padded(uint64_t n) noexcept {
  return (n + kWord - 1) & ~(kWord - 1);
}

void store_words(char* dst, std::string_view src) noexcept {
  const uint64_t n = padded(src.size());
  for (uint64_t i = 0; i < n; i += kWord) {
    uint64_t w = 0;
    std::memcpy(&w, src.data() + i, src.size() - i < kWord ? src.size() - i : kWord);
    std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(dst + i)).store(w, std::memory_order_relaxed);
  }
}

void load_words(char* dst, const char* src, uint64_t length) noexcept {
  const uint64_t n = padded(length);
  for (uint64_t i = 0; i < n; i += kWord) {
    const uint64_t w = std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(const_cast<char*>(src + i)))
                           .load(std::memory_order_relaxed);
    std::memcpy(dst + i, &w, length - i < kWord ? length - i : kWord);
  }
}

template <typename T>
T load_relaxed(const T& field) noexcept {
  return std::atomic_ref<T>(const_cast<T&>(field)).load(std::memory_order_relaxed);
}
template <typename T>
void store_relaxed(T& field, T value) noexcept {
  std::atomic_ref<T>(field).store(value, std::memory_order_relaxed);
}

}  // namespace

TapeWriter::TapeWriter(void* memory, uint64_t entry_capacity, uint64_t data_capacity,
                       uint64_t venue) noexcept {
  header_ = ::new (memory) TapeHeader{};
  header_->entry_capacity = entry_capacity;
  header_->data_capacity = data_capacity;
  header_->venue = venue;
  index_ = reinterpret_cast<TapeEntry*>(static_cast<char*>(memory) + sizeof(TapeHeader));
  for (uint64_t i = 0; i < entry_capacity; ++i)
    ::new (&index_[i]) TapeEntry{};
  data_ = reinterpret_cast<char*>(index_ + entry_capacity);
}

void TapeWriter::append(std::string_view message, int64_t receive_ns) noexcept {
  const uint64_t capacity = header_->data_capacity;
  const uint64_t length = padded(message.size());
  if (length > capacity / 2) {
    header_->dropped_too_large.store(header_->dropped_too_large.load(std::memory_order_relaxed) + 1,
                                     std::memory_order_relaxed);
    return;
  }
  // Never split a message across the end of the data area: skip to the next lap.
  uint64_t offset = next_offset_;
  if (offset % capacity + length > capacity) offset += capacity - offset % capacity;
  next_offset_ = offset + length;

  header_->reserved_end.store(next_offset_, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);

  const uint64_t n = next_++;
  TapeEntry& entry = index_[n & (header_->entry_capacity - 1)];
  entry.state.store(2 * n + 1, std::memory_order_relaxed);
  std::atomic_thread_fence(std::memory_order_release);
  store_relaxed(entry.offset, offset);
  store_relaxed(entry.length, static_cast<uint64_t>(message.size()));
  store_relaxed(entry.receive_ns, receive_ns);
  store_words(data_ + offset % capacity, message);
  entry.state.store(2 * n + 2, std::memory_order_release);
  header_->head.store(next_, std::memory_order_release);
}

uint64_t TapeWriter::published() const noexcept {
  return next_;
}

TapeReader::TapeReader(const void* memory, bool from_now) noexcept {
  header_ = static_cast<const TapeHeader*>(memory);
  index_ = reinterpret_cast<const TapeEntry*>(static_cast<const char*>(memory) + sizeof(TapeHeader));
  data_ = reinterpret_cast<const char*>(index_ + header_->entry_capacity);
  const uint64_t head = header_->head.load(std::memory_order_acquire);
  if (from_now) {
    next_ = head;
  } else {
    next_ = head > header_->entry_capacity ? head - header_->entry_capacity : 0;
  }
}

uint64_t TapeReader::max_message_bytes() const noexcept {
  return header_->data_capacity / 2;
}

uint64_t TapeReader::backlog() const noexcept {
  const uint64_t head = header_->head.load(std::memory_order_acquire);
  return head > next_ ? head - next_ : 0;
}

TapeReader::Status TapeReader::next(Message& out, std::span<char> buffer) noexcept {
  const uint64_t head = header_->head.load(std::memory_order_acquire);
  if (next_ >= head) return Status::empty;

  // Entries older than one lap of the index are certainly gone: skip them in one step.
  const uint64_t entries = header_->entry_capacity;
  if (head - next_ > entries) {
    lost_ += head - entries - next_;
    next_ = head - entries;
    return Status::lost;
  }

  const TapeEntry& entry = index_[next_ & (entries - 1)];
  const uint64_t published = 2 * next_ + 2;
  if (entry.state.load(std::memory_order_acquire) != published) {
    // Overwritten by a later lap (the writer is at least one lap ahead of this message).
    ++lost_;
    ++next_;
    return Status::lost;
  }
  const uint64_t offset = load_relaxed(entry.offset);
  const uint64_t length = load_relaxed(entry.length);
  const int64_t receive_ns = load_relaxed(entry.receive_ns);
  const uint64_t capacity = header_->data_capacity;
  if (length > buffer.size() || length > capacity / 2) {  // only a torn read can say this
    ++lost_;
    ++next_;
    return Status::lost;
  }
  load_words(buffer.data(), data_ + offset % capacity, length);
  std::atomic_thread_fence(std::memory_order_acquire);
  const bool entry_intact = entry.state.load(std::memory_order_relaxed) == published;
  const bool bytes_intact = header_->reserved_end.load(std::memory_order_relaxed) - offset <= capacity;
  if (!entry_intact || !bytes_intact) {
    ++lost_;
    ++next_;
    return Status::lost;
  }
  out.sequence = next_++;
  out.receive_ns = receive_ns;
  out.bytes = std::string_view(buffer.data(), length);
  return Status::message;
}

}  // namespace pmx::shm
