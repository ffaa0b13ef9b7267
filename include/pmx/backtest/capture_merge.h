// CaptureMerge: several capture files read as one stream ordered by receive time.
//
// Each input is a capture file (pmx/feed/capture.h: `<receive_ts_ns>\t<venue>\t<frame>` lines,
// `.zst` or plain) or, spelled `kalshi:PATH` / `polymarket:PATH`, a file of bare frames of that
// venue (the shape of shared/data/venues recordings), whose receive times are synthetic: line
// number x 1 ms, so such a file replays 1,000 frames per simulated second.
//
// Order: smallest receive time first; ties go to the input named first, then to file order. So
// the feeds see each file's frames in recorded order, and two venues' files interleave as they
// were received (the recorder stamps both with the same monotonic clock).
//
// Clock offset: the capture header's wall_minus_mono_ns of the first input (in command-line
// order) that has one; differing headers are counted (headers_disagree).
//
// Malformed lines are counted per input and skipped (the reader's counters); an input that fails
// mid-way (I/O or zstd error) ends there and is reported by error().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/feed/capture.h"

namespace pmx {

struct CaptureInput {
  std::string path;
  std::optional<Venue> bare_venue;  // set: a file of bare frames of this venue
};

// "kalshi:PATH", "polymarket:PATH" or "PATH".
CaptureInput parse_capture_argument(std::string_view argument);

inline constexpr int64_t kBareFrameSpacingNs = 1'000'000;

struct MergedRecord {
  MonoNanos received{};
  Venue venue = Venue::kalshi;
  std::string_view frame;  // valid until the next call to next()
  size_t input = 0;
};

class CaptureMerge {
 public:
  // Opens every input. Throws std::runtime_error naming the first file that cannot be opened.
  explicit CaptureMerge(std::vector<CaptureInput> inputs);
  ~CaptureMerge();
  CaptureMerge(const CaptureMerge&) = delete;
  CaptureMerge& operator=(const CaptureMerge&) = delete;

  bool next(MergedRecord& out) noexcept;

  std::optional<int64_t> wall_minus_mono_ns() const noexcept;
  uint64_t headers_disagree() const noexcept;
  // Summed over inputs.
  CaptureCounters counters() const noexcept;
  // The first input that ended on an I/O or zstd error: "PATH: io_error", or empty.
  std::string error() const;
  size_t size() const noexcept { return inputs_.size(); }

 private:
  struct Input;
  bool advance(Input& input) noexcept;
  std::vector<std::unique_ptr<Input>> inputs_;
  Input* last_ = nullptr;  // returned by the previous next(): advance it first
};

}  // namespace pmx
