#include "pmx/feed/capture.h"

#include <charconv>
#include <cstring>
#include <system_error>

#include <zstd.h>

namespace pmx {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) noexcept {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

// Where bytes come from: a file or memory, optionally through a zstd stream.
struct CaptureReader::Source {
  std::FILE* file = nullptr;
  std::string_view memory;
  size_t memory_pos = 0;
  ZSTD_DCtx* dctx = nullptr;
  std::vector<char> zin;
  ZSTD_inBuffer in{nullptr, 0, 0};
  bool raw_eof = false;
  size_t last_ret = 0;  // ZSTD_decompressStream's last return: 0 = at a frame boundary

  ~Source() {
    if (file != nullptr) std::fclose(file);
    if (dctx != nullptr) ZSTD_freeDCtx(dctx);
  }

  // Raw (possibly compressed) bytes; returns -1 on error.
  long read_raw(char* dst, size_t cap) noexcept {
    if (file != nullptr) {
      const size_t n = std::fread(dst, 1, cap, file);
      if (n == 0 && std::ferror(file)) return -1;
      return static_cast<long>(n);
    }
    const size_t n = std::min(cap, memory.size() - memory_pos);
    if (n > 0) std::memcpy(dst, memory.data() + memory_pos, n);
    memory_pos += n;
    return static_cast<long>(n);
  }

  // Decoded bytes into dst; 0 at end; -1 I/O error; -2 zstd error.
  long read(char* dst, size_t cap) noexcept {
    if (dctx == nullptr) return read_raw(dst, cap);
    ZSTD_outBuffer out{dst, cap, 0};
    while (out.pos == 0) {
      if (in.pos == in.size) {
        if (raw_eof) return last_ret == 0 ? 0 : -2;  // input ended inside a zstd frame: truncated
        const long n = read_raw(zin.data(), zin.size());
        if (n < 0) return -1;
        if (n == 0) {
          raw_eof = true;
          continue;
        }
        in = ZSTD_inBuffer{zin.data(), static_cast<size_t>(n), 0};
      }
      const size_t ret = ZSTD_decompressStream(dctx, &out, &in);
      if (ZSTD_isError(ret)) return -2;
      last_ret = ret;
    }
    return static_cast<long>(out.pos);
  }
};

CaptureReader::CaptureReader() = default;
CaptureReader::~CaptureReader() = default;

FeedError CaptureReader::open(const std::string& path, Options options) {
  auto src = std::make_unique<Source>();
  src->file = std::fopen(path.c_str(), "rb");
  if (src->file == nullptr) return error_ = FeedError::io_error;
  if (ends_with(path, ".zst")) {
    src->dctx = ZSTD_createDCtx();
    src->zin.resize(ZSTD_DStreamInSize());
  }
  source_ = std::move(src);
  options_ = options;
  buf_.assign(options_.read_chunk + kFramePadding, '\0');
  head_ = scan_ = tail_ = 0;
  eof_ = skipping_ = false;
  line_number_ = 0;
  error_ = FeedError::ok;
  wall_minus_mono_ns_.reset();
  return FeedError::ok;
}

FeedError CaptureReader::open_memory(std::string_view data, bool zstd, Options options) {
  auto src = std::make_unique<Source>();
  src->memory = data;
  if (zstd) {
    src->dctx = ZSTD_createDCtx();
    src->zin.resize(ZSTD_DStreamInSize());
  }
  source_ = std::move(src);
  options_ = options;
  if (options_.read_chunk == 0) options_.read_chunk = 1;
  buf_.assign(options_.read_chunk + kFramePadding, '\0');
  head_ = scan_ = tail_ = 0;
  eof_ = skipping_ = false;
  line_number_ = 0;
  error_ = FeedError::ok;
  wall_minus_mono_ns_.reset();
  return FeedError::ok;
}

void CaptureReader::reject(FeedError e) noexcept {
  ++counters_.bad_lines;
  ++counters_.errors[static_cast<size_t>(e)];
}

bool CaptureReader::fill() noexcept {
  const size_t pending = tail_ - head_;
  if (pending > options_.max_line_bytes) {
    // The current line is already too long: drop what we hold and discard up to its newline.
    if (!skipping_) {
      ++counters_.lines;
      ++line_number_;
      reject(FeedError::line_too_long);
    }
    skipping_ = true;
    head_ = scan_ = tail_ = 0;
  } else if (skipping_) {
    head_ = scan_ = tail_ = 0;
  } else if (head_ > 0) {
    std::memmove(buf_.data(), buf_.data() + head_, pending);
    scan_ -= head_;
    tail_ = pending;
    head_ = 0;
  }
  const size_t usable = buf_.size() - kFramePadding;
  if (usable - tail_ < options_.read_chunk) {
    // Grow (amortized doubling) up to what one maximal line plus a chunk needs.
    const size_t want = std::max(usable * 2, tail_ + options_.read_chunk);
    const size_t cap = std::min(want, options_.max_line_bytes + options_.read_chunk + 1);
    if (cap > usable) {
      try {
        buf_.resize(cap + kFramePadding, '\0');
      } catch (...) {
        error_ = FeedError::io_error;
        return false;
      }
    }
  }
  const size_t room = buf_.size() - kFramePadding - tail_;
  if (room == 0) return true;  // buffer full of one line: the next round flags it too long
  const long n = source_->read(buf_.data() + tail_, room);
  if (n < 0) {
    error_ = n == -1 ? FeedError::io_error : FeedError::zstd_error;
    ++counters_.errors[static_cast<size_t>(error_)];
    return false;
  }
  if (n == 0) {
    eof_ = true;
    return true;
  }
  tail_ += static_cast<size_t>(n);
  return true;
}

// '#' lines: comments; "# pmx-capture k=v k=v ..." is the header (see capture.h).
void CaptureReader::read_comment(std::string_view line) noexcept {
  ++counters_.comment_lines;
  constexpr std::string_view kHeader = "# pmx-capture ";
  if (line.substr(0, kHeader.size()) != kHeader) return;
  std::string_view rest = line.substr(kHeader.size());
  while (!rest.empty()) {
    const size_t space = rest.find(' ');
    const std::string_view pair = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    constexpr std::string_view kKey = "wall_minus_mono_ns=";
    if (pair.substr(0, kKey.size()) != kKey) continue;
    const std::string_view digits = pair.substr(kKey.size());
    int64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty()) {
      ++counters_.bad_headers;
      return;
    }
    wall_minus_mono_ns_ = value;
  }
}

bool CaptureReader::parse_line(std::string_view line, CaptureRecord& out) noexcept {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {
    ++counters_.blank_lines;
    return false;
  }
  if (line.front() == '#') {
    read_comment(line);
    return false;
  }
  if (line.size() > options_.max_line_bytes) {
    reject(FeedError::line_too_long);
    return false;
  }
  out.line_number = line_number_;
  // Tagged: digits, tab, venue, tab, frame.
  if (line.front() >= '0' && line.front() <= '9') {
    uint64_t ts = 0;
    size_t i = 0;
    bool ok = true;
    for (; i < line.size() && line[i] != '\t'; ++i) {
      const char c = line[i];
      if (c < '0' || c > '9' || i >= 19) {
        ok = false;
        break;
      }
      ts = ts * 10 + static_cast<uint64_t>(c - '0');
    }
    if (ok && i < line.size() && ts <= static_cast<uint64_t>(INT64_MAX)) {
      const std::string_view rest = line.substr(i + 1);
      const size_t tab = rest.find('\t');
      if (tab != std::string_view::npos) {
        const std::string_view venue = rest.substr(0, tab);
        const std::string_view frame = rest.substr(tab + 1);
        if (venue == "kalshi") {
          out.venue = Venue::kalshi;
        } else if (venue == "polymarket") {
          out.venue = Venue::polymarket;
        } else {
          reject(FeedError::bad_venue);
          return false;
        }
        if (frame.empty()) {
          reject(FeedError::malformed_line);
          return false;
        }
        out.recv_ts = MonoNanos{static_cast<int64_t>(ts)};
        out.frame = PaddedFrame::in_place(frame);
        return true;
      }
    }
  }
  if (options_.bare_venue.has_value()) {
    out.recv_ts = MonoNanos{0};
    out.venue = *options_.bare_venue;
    out.frame = PaddedFrame::in_place(line);
    return true;
  }
  reject(FeedError::malformed_line);
  return false;
}

bool CaptureReader::next(CaptureRecord& out) noexcept {
  if (source_ == nullptr || error_ != FeedError::ok) return false;
  for (;;) {
    const char* base = buf_.data();
    const void* nl = scan_ < tail_ ? std::memchr(base + scan_, '\n', tail_ - scan_) : nullptr;
    if (nl != nullptr) {
      const size_t end = static_cast<size_t>(static_cast<const char*>(nl) - base);
      const std::string_view line(base + head_, end - head_);
      head_ = scan_ = end + 1;
      if (skipping_) {  // the end of a too-long line, already counted
        skipping_ = false;
        continue;
      }
      ++counters_.lines;
      ++line_number_;
      if (parse_line(line, out)) {
        ++counters_.records;
        return true;
      }
      continue;
    }
    scan_ = tail_;
    if (eof_) {
      if (head_ == tail_ || skipping_) return false;
      // Last line without a newline.
      const std::string_view line(base + head_, tail_ - head_);
      head_ = scan_ = tail_;
      ++counters_.lines;
      ++line_number_;
      if (parse_line(line, out)) {
        ++counters_.records;
        return true;
      }
      return false;
    }
    if (!fill()) return false;
  }
}

// ---- writer -------------------------------------------------------------------------------------

CaptureWriter::CaptureWriter() = default;
CaptureWriter::~CaptureWriter() {
  (void)close();
}

FeedError CaptureWriter::open(const std::string& path) {
  (void)close();
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return FeedError::io_error;
  if (ends_with(path, ".zst")) {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    if (c == nullptr) return FeedError::zstd_error;
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 3);
    cctx_ = c;
    out_.resize(ZSTD_CStreamOutSize());
  }
  return FeedError::ok;
}

FeedError CaptureWriter::put(const char* data, size_t n, bool end) {
  if (cctx_ == nullptr) {
    return n == 0 || std::fwrite(data, 1, n, file_) == n ? FeedError::ok : FeedError::io_error;
  }
  auto* c = static_cast<ZSTD_CCtx*>(cctx_);
  ZSTD_inBuffer in{data, n, 0};
  for (;;) {
    ZSTD_outBuffer out{out_.data(), out_.size(), 0};
    const size_t left = ZSTD_compressStream2(c, &out, &in, end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left)) return FeedError::zstd_error;
    if (out.pos > 0 && std::fwrite(out_.data(), 1, out.pos, file_) != out.pos) return FeedError::io_error;
    if (end ? left == 0 : in.pos == in.size) return FeedError::ok;
  }
}

std::string capture_header_line(int64_t wall_minus_mono_ns) {
  return "# pmx-capture v=1 wall_minus_mono_ns=" + std::to_string(wall_minus_mono_ns) + "\n";
}

FeedError CaptureWriter::write_header(int64_t wall_minus_mono_ns) {
  if (file_ == nullptr) return FeedError::io_error;
  const std::string line = capture_header_line(wall_minus_mono_ns);
  return put(line.data(), line.size(), false);
}

FeedError CaptureWriter::write(MonoNanos recv_ts, Venue venue, std::string_view frame) {
  if (file_ == nullptr) return FeedError::io_error;
  if (frame.find_first_of("\r\n") != std::string_view::npos) return FeedError::frame_has_newline;
  if (frame.empty()) return FeedError::empty_frame;
  line_.clear();
  line_ += std::to_string(recv_ts.ns < 0 ? 0 : recv_ts.ns);
  line_ += '\t';
  line_ += to_string(venue);
  line_ += '\t';
  line_ += frame;
  line_ += '\n';
  return put(line_.data(), line_.size(), false);
}

FeedError CaptureWriter::close() {
  if (file_ == nullptr) return FeedError::ok;
  FeedError result = FeedError::ok;
  if (cctx_ != nullptr) {
    result = put(nullptr, 0, true);
    ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(cctx_));
    cctx_ = nullptr;
  }
  if (std::fclose(file_) != 0 && result == FeedError::ok) result = FeedError::io_error;
  file_ = nullptr;
  return result;
}

}  // namespace pmx
