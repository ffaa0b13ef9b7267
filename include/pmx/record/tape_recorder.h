// TapeRecorder: one tape of the state segment -> a sequence of rotating capture files.
//
// Each poll() copies what the tape holds (at most `batch` messages) into the pending zstd frame,
// hands a frame to the FileWriter once it reaches frame_bytes or is frame_interval_ns old, and
// rotates the file when the RotationPolicy says so. The tape is mapped read-only: the recorder
// cannot slow its writer; when it falls a lap behind, TapeReader says exactly how many messages
// were overwritten (counted in `lost`, per file in its trailer).
//
// A file, in the capture format of pmx/feed/capture.h, is:
//
//     # pmx-capture v=1 wall_minus_mono_ns=<n>    CLOCK_REALTIME - CLOCK_MONOTONIC_RAW at open
//     <receive_ts_ns>\t<venue>\t<message>         ... one line per tape message, in tape order
//     # pmx-capture end messages=<n> lost=<n> frames=<n> rewritten=<n> too_large=<n>
//
// in independent zstd frames; the trailer only when the file was closed cleanly (rotation,
// finish()). receive_ts_ns is the feed's CLOCK_MONOTONIC_RAW stamp, so wall time is
// receive_ts_ns + wall_minus_mono_ns. In the trailer, lost = messages overwritten on the tape
// before they were read while this file was current, too_large = messages the engine could not
// put on the tape at all (larger than half its data area), frames counts the trailer's own frame.
//
// Back-pressure: when every write buffer is in flight the pending frame waits (deferred_flushes)
// and reading stops once it is full, so a slow disk turns into counted tape losses, never into a
// wait inside the engine. Time is passed in (mono, wall) so tests can drive it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/record/file_writer.h"
#include "pmx/record/frame_encoder.h"
#include "pmx/record/record_error.h"
#include "pmx/record/rotation.h"
#include "pmx/shm/tape.h"

namespace pmx::record {

struct RecorderOptions {
  std::string directory = ".";
  std::string instance = "pmx";
  RotationPolicy rotation;
  int zstd_level = 3;
  size_t frame_bytes = size_t{256} << 10;     // uncompressed bytes per zstd frame (at most ~)
  int64_t frame_interval_ns = 1'000'000'000;  // a pending frame older than this is written
  IoBackend backend = IoBackend::io_uring;
  size_t write_buffers = 4;  // frames in flight to the disk at most
  size_t batch = 4096;       // messages read per poll() at most
};

struct RecorderCounters {
  uint64_t messages = 0;          // written to capture files
  uint64_t message_bytes = 0;     // their bytes (without the line's timestamp and venue)
  uint64_t lost = 0;              // overwritten on the tape before they were read
  uint64_t too_large = 0;         // never on the tape: larger than half its data area (engine side)
  uint64_t rewritten = 0;         // CR/LF replaced by spaces
  uint64_t empty = 0;             // empty messages skipped
  uint64_t frames = 0;            // zstd frames submitted
  uint64_t files = 0;             // capture files opened
  uint64_t deferred_flushes = 0;  // a frame was due but every write buffer was in flight
  uint64_t tape_restarts = 0;     // the engine re-created the tape (its head went backwards)
};

class TapeRecorder {
 public:
  // `tape`: a tape in a mapped segment whose writer has published at least one message (so its
  // header is initialised). Starts at the oldest message still on the tape. Throws
  // std::runtime_error naming the problem (bad tape header) or std::bad_alloc.
  TapeRecorder(const void* tape, RecorderOptions options);
  ~TapeRecorder();
  TapeRecorder(const TapeRecorder&) = delete;
  TapeRecorder& operator=(const TapeRecorder&) = delete;

  // Records what the tape holds now (up to `batch` messages); returns how many messages were
  // read. After an error (last_error()) the caller should finish() and stop.
  size_t poll(MonoNanos mono, WallNanos wall) noexcept;
  // Messages published but not read yet.
  uint64_t backlog() const noexcept { return reader_.backlog(); }
  // Writes the pending lines and the trailer, waits for the writes, closes the file.
  RecordError finish() noexcept;

  Venue venue() const noexcept { return venue_; }
  const RecorderCounters& counters() const noexcept { return counters_; }
  const std::vector<std::string>& files() const noexcept { return files_; }  // paths, oldest first
  RecordError last_error() const noexcept { return last_error_; }
  int last_errno() const noexcept { return writer_.last_errno(); }
  uint64_t write_errors() const noexcept { return writer_.write_errors(); }
  IoBackend backend() const noexcept { return writer_.backend(); }
  const std::string& fallback_reason() const noexcept { return writer_.fallback_reason(); }

 private:
  struct FileTally {  // for the trailer
    uint64_t messages = 0, lost = 0, frames = 0, rewritten = 0, too_large = 0;
    WallNanos opened{};
  };

  RecordError open_file(MonoNanos mono, WallNanos wall) noexcept;
  RecordError close_file() noexcept;  // pending + trailer, then close
  RecordError flush_frame(MonoNanos mono, bool wait) noexcept;
  void note_lost() noexcept;
  uint64_t too_large_now() const noexcept;

  const shm::TapeHeader* header_ = nullptr;
  shm::TapeReader reader_;
  RecorderOptions options_;
  Venue venue_ = Venue::kalshi;
  FrameEncoder encoder_;
  FileWriter writer_;
  std::vector<char> message_;  // TapeReader copies each message here
  std::vector<std::string> files_;
  RecorderCounters counters_;
  FileTally file_;
  uint64_t lost_base_ = 0;        // losses counted by readers of earlier incarnations of the tape
  uint64_t too_large_base_ = 0;   // the tape's dropped_too_large when recording started
  int64_t pending_since_ns_ = 0;  // mono time of the oldest pending line
  RecordError last_error_ = RecordError::ok;
};

}  // namespace pmx::record
