// Polymarket REST bootstrap: CLOB GET /markets (next_cursor pagination, "LTE=" ends it) for token
// ids, outcomes, tick size, neg_risk, end date and condition id; Gamma GET /events (offset
// pagination) for the event grouping, neg-risk events and fee schedules. Each outcome token
// becomes one MarketInfo whose complement is the market's other token.
//
// Pure parsers of the reply text (tested on the real recordings), fetch functions over an
// HttpClient, and the merge into a MarketUniverse. The tick arrives as a JSON number (0.001):
// its exact characters go to pmx's decimal parser, never through a double.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/feed/bootstrap/bootstrap_error.h"
#include "pmx/feed/market_info.h"
#include "pmx/net/http_client.h"

namespace pmx {

// One binary market (one condition) with its two outcome tokens, from either source.
struct PolymarketMarket {
  std::string condition_id;
  std::string question;
  std::string slug;
  std::string group_item_title;          // Gamma: the outcome's name within a multi-market event
  std::array<std::string, 2> token_ids;  // [0] is the first outcome ("Yes", "Up", ...)
  std::array<std::string, 2> outcomes;   // "Yes"/"No", "Up"/"Down", ...
  Price tick{};                          // 0 when the source did not say (a Gamma market may not)
  bool neg_risk = false;
  WallNanos close_time{};  // end date; 0 when the source has none
  MarketStatus status = MarketStatus::unknown;
  bool has_fees = false;  // Gamma feeSchedule with feesEnabled
  FeeParams fees;
};

// One page of CLOB GET /markets: {"data": [...], "next_cursor": "...", "limit", "count"}.
struct ClobMarketsPage {
  BootstrapError error = BootstrapError::ok;
  std::string message;
  std::vector<PolymarketMarket> markets;
  std::vector<RejectedRecord> rejected;
  std::string next_cursor;  // "LTE=" or empty on the last page
};
ClobMarketsPage parse_clob_markets_page(std::string_view json);

struct GammaEvent {
  std::string id;
  std::string slug;
  std::string title;
  bool neg_risk = false;  // the event's outcomes are mutually exclusive (negRisk)
  std::vector<PolymarketMarket> markets;
};

// One page of Gamma GET /events (a JSON array of events), or GET /events/{id} (one object).
struct GammaEventsPage {
  BootstrapError error = BootstrapError::ok;
  std::string message;
  std::vector<GammaEvent> events;
  std::vector<RejectedRecord> rejected;  // events and their markets
  size_t records = 0;                    // events on the page, kept or not (offset pagination)
};
GammaEventsPage parse_gamma_events_page(std::string_view json);

inline constexpr std::string_view kClobEndCursor = "LTE=";

struct PolymarketCatalog {
  std::vector<PolymarketMarket> markets;  // CLOB
  std::vector<GammaEvent> events;         // Gamma
  std::vector<RejectedRecord> rejected;
  size_t pages = 0;
};

// Adds one MarketInfo per token (key = token id, market_key = condition id, complement = the
// other token) and one EventInfo per Gamma event (key = its slug, or id when it has none; members
// = the first token of each of its markets; mutually_exclusive = negRisk). For a condition both
// sources list, the CLOB's token ids, tick, status and end date win; Gamma adds the event, the
// fees and the outcome's name. A Gamma-only market needs its own tick, else it is rejected into
// `rejected`. Returns the tokens added.
size_t add_polymarket_catalog(MarketUniverse& universe, const PolymarketCatalog& catalog,
                              std::vector<RejectedRecord>& rejected);

struct PolymarketFetchOptions {
  bool fetch_clob_markets = true;
  bool fetch_gamma_events = true;
  bool include_closed = false;                      // keep CLOB markets whose `closed` is true
  std::string gamma_events_query = "closed=false";  // filters of Gamma GET /events
  int gamma_events_per_page = 100;
  int max_pages = 10'000;  // per listing: a cursor that never ends is an error
  std::vector<net::HttpHeader> headers;
};

struct PolymarketFetchResult {
  BootstrapError error = BootstrapError::ok;
  std::string message;  // names the URL that failed
  PolymarketCatalog catalog;
};

// GET {clob_url}/markets?next_cursor=... until "LTE=", then GET {gamma_url}/events?...&limit=N&offset=K
// until a short page. `clob` and `gamma` may be the same client.
PolymarketFetchResult fetch_polymarket_catalog(net::HttpClient& clob, std::string_view clob_url,
                                               net::HttpClient& gamma, std::string_view gamma_url,
                                               const PolymarketFetchOptions& options = {});

}  // namespace pmx
