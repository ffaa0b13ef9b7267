// Capture files: one WebSocket frame per line, as recorded by pmx-record and replayed by tools.
//
//     <receive_ts_ns>\t<venue>\t<frame>\n        venue = kalshi | polymarket
//
// receive_ts_ns is the MonoNanos the feed stamped on the frame. A file whose name ends in `.zst`
// is zstd-compressed; it may hold several independent zstd frames one after another (a recorder
// that rotates or flushes), read with streaming decompression. The reader also accepts bare
// frames, one per line, when the caller names their venue (the shape of the third-party
// recordings in shared/data/venues/); their receive time is 0.
//
// Comment lines start with '#' and are counted (comment_lines), never returned. One of them is
// the capture header a recorder writes first in every file (capture_header_line()):
//
//     # pmx-capture v=1 wall_minus_mono_ns=<int64>
//
// wall_minus_mono_ns is CLOCK_REALTIME - CLOCK_MONOTONIC_RAW in ns, read by the recorder when it
// opened the file: a replay turns each receive_ts_ns into the wall time the engine's strategy saw
// (expiry maths) as receive_ts_ns + wall_minus_mono_ns. The reader keeps the last header value it
// has read (wall_minus_mono_ns()); unknown key=value pairs in the header are ignored (later
// versions may add some), a header whose wall_minus_mono_ns is not an integer is a bad_header.
//
// Malformed lines are counted and skipped, never fatal: bad timestamp or missing tabs
// (malformed_line), unknown venue (bad_venue), longer than max_line_bytes (line_too_long: the
// line is skipped without ever being held whole). Empty lines are skipped silently. Only I/O and
// zstd failures end the stream.
//
// The frame of each record is a PaddedFrame: kFramePadding readable bytes follow it inside the
// reader's buffer, so it goes straight to a parser without a copy. It stays valid until the next
// call to next().
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/feed/feed_error.h"
#include "pmx/feed/padded_frame.h"

namespace pmx {

// Longest accepted line, timestamp and venue included.
inline constexpr size_t kMaxLineBytes = size_t{16} << 20;  // 16 MiB

struct CaptureRecord {
  MonoNanos recv_ts{};  // 0 for a bare frame
  Venue venue = Venue::kalshi;
  PaddedFrame frame{};
  uint64_t line_number = 0;  // 1-based, for error messages
};

struct CaptureCounters {
  uint64_t lines = 0;    // every line seen, blank and malformed included
  uint64_t records = 0;  // lines returned by next()
  uint64_t blank_lines = 0;
  uint64_t comment_lines = 0;  // '#' lines, headers included
  uint64_t bad_lines = 0;      // sum of errors[] for malformed_line, bad_venue, line_too_long
  uint64_t bad_headers = 0;    // '# pmx-capture' lines whose wall_minus_mono_ns is unreadable
  std::array<uint64_t, kFeedErrorCount> errors{};

  uint64_t error_count(FeedError e) const noexcept { return errors[static_cast<size_t>(e)]; }
};

class CaptureReader {
 public:
  struct Options {
    std::optional<Venue> bare_venue;  // accept lines that are just a frame, from this venue
    size_t max_line_bytes = kMaxLineBytes;
    size_t read_chunk = size_t{1} << 20;
  };

  CaptureReader();
  ~CaptureReader();
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // Opens a file; `.zst` selects zstd. Returns io_error if it cannot be opened.
  FeedError open(const std::string& path, Options options);
  // Reads from memory that outlives the reader (tests, fuzzing).
  FeedError open_memory(std::string_view data, bool zstd, Options options);

  // The next well-formed record: true, or false at the end of the stream or on a fatal error
  // (then error() says which: io_error or zstd_error; ok at a clean end).
  bool next(CaptureRecord& out) noexcept;
  FeedError error() const noexcept { return error_; }
  const CaptureCounters& counters() const noexcept { return counters_; }
  // The wall_minus_mono_ns of the last capture header read so far (see above); nullopt before
  // one has been read (a recorder writes it as the first line, so after the first next()).
  std::optional<int64_t> wall_minus_mono_ns() const noexcept { return wall_minus_mono_ns_; }

 private:
  struct Source;
  bool fill() noexcept;  // reads more bytes into the buffer; false at end or on error
  bool parse_line(std::string_view line, CaptureRecord& out) noexcept;
  void reject(FeedError e) noexcept;
  void read_comment(std::string_view line) noexcept;

  Options options_;
  std::unique_ptr<Source> source_;
  std::vector<char> buf_;  // [head_, tail_) unread data; kFramePadding spare bytes after tail_ always
  size_t head_ = 0, scan_ = 0, tail_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside a too-long line: discard until its newline
  uint64_t line_number_ = 0;
  FeedError error_ = FeedError::ok;
  CaptureCounters counters_;
  std::optional<int64_t> wall_minus_mono_ns_;
};

// The header line (with its '\n') a recorder writes first in every capture file.
std::string capture_header_line(int64_t wall_minus_mono_ns);

class CaptureWriter {
 public:
  CaptureWriter();
  ~CaptureWriter();  // closes (and flushes) if still open
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;

  // Creates / truncates `path`; a name ending in `.zst` writes one zstd frame (level 3).
  FeedError open(const std::string& path);
  // Appends capture_header_line(wall_minus_mono_ns): call it first.
  FeedError write_header(int64_t wall_minus_mono_ns);
  // Appends one line. A frame containing '\n' or '\r' is refused (frame_has_newline).
  FeedError write(MonoNanos recv_ts, Venue venue, std::string_view frame);
  FeedError close();

 private:
  FeedError put(const char* data, size_t n, bool end);
  std::FILE* file_ = nullptr;
  void* cctx_ = nullptr;  // ZSTD_CCtx*, null for plain text
  std::string line_;
  std::vector<char> out_;
};

}  // namespace pmx
