// Reconciliation at start-up: the positions the database says are open, set against what the
// venue says we hold, and the database corrected to the venue (the venue is the truth).
//
//   db open, venue holds the same qty     nothing
//   db open, venue holds another qty      corrected: qty and average price set to the venue's
//   db open, venue holds nothing          closed elsewhere: the row is marked closed
//   no db row, venue holds a position     opened: a row is inserted (strategy "manual")
// Every change is one line in the report and one `reconciliation` row in the audit table, all in
// one transaction.
//
// Where the venue's answer comes from:
//   live   the venue's REST positions and resting orders (live_reconciliation.h), only for the
//          enabled venues: a disabled venue's rows are left as they are;
//   paper  the paper venue's own record of what it executed: the `fills` table. PaperExchange
//          keeps no state across runs (paper never uses the simulator's order side), so the fills the
//          ops thread committed ARE the paper venue's history, and the positions table is the
//          engine's derived view of them, written in later batches and so possibly behind after
//          a crash (kill -9 between a fill's batch and its position's batch).
// Orders the database still shows as working (submitted, open, partially filled) died with the
// previous process on paper: they are closed as cancelled (reason engine_restart), so a restart
// never waits for answers that cannot come. Their client order ids stay used: the allocator
// never hands them out again.
//
// Start-up code: blocking SQLite, throws DatabaseError.
#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/persist/database.h"

namespace pmx::app {

struct VenuePosition {
  Venue venue = Venue::kalshi;
  std::string ticker;  // Kalshi ticker; Polymarket token id
  Outcome outcome = Outcome::yes;
  Qty qty{};              // > 0
  Price average_price{};  // average entry price of what is still held

  friend bool operator==(const VenuePosition&, const VenuePosition&) = default;
};

struct ReconciliationReport {
  int unchanged = 0;
  int corrected = 0;               // qty differed: set to the venue's
  int closed = 0;                  // open in the database, not held at the venue
  int opened = 0;                  // held at the venue, unknown to the database
  int orders_closed = 0;           // working orders of a previous run closed as cancelled
  int orders_cancelled = 0;        // live: orders resting at the venue at start-up, cancelled there
  std::vector<std::string> lines;  // one per change, for the log

  bool changed() const noexcept { return corrected + closed + opened + orders_closed + orders_cancelled > 0; }
  // "positions: 3 unchanged, 1 corrected, 0 closed, 0 opened; orders: 2 closed" (live: ", 1 cancelled
  // at the venue" after it).
  std::string summary() const;
};

// The paper venue's positions: every committed fill, replayed in order per (venue, ticker,
// outcome) with average-cost accounting (a buy moves the average, a sell reduces the quantity).
// Only positions with qty > 0, ordered by venue, ticker, outcome.
std::vector<VenuePosition> paper_venue_positions(Database& db);

// Brings the positions table in line with `venue` (see above), in one transaction. Only the rows of
// the venues marked in `reconciled` (by Venue) are compared: the others are not asked.
ReconciliationReport reconcile_positions(Database& db, std::span<const VenuePosition> venue, WallNanos now,
                                         std::array<bool, kVenueCount> reconciled = {true, true});

// Closes the orders a previous paper run left working (status cancelled, reason engine_restart);
// adds to `report`.
void close_orphaned_paper_orders(Database& db, WallNanos now, ReconciliationReport& report);
// The same after a live start-up's reconciliation: whatever of them still rested at the venue was
// cancelled there, and the new run's sessions cannot follow the rest.
void close_orphaned_live_orders(Database& db, WallNanos now, ReconciliationReport& report);

}  // namespace pmx::app
