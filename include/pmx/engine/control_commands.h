// What an engine does with one control-mailbox command (kill, resume, mode, set), as a function
// of its status and configuration, so the reply texts and the refusal rules live in one place.
// The strategy stage (pmx/engine/strategy_stage.h) and the stand-in pmx-shm-writer share it.
//
// Reply messages are one line, at most CommandReply::message (119) characters; refusals and
// invalid requests start with "refused: " or "invalid: ".
//
// Not on the market-data path: a command is rare and its reply text is formatted (it allocates).
// Callers on a noexcept thread wrap the call (StrategyStage does) and answer "failed" if it throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "pmx/core/config.h"
#include "pmx/shm/control.h"
#include "pmx/shm/layout.h"

namespace pmx {

struct ControlState {
  shm::EngineStatus status;
  Config config;
  bool allow_live = false;        // mode live is refused unless the engine was started to allow it
  bool accept_config_set = true;  // false: `set` is refused (the engine cannot apply it while running)
};

struct CommandOutcome {
  shm::CommandResult result = shm::CommandResult::invalid;
  std::string message;
  bool halt = false;             // kill: the caller halts trading (cancel-all, ...)
  bool close_positions = false;  // kill with the close-positions flag: the caller flattens
  bool resume = false;           // resume of a halted engine: the caller resumes trading
  bool config_changed = false;   // set: state.config holds the new value
};

// Applies `request` to `state` (status.commands_applied counts every acknowledged command).
CommandOutcome apply_command(ControlState& state, const shm::CommandRequest& request, int64_t wall_ns,
                             size_t open_positions);

}  // namespace pmx
