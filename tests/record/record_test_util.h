// Helpers for the recorder tests: an in-process tape (zeroed, aligned memory under a TapeWriter),
// capture files read back through the capture reader, and per-test scratch directories.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include "pmx/feed/capture.h"
#include "pmx/shm/tape.h"

#include "../common/scratch_dir.h"

namespace pmx::record_test {

namespace fs = std::filesystem;

// A tape in private memory, as the engine's feed thread would write it in the segment.
class LocalTape {
 public:
  LocalTape(uint64_t entries, uint64_t data_bytes, Venue venue) {
    const size_t bytes = (shm::tape_bytes(entries, data_bytes) + 4095) / 4096 * 4096;
    memory_.reset(static_cast<char*>(std::aligned_alloc(4096, bytes)));
    std::memset(memory_.get(), 0, bytes);
    writer = shm::TapeWriter(memory_.get(), entries, data_bytes, static_cast<uint64_t>(venue));
  }
  const void* memory() const { return memory_.get(); }
  shm::TapeWriter writer;

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> memory_;
};

struct Line {
  int64_t receive_ns = 0;
  Venue venue = Venue::kalshi;
  std::string frame;
  bool operator==(const Line&) const = default;
};

struct CaptureContents {
  std::vector<Line> lines;  // records, in file order
  FeedError error = FeedError::ok;
};

inline std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads with the capture reader, as replays do (comment lines are not records).
inline CaptureContents read_capture(const std::string& bytes) {
  CaptureContents out;
  CaptureReader reader;
  reader.open_memory(bytes, true, {});
  CaptureRecord record;
  while (reader.next(record)) {
    out.lines.push_back(Line{record.recv_ts.ns, record.venue, std::string(record.frame.bytes)});
  }
  out.error = reader.error();
  return out;
}

inline CaptureContents read_capture_file(const fs::path& path) {
  return read_capture(file_bytes(path));
}

// Every frame of a zstd file decompressed, up to the first error (a truncated last frame).
inline std::string decompress_all(const std::string& bytes) {
  std::string text;
  ZSTD_DCtx* context = ZSTD_createDCtx();
  std::vector<char> out(ZSTD_DStreamOutSize());
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  while (in.pos < in.size) {
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    if (ZSTD_isError(ZSTD_decompressStream(context, &o, &in))) break;
    text.append(out.data(), o.pos);
  }
  ZSTD_freeDCtx(context);
  return text;
}

// The '#' comment lines of a capture file, in order, without the "# ".
inline std::vector<std::string> comment_lines(const fs::path& path) {
  std::vector<std::string> comments;
  std::istringstream text(decompress_all(file_bytes(path)));
  for (std::string line; std::getline(text, line);)
    if (line.rfind("# ", 0) == 0) comments.push_back(line.substr(2));
  return comments;
}

inline std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

using ScratchDir = pmx::test::ScratchDir;  // tests/common/scratch_dir.h

}  // namespace pmx::record_test
