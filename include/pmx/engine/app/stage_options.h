// The stages' options from the configuration, as pmx-engine starts them (a paper session):
//   engine.price_sample_interval_s -> StrategyStageOptions::price_sample_interval_ns (0: none)
//   alerts.daily_summary_hour_utc  -> StrategyStageOptions::daily_snapshot_hour_utc
//   begin_run()'s epoch            -> both stages' run_epoch (their own order ids)
//   the whole Config               -> the control state `pmx-ctl set` changes
// Start-up only (copies the configuration).
#pragma once

#include <cstdint>

#include "pmx/core/config.h"
#include "pmx/engine/gateway_stage.h"
#include "pmx/engine/strategy_stage.h"

namespace pmx {

StrategyStageOptions strategy_stage_options(const Config& config, uint64_t run_epoch);
GatewayStageOptions gateway_stage_options(uint64_t run_epoch);

}  // namespace pmx
