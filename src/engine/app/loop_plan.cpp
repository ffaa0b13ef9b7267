#include "pmx/engine/app/loop_plan.h"

#include <algorithm>

namespace pmx::app {

namespace {

int cpu_of(StageRole role, const PinPlan& pin) noexcept {
  switch (role) {
    case StageRole::kalshi_feed:
      return pin.cpu_for_feed(Venue::kalshi);
    case StageRole::polymarket_feed:
      return pin.cpu_for_feed(Venue::polymarket);
    case StageRole::strategy:
      return pin.cpu_for(PinRole::strategy);
    case StageRole::gateway:
      return pin.cpu_for(PinRole::gateway);
  }
  return PinPlan::kUnpinned;
}

// The unpinned group a stage joins under `layout`: stages with equal keys share a loop.
int unpinned_group(StageRole role, ThreadLayout layout) noexcept {
  switch (layout) {
    case ThreadLayout::split:
      return static_cast<int>(role);
    case ThreadLayout::shared:
      return role == StageRole::gateway ? 1 : 0;
    case ThreadLayout::single:
      return 0;
  }
  return 0;
}

}  // namespace

bool LoopPlan::runs(StageRole role) const noexcept {
  return std::find(stages.begin(), stages.end(), role) != stages.end();
}

std::vector<LoopPlan> plan_loops(ThreadLayout layout, const PinPlan& pin, bool kalshi_enabled,
                                 bool polymarket_enabled) {
  struct Key {
    bool pinned;
    int value;  // the CPU, or the unpinned group
  };
  std::vector<LoopPlan> loops;
  std::vector<Key> keys;
  for (int r = 0; r < kStageRoleCount; ++r) {
    const auto role = static_cast<StageRole>(r);
    if (role == StageRole::kalshi_feed && !kalshi_enabled) continue;
    if (role == StageRole::polymarket_feed && !polymarket_enabled) continue;
    const int cpu = cpu_of(role, pin);
    const Key key = cpu != PinPlan::kUnpinned ? Key{true, cpu} : Key{false, unpinned_group(role, layout)};
    size_t i = 0;
    while (i < keys.size() && !(keys[i].pinned == key.pinned && keys[i].value == key.value))
      ++i;
    if (i == keys.size()) {
      keys.push_back(key);
      LoopPlan loop;
      loop.name = "pmx-loop" + std::to_string(i);
      loop.cpu = cpu;
      loops.push_back(std::move(loop));
    }
    loops[i].stages.push_back(role);
  }
  return loops;
}

std::string describe(const std::vector<LoopPlan>& loops) {
  std::string text;
  for (size_t i = 0; i < loops.size(); ++i) {
    if (i > 0) text += " | ";
    text += "loop" + std::to_string(i) + " cpu";
    text += loops[i].cpu == PinPlan::kUnpinned ? std::string("-") : std::to_string(loops[i].cpu);
    text += ":";
    for (StageRole role : loops[i].stages) {
      text += ' ';
      text += to_string(role);
    }
  }
  return text;
}

}  // namespace pmx::app
