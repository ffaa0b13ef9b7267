// The cross-venue pairs file the engine reads (issue 5, cross-venue arbitrage), written by the
// strategy module's own writer (pmx/strategy/cross_venue_mapping.h) so the simulator and the
// engine cannot disagree on the format: one [[pair]] per Kalshi market <-> Polymarket market
// listed as the same proposition, with each side's resolution source and date, and `equivalent`
// (false when they resolve differently: the engine refuses those).
#pragma once

#include <string>

#include "sim_universe.h"

namespace pmx::sim {

// The pairs of `universe` as TOML text, with a comment line `header` first (no newline inside).
std::string pairs_toml(const Universe& universe, const std::string& header);

}  // namespace pmx::sim
