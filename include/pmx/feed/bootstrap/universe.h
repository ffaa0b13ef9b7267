// bootstrap_universe: the start-up fetch of both venues' market lists into one MarketUniverse,
// per the configuration (venues.*.enabled, venues.kalshi.rest_url and series,
// venues.polymarket.rest_url and gamma_url).
//
// A venue whose fetch fails (connection, HTTP status, a broken page, endless pagination) adds
// nothing: half a market list would look complete to the strategies. The other venue is still
// fetched and added. Records refused one by one (bootstrap_error.h) are listed per venue and
// the rest is kept. Start-up code: blocking and allocating; failures are reported in the BootstrapReport.
#pragma once

#include <string>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/feed/bootstrap/kalshi_markets.h"
#include "pmx/feed/bootstrap/polymarket_markets.h"
#include "pmx/feed/market_info.h"
#include "pmx/net/http_client.h"

namespace pmx {

struct BootstrapOptions {
  net::HttpClientOptions http;
  KalshiFetchOptions kalshi;  // series: taken from venues.kalshi.series when left empty here
  PolymarketFetchOptions polymarket;
};

struct VenueBootstrap {
  bool enabled = false;
  BootstrapError error = BootstrapError::ok;  // the fetch failed: nothing of this venue was added
  std::string message;                        // one line naming the venue and the URL
  size_t markets_added = 0;                   // instruments (Kalshi markets, Polymarket tokens)
  size_t events_added = 0;
  size_t pages = 0;
  std::vector<RejectedRecord> rejected;

  bool ok() const noexcept { return error == BootstrapError::ok; }
};

struct BootstrapReport {
  VenueBootstrap kalshi;
  VenueBootstrap polymarket;

  bool ok() const noexcept { return kalshi.ok() && polymarket.ok(); }
  // One line per venue: "kalshi: 1234 markets, 310 events, 2 pages, 1 rejected" or its error.
  std::string summary() const;
};

BootstrapReport bootstrap_universe(const Config& config, MarketUniverse& universe,
                                   const BootstrapOptions& options = {});

}  // namespace pmx
