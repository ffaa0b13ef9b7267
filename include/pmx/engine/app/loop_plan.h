// Which thread runs which stage: the engine's thread layout, decided once at start-up from
// engine.thread_layout and the pin plan (--pin or engine.pin).
//
// A loop is one thread that polls its stages round-robin (pmx/engine/stage_runner.h). Rules:
//   * stages pinned to the same CPU share one loop pinned to that CPU: `--pin
//     feed=0,strategy=0,gateway=1` gives two loops, {kalshi feed, polymarket feed, strategy} on
//     CPU 0 and {gateway} on CPU 1;
//   * unpinned stages are grouped by engine.thread_layout: split = one loop each, shared = the
//     feeds with the strategy and the gateway alone, single = all in one loop;
//   * a disabled venue's feed is in no loop.
// Loops come out in a fixed order (by their first stage: kalshi feed, polymarket feed, strategy,
// gateway), so logs and tests are stable.
//
// On a 2-core machine use `thread_layout = "shared"` (two loops, the default of config/demo.toml)
// or `--pin feed=0,strategy=0,gateway=1`; `split` makes four busy loops share two cores.
#pragma once

#include <string>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/thread.h"

namespace pmx::app {

enum class StageRole : uint8_t { kalshi_feed = 0, polymarket_feed, strategy, gateway };
inline constexpr int kStageRoleCount = 4;

constexpr std::string_view to_string(StageRole role) noexcept {
  constexpr std::string_view kNames[] = {"feed.kalshi", "feed.polymarket", "strategy", "gateway"};
  return kNames[static_cast<int>(role)];
}

struct LoopPlan {
  std::string name;  // thread name, at most 15 bytes: "pmx-loop0"
  int cpu = PinPlan::kUnpinned;
  std::vector<StageRole> stages;

  bool runs(StageRole role) const noexcept;
};

std::vector<LoopPlan> plan_loops(ThreadLayout layout, const PinPlan& pin, bool kalshi_enabled,
                                 bool polymarket_enabled);

// "loop0 cpu0: feed.kalshi feed.polymarket strategy | loop1 cpu1: gateway" (unpinned: "cpu-").
std::string describe(const std::vector<LoopPlan>& loops);

}  // namespace pmx::app
