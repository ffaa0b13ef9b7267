// The venue simulator's data: frames to replay, loaded whole at start-up, or the options of the
// seeded synthetic market that each connection generates lazily (synthetic_market.h), plus the
// universe of markets its REST endpoints list.
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

#include "sim_frame.h"
#include "sim_universe.h"
#include "synthetic_market.h"

namespace pmx::sim {

struct FrameSource {
  std::vector<SimFrame> frames;  // in replay order (capture mode)
  // Set in synthetic mode: every connection runs its own SyntheticMarket with these options and
  // `frames` stays empty.
  std::optional<SyntheticOptions> synthetic;
  Universe universe;  // what the REST endpoints list

  size_t count(Venue v) const;
};

// Appends the frames of `path` to `source`. Throws std::runtime_error with "path:line: why".
void load_capture_file(FrameSource& source, const std::string& path, std::optional<Venue> bare_venue);

// The instruments the capture's frames touch, as a minimal universe: one Kalshi market per
// market_ticker (event ticker = the ticker up to its last '-'), one Polymarket market per
// condition id with the asset ids seen in it as its tokens (first seen = "Yes").
Universe capture_universe(const FrameSource& source);

// Fills the derived fields of `frame` from its text (malformed JSON leaves them empty).
void classify_frame(SimFrame& frame);

}  // namespace pmx::sim
