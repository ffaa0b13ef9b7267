// The venue simulator's data: frames to replay, loaded whole at start-up.
//
// FrameSource is the extension point for other data: today only capture files feed it
// (load_capture_file); a seeded synthetic market generator is planned as a second producer of the
// same SimFrame list (or of a lazy source with the same shape).
//
// Capture lines are `<receive_ts_ns>\t<venue>\t<frame>` (pmx-record's format, see
// include/pmx/feed/capture.h) or, when a default venue is given, bare frames one per line (the
// third-party recordings in shared/data/venues/). Blank lines are skipped; anything else that does
// not parse is an error naming the file and line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pmx/core/types.h"

namespace pmx::sim {

struct SimFrame {
  int64_t ts_ns = 0;  // recorded receive time; 0 for bare frames
  Venue venue = Venue::kalshi;
  std::string text;  // the frame, verbatim
  // Derived once at load time:
  std::string type;                    // Kalshi "type" / Polymarket first "event_type"
  std::string market_ticker;           // Kalshi msg.market_ticker
  std::vector<std::string> asset_ids;  // Polymarket asset ids the frame touches
  bool has_sid = false;                // Kalshi envelope fields present, to be rewritten
  bool has_seq = false;
};

struct FrameSource {
  std::vector<SimFrame> frames;  // in replay order

  size_t count(Venue v) const;
};

// Appends the frames of `path` to `source`. Throws std::runtime_error with "path:line: why".
void load_capture_file(FrameSource& source, const std::string& path, std::optional<Venue> bare_venue);

// Fills the derived fields of `frame` from its text (malformed JSON leaves them empty).
void classify_frame(SimFrame& frame);

}  // namespace pmx::sim
