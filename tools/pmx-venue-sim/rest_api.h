// The venue simulator's REST market lists, without I/O: a GET's path and query in, status and JSON
// body out, rendered from a Universe in the venues' real shapes (field names as in
// shared/data/venues: kalshi/rest_event_*.json, polymarket/clob_markets_page_*.json,
// polymarket/gamma_event_*.json; REFERENCES.md §2.3, §3.9).
//
// Kalshi (below /trade-api/v2):
//   GET /markets            {"markets":[Market],"cursor":C}; limit 1..1000 (default 100), cursor,
//                           event_ticker, series_ticker, tickers (comma-separated), status
//                           (open: every market; unopened|paused|closed|settled: none). The
//                           cursor is opaque to clients; "" on the last page.
//   GET /markets/{ticker}   {"market":Market}
//   GET /events             {"events":[Event],"cursor":C}; limit 1..200 (default 200), cursor,
//                           series_ticker, status, with_nested_markets=true nests "markets"
//   GET /events/{ticker}    {"event":Event,"markets":[Market]} (nested too with with_nested_markets)
//   Event carries mutually_exclusive; Market carries price_level_structure and price_ranges (1¢
//   linear_cent), close_time, status "active", the top of book as *_dollars / *_fp strings, and
//   strike_type / floor_strike on ladders. Errors: {"error":{"code":...,"message":...}}.
// Polymarket CLOB (below its rest_url):
//   GET /markets            {"limit":100,"count":N,"next_cursor":C,"data":[Market]}; next_cursor
//                           is base64 of the offset ("MA==" first), "LTE=" on the last page
//   GET /markets/{condition_id}   one Market
//   Market: condition_id, question_id, tokens [{token_id,outcome,price,winner}] (Yes first),
//   minimum_tick_size, minimum_order_size, neg_risk, neg_risk_market_id, end_date_iso, ...
// Polymarket Gamma (below its gamma_url):
//   GET /events             JSON array of Event; limit (default 100, max 1000), offset, id, slug,
//                           closed=true (none), active=false (none)
//   GET /events/{id}        one Event
//   Event: id, slug, title, endDate, negRisk, negRiskMarketID, markets [{conditionId,
//   clobTokenIds (a JSON-encoded string array), outcomes, outcomePrices, orderPriceMinTickSize,
//   negRisk, groupItemTitle, endDate, ...}]
// An unknown path is 404, a bad parameter 400 with a message naming it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim_universe.h"

namespace pmx::sim {

enum class RestApi : uint8_t { kalshi, polymarket_clob, polymarket_gamma };

struct RestResponse {
  int status = 404;
  std::string body;  // application/json
};

// `path` is the request path below the API's prefix ("/markets"); `query` the raw query string
// without the '?'.
RestResponse handle_rest(RestApi api, std::string_view path, std::string_view query,
                         const Universe& universe);

// "a%2Cb+c" -> "a,b c"; malformed escapes are kept as they are.
std::string url_decode(std::string_view text);

// The value of `key` in a query string ("a=1&b=2"), decoded; empty when absent.
std::string query_param(std::string_view query, std::string_view key);

}  // namespace pmx::sim
