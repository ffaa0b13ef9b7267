#include "pmx/record/frame_encoder.h"

#include <charconv>
#include <cstring>
#include <stdexcept>

#include <zstd.h>

namespace pmx::record {
namespace {

// Timestamp (at most 19 digits), two tabs, the longest venue name, the newline.
constexpr size_t kLineOverhead = 20 + 2 + 10 + 1;
// Kept free beyond one largest message, so a header or trailer comment always fits.
constexpr size_t kCommentRoom = 512;

}  // namespace

FrameEncoder::FrameEncoder(int zstd_level, size_t flush_bytes, size_t max_message_bytes)
    : flush_bytes_(flush_bytes), level_(zstd_level) {
  buffer_.resize(flush_bytes + max_message_bytes + kLineOverhead + kCommentRoom);
  max_frame_bytes_ = ZSTD_compressBound(buffer_.size());
  ZSTD_CCtx* context = ZSTD_createCCtx();
  if (context == nullptr) throw std::runtime_error("zstd: cannot create a compression context");
  context_ = context;
  if (ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level_)) ||
      ZSTD_isError(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1))) {
    ZSTD_freeCCtx(context);
    throw std::runtime_error("zstd: bad compression level " + std::to_string(level_));
  }
}

FrameEncoder::~FrameEncoder() {
  ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(context_));
}

RecordError FrameEncoder::append(int64_t receive_ns, Venue venue, std::string_view message) noexcept {
  if (message.empty()) {
    ++skipped_empty_;
    return RecordError::ok;
  }
  const std::string_view venue_name = to_string(venue);
  if (buffer_.size() - pending_ < message.size() + kLineOverhead) return RecordError::no_room;
  char* out = buffer_.data() + pending_;
  char* const start = out;
  out = std::to_chars(out, out + 20, receive_ns < 0 ? int64_t{0} : receive_ns).ptr;
  *out++ = '\t';
  std::memcpy(out, venue_name.data(), venue_name.size());
  out += venue_name.size();
  *out++ = '\t';
  std::memcpy(out, message.data(), message.size());
  if (message.find_first_of("\r\n") != std::string_view::npos) {
    for (size_t i = 0; i < message.size(); ++i)
      if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    ++rewritten_;
  }
  out += message.size();
  *out++ = '\n';
  pending_ += static_cast<size_t>(out - start);
  ++lines_;
  return RecordError::ok;
}

RecordError FrameEncoder::append_comment(std::string_view text) noexcept {
  if (buffer_.size() - pending_ < text.size() + 3) return RecordError::no_room;
  char* out = buffer_.data() + pending_;
  out[0] = '#';
  out[1] = ' ';
  std::memcpy(out + 2, text.data(), text.size());
  out[2 + text.size()] = '\n';
  pending_ += text.size() + 3;
  ++lines_;
  return RecordError::ok;
}

RecordError FrameEncoder::compress(std::span<char> out, size_t& written) noexcept {
  written = 0;
  auto* context = static_cast<ZSTD_CCtx*>(context_);
  const size_t n = ZSTD_compress2(context, out.data(), out.size(), buffer_.data(), pending_);
  if (ZSTD_isError(n)) {
    ZSTD_CCtx_reset(context, ZSTD_reset_session_only);
    return RecordError::zstd_error;
  }
  written = n;
  pending_ = 0;
  lines_ = 0;
  return RecordError::ok;
}

}  // namespace pmx::record
