#include "pmx/engine/control_commands.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace pmx {
namespace {

shm::CommandRequest request(shm::CommandType type, const char* key = "", const char* value = "") {
  shm::CommandRequest r;
  r.type = type;
  r.tool_pid = 77;
  std::snprintf(r.key, sizeof r.key, "%s", key);
  std::snprintf(r.value, sizeof r.value, "%s", value);
  return r;
}

TEST(ControlCommands, KillAsksTheCallerToHaltAndCloseWhenFlagged) {
  ControlState state;
  shm::CommandRequest kill = request(shm::CommandType::kill);
  kill.flag = 1;
  const CommandOutcome out = apply_command(state, kill, 1'000, 3);
  EXPECT_EQ(out.result, shm::CommandResult::ok);
  EXPECT_TRUE(out.halt);
  EXPECT_TRUE(out.close_positions);
  EXPECT_EQ(state.status.halted, 1);
  EXPECT_EQ(state.status.halted_since_ns, 1'000);
  EXPECT_NE(out.message.find("closing 3 positions"), std::string::npos) << out.message;
}

TEST(ControlCommands, ResumeOfARunningEngineChangesNothing) {
  ControlState state;
  const CommandOutcome out = apply_command(state, request(shm::CommandType::resume), 0, 0);
  EXPECT_EQ(out.result, shm::CommandResult::ok);
  EXPECT_FALSE(out.resume);
  EXPECT_EQ(state.status.commands_applied, 1u);
}

TEST(ControlCommands, SetIsRefusedWhenTheEngineCannotApplyItWhileRunning) {
  ControlState state;
  state.accept_config_set = false;
  const CommandOutcome out =
      apply_command(state, request(shm::CommandType::set, "risk.max_drawdown_pct", "10"), 0, 0);
  EXPECT_EQ(out.result, shm::CommandResult::refused);
  EXPECT_FALSE(out.config_changed);
  EXPECT_EQ(state.config.risk.max_drawdown_pct, Config{}.risk.max_drawdown_pct);
}

TEST(ControlCommands, RuntimeSetChangesTheConfigAndSaysSo) {
  ControlState state;
  const CommandOutcome out =
      apply_command(state, request(shm::CommandType::set, "risk.max_drawdown_pct", "10"), 0, 0);
  EXPECT_EQ(out.result, shm::CommandResult::ok) << out.message;
  EXPECT_TRUE(out.config_changed);
  EXPECT_EQ(state.config.risk.max_drawdown_pct, 10.0);
}

}  // namespace
}  // namespace pmx
