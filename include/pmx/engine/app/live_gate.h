// The gate in front of live trading. Paper is the default; real orders need the configuration to
// say `engine.mode = "live"` (or DRY_RUN=false), the `--live` flag on the command line, and the
// credentials of every enabled venue. Today the gate always ends closed: the live order sessions
// (src/gateway/live) are not built yet, and an engine that pretended to trade live would be worse
// than one that refuses.
//
// Start-up code: strings allowed.
#pragma once

#include <string>

#include "pmx/core/config.h"

namespace pmx::app {

// Why the engine must not start in the mode asked for: "" to start on paper, else one line.
//   config live, no --live             -> "engine.mode = live (config or DRY_RUN=false) needs --live"
//   --live, a venue without credentials -> names the missing variables
//   --live with everything              -> "live order sessions are not built yet ..."
// `live_flag` without engine.mode = live also asks for live: the flag is the explicit request.
std::string live_refusal(const Config& config, bool live_flag);

}  // namespace pmx::app
