// shm-top's screen: draws one snapshot (and the rates since the previous one) with ncurses.
// Fits 80x24; a taller terminal gets more market and position rows.
//
//   row 0        instance, pid, uptime, mode, heartbeat age, commands applied
//   row 1        TRADING, or HALTED + reason in red
//   threads | rings                  latency per stage | counters per second
//   markets: top of book + fair value, sorted and filtered
//   positions (when there is room), P&L line, risk / circuit-breaker line
//   message or prompt line, key help line
#pragma once

#include <string>

#include "pmx/core/types.h"
#include "pmx/shm/snapshot.h"

#include "market_table.h"

namespace pmx::top {

struct View {
  SortKey sort = SortKey::activity;
  std::string filter;
  enum class Prompt { none, confirm_kill, filter } prompt = Prompt::none;
  std::string input;    // filter being typed
  std::string message;  // last command reply or notice
  bool message_is_error = false;
  double refresh_s = 1;
};

// Call once after the screen is initialised.
void init_colors();

void render(const shm::Snapshot& snapshot, const shm::Rates* rates, const View& view);
void render_waiting(const std::string& instance, const std::string& detail, const View& view);

}  // namespace pmx::top
