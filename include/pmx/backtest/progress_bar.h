// A progress bar on stderr for long backtests: `[#########           ]  45%  1.2M/2.7M frames  ETA 3s`.
//
// Shown only when enabled (the tool enables it when stderr is a terminal, or with --progress) and
// only once the run has lasted more than `delay` (one second by default), so short runs print
// nothing. Redrawn at most ten times a second with a carriage return; finish() ends the line.
// The clock it reads is the tool's wall clock, for display only: nothing in the replay sees it.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace pmx {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;

  ProgressBar(std::FILE* out, bool enabled, std::chrono::milliseconds delay = std::chrono::seconds(1));

  // `total` 0: unknown (no percentage, no ETA).
  void update(uint64_t done, uint64_t total);
  void finish();

  // The bar's text for `done` of `total` after `elapsed` (for tests).
  static std::string render(uint64_t done, uint64_t total, std::chrono::duration<double> elapsed,
                            int width = 30);

  bool shown() const noexcept { return shown_; }

 private:
  std::FILE* out_;
  bool enabled_;
  std::chrono::milliseconds delay_;
  Clock::time_point start_;
  Clock::time_point last_draw_{};
  bool shown_ = false;
  uint64_t done_ = 0, total_ = 0;  // last update, drawn once more by finish()
};

}  // namespace pmx
