#include "pmx/engine/app/alert_composer.h"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "pmx/alert/alert_format.h"

namespace pmx::app {

AlertComposer::AlertComposer(AlertsConfig alerts, TradingMode mode, InstrumentNamer namer)
    : alerts_(std::move(alerts)), paper_(mode == TradingMode::paper), namer_(std::move(namer)) {}

std::string AlertComposer::ticker(InstrumentId id) const {
  const InstrumentName name = namer_ ? namer_(id) : InstrumentName{};
  return name.key.empty() ? "#" + std::to_string(id.value) : std::string(name.key);
}

std::optional<std::string> AlertComposer::compose(const OpsEvent& event) {
  const auto& p = event.payload;
  switch (event.kind) {
    case OpsEventKind::order_submitted:
      orders_[p.order_submitted.intent.intent_id] = {p.order_submitted.intent.strategy,
                                                     p.order_submitted.intent.expected_value};
      return std::nullopt;
    case OpsEventKind::exec_report: {
      const ExecReport& r = p.exec_report;
      const auto it = orders_.find(r.intent_id);
      const OrderInfo info = it != orders_.end() ? it->second : OrderInfo{};
      if (is_terminal(r.type) && it != orders_.end()) orders_.erase(it);
      const bool fill = r.type == ExecType::fill || r.type == ExecType::partial_fill;
      if (!fill || r.fill_qty.units <= 0 || !alerts_.on_trade) return std::nullopt;
      const std::string name = ticker(r.instrument);
      return format_trade(
          {r.side, r.fill_qty, r.outcome, name, r.fill_price, info.strategy, info.expected_value, paper_});
    }
    case OpsEventKind::opportunity: {
      const OpportunityRecord& o = p.opportunity;
      if (o.acted == 0 || !alerts_.on_opportunity) return std::nullopt;
      const int count = o.leg_count < OpportunityRecord::kMaxLegs ? o.leg_count : OpportunityRecord::kMaxLegs;
      std::array<std::string, OpportunityRecord::kMaxLegs> names;
      std::array<OpportunityLeg, OpportunityRecord::kMaxLegs> legs;
      for (int k = 0; k < count; ++k) {
        names[k] = ticker(o.instruments[k]);
        legs[k] = {names[k], o.outcomes[k], o.prices[k]};
      }
      return format_opportunity({o.strategy,
                                 std::span<const OpportunityLeg>(legs.data(), static_cast<size_t>(count)),
                                 o.size, o.expected_value});
    }
    case OpsEventKind::position: {
      const PositionRecord& r = p.position;
      if (!r.qty.is_zero() || !alerts_.on_position_closed) return std::nullopt;
      const std::string name = ticker(r.instrument);
      return format_position_closed(
          {name, r.outcome, r.qty, r.average_price, r.mark_price, r.realized_pnl, to_string(r.strategy)});
    }
    case OpsEventKind::audit: {
      const AuditRecord& a = p.audit;
      const std::string_view reason = text_view(a.reason);
      if (a.kind == AuditKind::circuit_breaker && alerts_.on_circuit_breaker)
        return format_circuit_breaker({"circuit_breaker", reason, true});
      if (a.kind == AuditKind::error && alerts_.on_error)
        return format_error({to_string(a.strategy), reason});
      return std::nullopt;
    }
    case OpsEventKind::alert: {
      const AlertRecord& a = p.alert;
      constexpr std::string_view kMarks[] = {"ℹ️ ", "⚠️ ", "🚨 "};
      std::string text(kMarks[static_cast<int>(a.severity)]);
      text += text_view(a.title);
      text += ": ";
      text += text_view(a.text);
      return text;
    }
    case OpsEventKind::system_state:  // the stage raises an AlertRecord for a halt
      return std::nullopt;
    case OpsEventKind::daily_snapshot: {
      const DailySnapshotRecord& d = p.daily_snapshot;
      const std::string date = fmt::format("{:04d}-{:02d}-{:02d}", d.date_yyyymmdd / 10'000,
                                           d.date_yyyymmdd / 100 % 100, d.date_yyyymmdd % 100);
      return format_daily_summary({date, d.equity, d.realized_pnl, d.unrealized_pnl, d.fees, d.max_drawdown,
                                   d.trades, d.wins, d.losses, d.open_positions});
    }
    case OpsEventKind::price_sample:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace pmx::app
