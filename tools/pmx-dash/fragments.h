// The dashboard's live panels as HTML fragments, rendered from one Snapshot on the server and
// swapped into the page by HTMX (GET /fragment/<name>). Every text that came from a venue or the
// engine (tickers, titles, counter names, messages) goes through pmx/core/html_escape.h; numbers are
// exact decimals from the fixed-point integers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pmx/shm/snapshot.h"

#include "history_store.h"

namespace pmx::dash {

// Open positions: market, venue, outcome, quantity, entry, current, unrealized, realized.
std::string positions_fragment(const shm::Snapshot& snapshot);
// Opportunities sorted by EV (best first), optionally one strategy's.
std::string opportunities_fragment(const shm::Snapshot& snapshot, std::string_view strategy);
// Recent orders, newest first (the live order log).
std::string orders_fragment(const shm::Snapshot& snapshot);
// Circuit breakers, streak, cooldown, exposure; plus the correlation heatmap of open positions
// (when two or more are open) from `portfolio`.
std::string risk_fragment(const shm::Snapshot& snapshot, const HistoryStore::Portfolio& portfolio);
// Latency percentiles per pipeline stage.
std::string latency_fragment(const shm::Snapshot& snapshot);
// Counters, rings and threads.
std::string internals_fragment(const shm::Snapshot& snapshot);
// Alerts and audit entries from the database, newest first.
std::string alerts_fragment(const std::vector<HistoryStore::Alert>& alerts, std::string_view problem);
// Shown instead of a panel while no engine is attached.
std::string absent_fragment(std::string_view problem);

// The markets of the open positions, in snapshot order (for HistoryStore::portfolio).
std::vector<HistoryStore::Market> position_markets(const shm::Snapshot& snapshot);

}  // namespace pmx::dash
