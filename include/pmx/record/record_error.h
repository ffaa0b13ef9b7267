// Errors of the recorder (pmx-record): what went wrong writing capture files. The hot loop
// returns these; the tool's main turns them into one-line messages with to_string().
#pragma once

#include <cstdint>
#include <string_view>

namespace pmx::record {

enum class RecordError : uint8_t {
  ok = 0,
  no_room,       // the pending frame cannot take this line: compress it first
  no_buffer,     // every write buffer is in flight: reap completions first
  zstd_error,    // compression failed
  open_failed,   // the capture file could not be created (exists, permissions, directory)
  write_failed,  // a write returned an error (disk full, I/O error): that frame is lost
  close_failed,  // close(2) failed
  bad_tape,      // the tape's header names no known venue or its geometry is unusable
};

constexpr std::string_view to_string(RecordError e) noexcept {
  switch (e) {
    case RecordError::ok:
      return "ok";
    case RecordError::no_room:
      return "no room in the pending frame";
    case RecordError::no_buffer:
      return "every write buffer in flight";
    case RecordError::zstd_error:
      return "zstd compression failed";
    case RecordError::open_failed:
      return "cannot create the capture file";
    case RecordError::write_failed:
      return "write failed";
    case RecordError::close_failed:
      return "close failed";
    case RecordError::bad_tape:
      return "unusable tape header";
  }
  return "unknown";
}

}  // namespace pmx::record
