// One WebSocket text frame the simulator sends, with what routing needs derived from it.
#pragma once

#include <cstdint>
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

}  // namespace pmx::sim
