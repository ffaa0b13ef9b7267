// Kalshi reconciliation reads (REFERENCES.md §2.5, §2.7, §2.8): the parsers of
//
//   GET /portfolio/positions  {"market_positions":[{"ticker","position_fp":"-5.00",
//                              "market_exposure_dollars","realized_pnl_dollars",
//                              "fees_paid_dollars",...}],"event_positions":[..],"cursor":".."}
//   GET /portfolio/balance    {"balance":cents,"balance_dollars"?:"123.4500",...}
//   GET /portfolio/orders     {"orders":[{"order_id","client_order_id","ticker","side":"yes|no",
//                              "action":"buy|sell","status","yes_price_dollars","no_price_dollars",
//                              "fill_count_fp","remaining_count_fp",...}],"cursor":".."}
//
// and a blocking fetch of all three (every page, signed like any request) for start-up, over
// pmx::net::HttpClient. Start-up code: allocates; the fetch throws std::runtime_error with one
// line naming the endpoint, the parsers return a ReadError.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pmx/gateway/kalshi_signer.h"
#include "pmx/gateway/live/account_snapshot.h"

namespace pmx::net {
class HttpClient;
}

namespace pmx::gateway {

// Each appends to `out`; `cursor` receives the next page's cursor (empty on the last page).
ReadError parse_kalshi_positions(std::string_view json, std::vector<VenuePosition>& out, std::string& cursor);
ReadError parse_kalshi_orders(std::string_view json, std::vector<RestingOrder>& out, std::string& cursor);
// balance_dollars when present (exact to $0.0001), else balance in cents.
ReadError parse_kalshi_balance(std::string_view json, Money& out);

// Every market position, every resting order (?status=resting) and the balance.
// `api_base` is the REST root with its path, e.g. "https://external-api.kalshi.com/trade-api/v2";
// the signed path includes that path (REFERENCES.md §2.2).
AccountSnapshot fetch_kalshi_account(net::HttpClient& http, std::string_view api_base,
                                     const KalshiSigner& signer, std::string_view key_id);

}  // namespace pmx::gateway
