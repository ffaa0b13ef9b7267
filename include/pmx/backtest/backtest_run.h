// run_backtest: one whole replay, captures (or a price_history database) in, BacktestReport out.
//
//   inputs ─CaptureMerge (by receive time)─► ReplayPipeline (the engine's stages, simulated
//   clock) ─ops records─► BacktestLedger ─► BacktestReport (+ input and pipeline counts, notes)
//
// Deterministic: the same inputs, configuration, universe and seed give the same report, bytes
// included; nothing reads a clock (the progress callback is the caller's, and only reports).
// Start-up/tool code: allocates and throws std::runtime_error for unreadable inputs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pmx/backtest/audit_trail.h"
#include "pmx/backtest/backtest_report.h"
#include "pmx/backtest/capture_merge.h"
#include "pmx/backtest/replay_pipeline.h"
#include "pmx/core/config.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/cross_venue_mapping.h"

namespace pmx {

struct BacktestOptions {
  std::vector<CaptureInput> captures;
  std::string price_history_db;  // non-empty: the price_history mode (captures ignored)
  std::optional<uint64_t> seed;  // overrides config.paper.seed
  // Overrides the captures' header; without either, wall time = receive time (noted in the report).
  std::optional<int64_t> wall_minus_mono_ns;
  int64_t time_step_ns = 1'000'000;
  int64_t finish_horizon_ns = 3'600'000'000'000;  // after the last input, for orders still working
  MonoNanos (*latency_clock)() noexcept = replay_latency_clock;
  // Called every progress_every records with (records done, total or 0 if unknown).
  std::function<void(uint64_t, uint64_t)> progress;
  uint64_t progress_total = 0;
  uint64_t progress_every = 4096;
  // Set: receives the replay's opportunities and intents (the live/replay comparison).
  AuditTrail* trail = nullptr;
};

// The universe for captures that come without one: every instrument the venue parsers see
// (registered on first sight), with ticks of $0.0001, no events and no close time.
MarketUniverse universe_from_captures(const std::vector<CaptureInput>& captures);

// Records in the inputs (a first pass, for the progress bar's total).
uint64_t count_capture_records(const std::vector<CaptureInput>& captures);

BacktestReport run_backtest(const Config& config, const MarketUniverse& universe,
                            const std::vector<CrossVenuePair>* cross_venue_pairs,
                            const BacktestOptions& options);

}  // namespace pmx
