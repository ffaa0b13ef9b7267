// The cross-venue pairs file the engine reads (issue 5, cross-venue arbitrage): one [[pair]] table
// per Kalshi market <-> Polymarket market listed as the same proposition, with each side's
// resolution source and date, and `equivalent` (false when they resolve differently: the engine
// must refuse those).
//
//   [[pair]]
//   kalshi_ticker = "KXSIMQ-Q1-Y"
//   polymarket_condition_id = "0x..."
//   polymarket_yes_token = "123..."            # CLOB token ids, decimal strings
//   polymarket_no_token = "456..."
//   title = "Will Synthetic Proposition Q1 happen?"
//   kalshi_resolution_source = "Synthetic Statistics Bureau"
//   kalshi_resolution_date = "2026-12-01T15:00:00Z"      # RFC 3339 UTC strings
//   polymarket_resolution_source = "Synthetic Statistics Bureau"
//   polymarket_resolution_date = "2026-12-01T15:00:00Z"
//   equivalent = true
#pragma once

#include <string>

#include "sim_universe.h"

namespace pmx::sim {

// The pairs of `universe` as TOML text, with a comment line `header` first (no newline inside).
std::string pairs_toml(const Universe& universe, const std::string& header);

}  // namespace pmx::sim
