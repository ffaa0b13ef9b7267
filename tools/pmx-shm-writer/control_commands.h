// What an engine does with one control-mailbox command (kill, resume, mode, set), as a pure
// function of its status and configuration, so the reply texts and the refusal rules live in
// one place. The stand-in writer uses it; pmx-engine can take it over unchanged.
//
// Reply messages are one line, at most CommandReply::message (119) characters; refusals and
// invalid requests start with "refused: " or "invalid: ".
#pragma once

#include <cstdint>
#include <string>

#include "pmx/core/config.h"
#include "pmx/shm/control.h"
#include "pmx/shm/layout.h"

namespace pmx::writer {

struct ControlState {
  shm::EngineStatus status;
  Config config;
  bool allow_live = false;  // mode live is refused unless the engine was started to allow it
};

struct CommandOutcome {
  shm::CommandResult result = shm::CommandResult::invalid;
  std::string message;
  bool close_positions = false;  // kill with the close-positions flag: the caller flattens
};

// Applies `request` to `state` (status.commands_applied counts every acknowledged command).
CommandOutcome apply_command(ControlState& state, const shm::CommandRequest& request, int64_t wall_ns,
                             size_t open_positions);

}  // namespace pmx::writer
