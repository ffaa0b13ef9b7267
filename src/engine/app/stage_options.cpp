#include "pmx/engine/app/stage_options.h"

namespace pmx {

StrategyStageOptions strategy_stage_options(const Config& config, uint64_t run_epoch) {
  StrategyStageOptions options;
  options.price_sample_interval_ns = int64_t{config.engine.price_sample_interval_s} * 1'000'000'000;
  options.daily_snapshot_hour_utc = config.alerts.daily_summary_hour_utc;
  options.run_epoch = run_epoch;
  options.control.config = config;
  options.control.allow_live = false;
  options.control.status.mode = shm::TradingMode::paper;
  return options;
}

GatewayStageOptions gateway_stage_options(uint64_t run_epoch) {
  GatewayStageOptions options;
  options.run_epoch = run_epoch;
  return options;
}

}  // namespace pmx
