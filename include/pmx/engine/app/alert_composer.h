// AlertComposer: which committed ops events become Discord alerts, and their text (alert_format.h).
// Runs on the ops thread as its observer (after the batch is committed, so an alert never
// announces what the database lost); the engine hands the text to WebhookSender::enqueue.
//
//   exec_report fill/partial_fill          trade             alerts.on_trade
//   opportunity that was acted on          opportunity       alerts.on_opportunity
//   position with qty 0                    position closed   alerts.on_position_closed
//   audit circuit_breaker                  circuit breaker   alerts.on_circuit_breaker
//   alert (kill switch, feed lost, ...)    "🚨 <title>: <text>" by severity: always
//   audit error                            error             alerts.on_error
//   daily_snapshot                         daily summary     always
// Opportunities not acted on are not alerted: the detectors find far more than risk lets through,
// and the webhook's rate limit would drop the alerts that matter.
//
// Not thread-safe: the ops thread only. Allocates (it is off the hot path).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "pmx/core/config.h"
#include "pmx/persist/event_writer.h"
#include "pmx/persist/ops_event.h"

namespace pmx::app {

class AlertComposer {
 public:
  AlertComposer(AlertsConfig alerts, TradingMode mode, InstrumentNamer namer);

  // The alert text for `event`, or nullopt when it raises none.
  std::optional<std::string> compose(const OpsEvent& event);

 private:
  struct OrderInfo {
    StrategyKind strategy = StrategyKind::manual;
    Money expected_value{};
  };
  std::string ticker(InstrumentId id) const;

  AlertsConfig alerts_;
  bool paper_;
  InstrumentNamer namer_;
  std::unordered_map<uint64_t, OrderInfo> orders_;  // working intents: strategy and EV for trade alerts
};

}  // namespace pmx::app
