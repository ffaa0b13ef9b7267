#include "pmx/engine/control_commands.h"

#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace pmx {
namespace {

CommandOutcome outcome(shm::CommandResult result, std::string message) {
  CommandOutcome out;
  out.result = result;
  out.message = std::move(message);
  return out;
}

CommandOutcome kill(ControlState& state, const shm::CommandRequest& request, int64_t wall_ns,
                    size_t open_positions) {
  const bool close = request.flag != 0;
  const bool was_halted = state.status.halted != 0;
  state.status.halted = 1;
  state.status.halted_since_ns = wall_ns;
  std::snprintf(state.status.halt_reason, sizeof state.status.halt_reason, "kill switch from %lld",
                static_cast<long long>(request.tool_pid));
  CommandOutcome out =
      outcome(shm::CommandResult::ok, fmt::format("halted{}: kill switch from {}; {}",
                                                  was_halted ? " (already halted)" : "", request.tool_pid,
                                                  close ? fmt::format("closing {} positions", open_positions)
                                                        : std::string("positions kept open")));
  out.halt = true;
  out.close_positions = close;
  return out;
}

CommandOutcome resume(ControlState& state) {
  if (state.status.halted == 0) return outcome(shm::CommandResult::ok, "not halted: nothing to resume");
  state.status.halted = 0;  // halt_reason keeps the last halt's reason (layout.h)
  CommandOutcome out = outcome(shm::CommandResult::ok, "resumed trading");
  out.resume = true;
  return out;
}

CommandOutcome mode(ControlState& state, std::string_view value) {
  if (value == "paper") {
    state.status.mode = shm::TradingMode::paper;
    return outcome(shm::CommandResult::ok, "mode paper");
  }
  if (value == "live") {
    if (!state.allow_live)
      return outcome(shm::CommandResult::refused,
                     "refused: live mode needs an engine started with --allow-live");
    state.status.mode = shm::TradingMode::live;
    return outcome(shm::CommandResult::ok, "mode live");
  }
  return outcome(shm::CommandResult::invalid,
                 fmt::format("invalid: mode must be paper or live, not '{:.40}'", value));
}

CommandOutcome set(ControlState& state, std::string_view key, std::string_view value) {
  if (key.empty()) return outcome(shm::CommandResult::invalid, "invalid: set needs KEY=VALUE");
  if (!config_value(state.config, key))
    return outcome(shm::CommandResult::invalid,
                   fmt::format("invalid: unknown key '{:.60}' (pmx-config keys lists them)", key));
  // Never echo the value of a non-runtime key: it may be a secret.
  if (!is_runtime_key(key))
    return outcome(shm::CommandResult::refused,
                   fmt::format("refused: {} is not a runtime key; restart the engine to change it", key));
  if (!state.accept_config_set)
    return outcome(shm::CommandResult::refused,
                   fmt::format("refused: this engine cannot change {} while running; restart it", key));
  const ConfigStatus status = set_config_key(state.config, key, value);
  if (!status.ok()) return outcome(shm::CommandResult::invalid, "invalid: " + status.error);
  CommandOutcome out = outcome(shm::CommandResult::ok,
                               fmt::format("{} = {}", key, config_value(state.config, key).value_or("?")));
  out.config_changed = true;
  return out;
}

}  // namespace

CommandOutcome apply_command(ControlState& state, const shm::CommandRequest& request, int64_t wall_ns,
                             size_t open_positions) {
  const std::string_view key(request.key, ::strnlen(request.key, sizeof request.key));
  const std::string_view value(request.value, ::strnlen(request.value, sizeof request.value));
  CommandOutcome out;
  switch (request.type) {
    case shm::CommandType::kill:
      out = kill(state, request, wall_ns, open_positions);
      break;
    case shm::CommandType::resume:
      out = resume(state);
      break;
    case shm::CommandType::mode:
      out = mode(state, value);
      break;
    case shm::CommandType::set:
      out = set(state, key, value);
      break;
    default:
      out = outcome(shm::CommandResult::invalid,
                    fmt::format("invalid: unknown command type {}", static_cast<uint32_t>(request.type)));
  }
  ++state.status.commands_applied;
  return out;
}

}  // namespace pmx
