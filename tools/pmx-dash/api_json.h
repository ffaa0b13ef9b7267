// The JSON answers of /api/stats, /api/positions, /api/opportunities and the SSE state event,
// built from one Snapshot. Units follow snapshot_json.cpp (shm-top --json): prices in dollars,
// sizes in contracts, money in dollars, exact decimals from the fixed-point integers, so
// /api/stats agrees with shm-top --json digit for digit on capital, P&L and halted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/shm/snapshot.h"

namespace pmx::dash {

// {engine:"attached", instance, mode, halted, halt_reason, heartbeat_age_ms, capital, realized,
//  unrealized, daily, peak, fees, drawdown_pct, open_positions, trades_today, exposure,
//  circuit_breaker:"ok"|"tripped", breakers[], consecutive_losses}
std::string stats_json(const shm::Snapshot& snapshot);
// {engine:"absent", instance, problem}
std::string absent_json(std::string_view instance, std::string_view problem);

// The mark of a position: the mid of its instrument's book in the held outcome's terms, in
// units of 1e-5 dollar (the mid of two ticks may be a half tick); nullopt without a two-sided book.
std::optional<int64_t> position_mark(const shm::Snapshot& snapshot, const shm::Snapshot::Position& position);

// [{instrument, venue, outcome, quantity, entry, current, unrealized, realized, fees, opened_wall_ns}]
std::string positions_json(const shm::Snapshot& snapshot);

// Opportunities, best EV first, optionally of one strategy.
std::vector<shm::OpportunityRow> ranked_opportunities(const shm::Snapshot& snapshot,
                                                      std::string_view strategy);
// [{sequence, wall_ns, strategy, market, legs[{instrument, price}], ev, kelly_fraction, size,
// expiry_wall_ns}]
std::string opportunities_json(const shm::Snapshot& snapshot, std::string_view strategy);

// The strategy's name for a row's index, "unknown" past the table.
std::string_view strategy_name(uint8_t index) noexcept;
std::string_view order_status_name(uint8_t index) noexcept;
// "A / B" for a multi-leg opportunity.
std::string opportunity_market(const shm::Snapshot& snapshot, const shm::OpportunityRow& row);

// The SSE "state" event payload: {"stats": stats_json or absent_json, "state": to_json or null}.
std::string state_event_json(const shm::Snapshot* snapshot, std::string_view instance,
                             std::string_view problem);

}  // namespace pmx::dash
