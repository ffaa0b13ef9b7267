// A frame handed to a parser, with the promise that kFramePadding readable bytes follow it.
//
// simdjson's SIMD stage reads up to SIMDJSON_PADDING (64) bytes past the end of the JSON. The
// bytes may hold anything (the next line of a capture, the rest of a socket buffer), they only
// have to be mapped. A caller that owns a larger buffer (a WebSocket read buffer allocated with
// `capacity + kFramePadding`, the capture reader's line buffer) wraps its bytes in place with
// PaddedFrame::in_place; anyone else copies into a reused FrameBuffer.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace pmx {

inline constexpr size_t kFramePadding = 64;  // == SIMDJSON_PADDING (static_assert'ed in the .cpp)

// Frames longer than this are rejected (frame_too_large) without being parsed.
inline constexpr size_t kMaxFrameBytes = size_t{16} << 20;  // 16 MiB

struct PaddedFrame {
  std::string_view bytes{};  // the frame; bytes.data()[bytes.size() + kFramePadding - 1] is readable

  // The caller vouches for the padding.
  static constexpr PaddedFrame in_place(std::string_view b) noexcept { return PaddedFrame{b}; }
};

// Copies frames into one growing buffer with the padding after them. Allocates only when a frame
// is longer than any before it.
class FrameBuffer {
 public:
  PaddedFrame assign(std::string_view frame) {
    if (buf_.size() < frame.size() + kFramePadding) buf_.resize(frame.size() + kFramePadding);
    if (!frame.empty()) std::char_traits<char>::copy(buf_.data(), frame.data(), frame.size());
    return PaddedFrame{std::string_view(buf_.data(), frame.size())};
  }

 private:
  std::vector<char> buf_;
};

}  // namespace pmx
