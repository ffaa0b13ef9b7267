// Kalshi REST bootstrap: GET /markets (cursor pagination, up to 1000 per page) and GET /events
// (for `mutually_exclusive`), parsed into MarketInfo / EventInfo and added to a MarketUniverse.
//
// The parsers are pure functions of the reply's text (tested on the real recordings without a
// network); the fetch functions drive them over an HttpClient. Prices (tick bands) go through
// pmx's exact decimal parser, never through a double. Formats: ../shared/REFERENCES.md §2.3.
//
// Tick bands. A market's `price_ranges` ([{start, end, step}] in dollars) are its bands; without
// them the named `price_level_structure` gives them (linear_cent, deci_cent, tapered_deci_cent,
// center_deci_edge_centi_cent). MarketInfo::tick is the book's one grid: the coarsest tick that
// divides $1 and holds every band's prices, which is the finest step for every real market.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pmx/feed/bootstrap/bootstrap_error.h"
#include "pmx/feed/market_info.h"
#include "pmx/net/http_client.h"

namespace pmx {

// One page of GET /markets: {"markets": [...], "cursor": "..."}.
struct KalshiMarketsPage {
  BootstrapError error = BootstrapError::ok;  // a page error: nothing below can be trusted
  std::string message;
  std::vector<MarketInfo> markets;  // venue kalshi; ids unassigned
  std::vector<RejectedRecord> rejected;
  std::string cursor;  // empty on the last page
};
KalshiMarketsPage parse_kalshi_markets_page(std::string_view json);

struct KalshiEvent {
  std::string event_ticker;
  std::string series_ticker;
  std::string title;
  std::string category;
  bool mutually_exclusive = false;
  bool has_fees = false;  // fee_type(_override) or fee_multiplier(_override) was present
  FeeParams fees;
  std::vector<MarketInfo> markets;  // nested markets (with_nested_markets, GET /events/{ticker})
};

// One page of GET /events ({"events": [...], "cursor": "..."}), or the reply of
// GET /events/{ticker} ({"event": {...}, "markets": [...]}) as a page of one event.
struct KalshiEventsPage {
  BootstrapError error = BootstrapError::ok;
  std::string message;
  std::vector<KalshiEvent> events;
  std::vector<RejectedRecord> rejected;  // events and nested markets
  std::string cursor;
};
KalshiEventsPage parse_kalshi_events_page(std::string_view json);

// Everything one fetch brought back.
struct KalshiCatalog {
  std::vector<MarketInfo> markets;
  std::vector<KalshiEvent> events;
  std::vector<RejectedRecord> rejected;
  size_t pages = 0;
};

// Adds the catalog to `universe`: every market (from the listing and nested in events), then one
// EventInfo per event whose members are its markets. A market takes its event's
// mutually_exclusive flag, series ticker, category and fee parameters. Returns markets added.
size_t add_kalshi_catalog(MarketUniverse& universe, const KalshiCatalog& catalog);

struct KalshiFetchOptions {
  std::string status = "open";      // GET /markets and /events status filter; "" = any
  std::vector<std::string> series;  // one listing per series ticker; empty = every series
  int markets_per_page = 1000;      // Kalshi's maximum
  int events_per_page = 200;        // Kalshi's maximum for /events
  int max_pages = 1000;             // per listing: a cursor that never ends is an error
  bool fetch_events = true;
  std::vector<net::HttpHeader> headers;  // sent with every request (none needed for listings)
};

struct KalshiFetchResult {
  BootstrapError error = BootstrapError::ok;
  std::string message;  // names the URL that failed
  KalshiCatalog catalog;
};

// Pages through GET {rest_url}/markets (then /events) until the cursor is empty.
KalshiFetchResult fetch_kalshi_catalog(net::HttpClient& http, std::string_view rest_url,
                                       const KalshiFetchOptions& options = {});

}  // namespace pmx
