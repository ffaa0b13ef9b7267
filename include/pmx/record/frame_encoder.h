// FrameEncoder: capture lines (`<receive_ts_ns>\t<venue>\t<frame>\n`, pmx/feed/capture.h)
// gathered into one pending buffer, then compressed into one independent zstd frame.
//
// Each frame stands alone (its own header, no dictionary shared with the previous one), so a file
// cut anywhere keeps every complete frame before the cut readable: a recorder that crashes loses
// at most the frame it was writing. The caller decides when to compress (pending_bytes() past its
// flush size, or a timer); the buffer holds the flush size plus one largest message, so a message
// that arrives just under the flush size always fits.
//
// A message holding CR or LF would break the line format; those bytes become spaces (a raw newline
// can only be whitespace between JSON tokens, so the JSON means the same) and the message is
// counted in rewritten(). Empty messages are skipped (the capture reader refuses empty frames).
//
// Allocates at construction only (the zstd context's workspace on the first compress()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/record/record_error.h"

namespace pmx::record {

class FrameEncoder {
 public:
  // `flush_bytes`: the caller's target frame size (uncompressed); `max_message_bytes`: the
  // largest message it will append (the tape's max_message_bytes()). Throws std::bad_alloc or
  // std::runtime_error (no zstd context).
  FrameEncoder(int zstd_level, size_t flush_bytes, size_t max_message_bytes);
  ~FrameEncoder();
  FrameEncoder(const FrameEncoder&) = delete;
  FrameEncoder& operator=(const FrameEncoder&) = delete;

  // Appends one capture line; no_room if the pending frame cannot take it (compress first).
  // An empty message is skipped (ok, counted in skipped_empty()).
  RecordError append(int64_t receive_ns, Venue venue, std::string_view message) noexcept;
  // Appends `# <text>\n`, a comment line the capture reader skips. `text` must hold no newline.
  // A comment of up to 500 bytes always fits after the lines the flush rule allows.
  RecordError append_comment(std::string_view text) noexcept;

  // Compresses every pending line into one zstd frame written to `out`, which must hold
  // max_frame_bytes(); `written` is its size. The pending buffer is empty afterwards.
  RecordError compress(std::span<char> out, size_t& written) noexcept;

  size_t pending_bytes() const noexcept { return pending_; }
  size_t pending_lines() const noexcept { return lines_; }
  size_t flush_bytes() const noexcept { return flush_bytes_; }
  bool should_flush() const noexcept { return pending_ >= flush_bytes_; }
  // Worst-case size of one compressed frame (ZSTD_compressBound of the buffer).
  size_t max_frame_bytes() const noexcept { return max_frame_bytes_; }

  uint64_t rewritten() const noexcept { return rewritten_; }
  uint64_t skipped_empty() const noexcept { return skipped_empty_; }

 private:
  std::vector<char> buffer_;
  size_t pending_ = 0;
  size_t lines_ = 0;
  size_t flush_bytes_ = 0;
  size_t max_frame_bytes_ = 0;
  int level_ = 3;
  void* context_ = nullptr;  // ZSTD_CCtx*
  uint64_t rewritten_ = 0;
  uint64_t skipped_empty_ = 0;
};

}  // namespace pmx::record
