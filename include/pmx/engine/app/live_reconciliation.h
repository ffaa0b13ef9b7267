// Live reconciliation: what the venues say the account holds, set against the database, at
// start-up (before any order) and once more at shutdown (after the gateway's cancel-all).
//
// Start-up, per enabled venue, over blocking REST (LiveAccounts):
//   1. read the resting orders and CANCEL every one of them. The live sessions start empty and
//      the database keeps no venue order ids, so a resting order — left by a crashed run, or
//      placed by hand — is one nothing in this run would follow: its fills would reach no
//      strategy, no risk limit would count it, and shutdown would not cancel it. Recording it
//      instead would need a session able to adopt foreign orders; cancelling is the safe rule
//      for an account the engine owns (give a human trader a separate account). Each cancel is
//      a line in the report and an `audit` row of kind `reconciliation`;
//   2. read the positions again (the cancels may have raced fills) and reconcile them with
//      reconcile_positions (quantity corrected, closed elsewhere marked closed, unknown opened);
//   3. close the orders the database still shows working (reason engine_restart), as on paper.
// A read or a cancel that fails stops the start-up (exit 1): trading on an unknown account is
// worse than not trading.
//
// Venue positions as the database keeps them (live_venue_positions):
//   Kalshi      position_fp > 0: YES contracts; < 0: NO contracts; the venue's average price.
//   Polymarket  shares of a token: (token, yes), or (complement token, no) when that is how the
//               database holds it; no average price from the venue, so the database's is kept.
//
// Start-up code: blocking I/O, allocates, throws (std::runtime_error, DatabaseError).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/engine/app/live_gate.h"
#include "pmx/engine/app/reconciliation.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/gateway/live/account_snapshot.h"
#include "pmx/gateway/live/polymarket_account_reads.h"
#include "pmx/gateway/polymarket_hmac.h"
#include "pmx/persist/database.h"
#include "pmx/persist/recovery.h"

namespace pmx::net {
class HttpClient;
}

namespace pmx::app {

// Blocking REST access to each enabled venue's account: reads and cancels.
class LiveAccounts {
 public:
  // Throws LiveSetupError (live_backend.h) for unusable keys.
  LiveAccounts(const Config& config, const PolymarketApiCredentials& api);
  ~LiveAccounts();
  LiveAccounts(const LiveAccounts&) = delete;
  LiveAccounts& operator=(const LiveAccounts&) = delete;

  bool has(Venue venue) const noexcept;
  // Positions, resting orders and balance. Polymarket reads the shares of each of `tokens`.
  // Throws std::runtime_error naming the endpoint.
  gateway::AccountSnapshot read(Venue venue, const std::vector<std::string>& tokens);
  // Cancels one resting order: "" when the venue says it is cancelled or no longer resting,
  // else one line naming the order and the answer.
  std::string cancel(Venue venue, const std::string& order_id);

 private:
  struct Kalshi;
  struct Polymarket;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<Kalshi> kalshi_;
  std::unique_ptr<Polymarket> polymarket_;
};

// The positions `snapshot` (of `venue`) reports, in the database's terms (see above).
std::vector<VenuePosition> live_venue_positions(Venue venue, const gateway::AccountSnapshot& snapshot,
                                                const MarketUniverse& universe,
                                                std::span<const RecoveredPosition> database);

// Steps 1-3 above for every venue `accounts` has.
ReconciliationReport reconcile_live(Database& db, LiveAccounts& accounts, const MarketUniverse& universe,
                                    WallNanos now);

// Shutdown's last sweep, after the gateway's cancel-all: cancels whatever still rests at an
// enabled venue.
struct RestingSweep {
  std::vector<std::string> lines;  // one per order found resting (cancelled or not)
  int failed = 0;                  // cancels the venue did not confirm
};
RestingSweep cancel_resting_orders(LiveAccounts& accounts);

}  // namespace pmx::app
