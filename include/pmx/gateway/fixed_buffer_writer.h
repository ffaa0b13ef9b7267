// FixedBufferWriter: appends request text (HTTP head, JSON body) into a caller-provided buffer,
// so building a request allocates nothing. Past the end it stops writing and remembers the
// overflow; the caller checks ok() once at the end instead of after every append.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

namespace pmx::gateway {

class FixedBufferWriter {
 public:
  explicit FixedBufferWriter(std::span<char> buffer) noexcept
      : data_(buffer.data()), capacity_(buffer.size()) {}

  void append(std::string_view text) noexcept {
    if (text.size() > capacity_ - size_) {
      overflow_ = true;
      return;
    }
    if (!text.empty()) std::memcpy(data_ + size_, text.data(), text.size());
    size_ += text.size();
  }
  void append(char c) noexcept { append(std::string_view(&c, 1)); }
  void append_uint(uint64_t value) noexcept {
    char digits[20];
    size_t n = 0;
    do {
      digits[sizeof digits - 1 - n++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value != 0);
    append(std::string_view(digits + sizeof digits - n, n));
  }
  void append_int(int64_t value) noexcept {
    if (value < 0) {
      append('-');
      append_uint(~static_cast<uint64_t>(value) + 1);  // defined for INT64_MIN too
    } else {
      append_uint(static_cast<uint64_t>(value));
    }
  }
  // Reserves n bytes and returns where to write them, or null (and overflow) if they do not fit.
  char* reserve(size_t n) noexcept {
    if (n > capacity_ - size_) {
      overflow_ = true;
      return nullptr;
    }
    char* at = data_ + size_;
    size_ += n;
    return at;
  }

  bool ok() const noexcept { return !overflow_; }
  size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return {data_, size_}; }

 private:
  char* data_;
  size_t capacity_;
  size_t size_ = 0;
  bool overflow_ = false;
};

}  // namespace pmx::gateway
