// Polymarket reconciliation reads, L2-authenticated GETs (REFERENCES.md §3.9, §3.10):
//
//   GET /data/orders?next_cursor=C     {"data":[{"id","status","market","asset_id","side":
//                                       "BUY|SELL","original_size","size_matched","price",...}],
//                                       "next_cursor":"..."}  (first cursor "MA==", end "LTE=")
//   GET /balance-allowance?asset_type=COLLATERAL                    {"balance":"<base units>",..}
//   GET /balance-allowance?asset_type=CONDITIONAL&token_id=T        the shares of token T held
//
// Balances are in 6-decimal base units (pUSD and outcome tokens alike). The open-orders shape
// and the balance endpoint follow the reference clients (py-clob-client get_orders,
// clob-client-v2 getBalanceAllowance), not a documented schema: UNCONFIRMED. Polymarket has no
// client order ids; a resting order is matched to ours by its order id (the hash).
//
// Start-up code: allocates; the fetch throws std::runtime_error, the parsers return a ReadError.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pmx/gateway/live/account_snapshot.h"
#include "pmx/gateway/polymarket_hmac.h"
#include "pmx/gateway/polymarket_request.h"

namespace pmx::net {
class HttpClient;
}

namespace pmx::gateway {

inline constexpr std::string_view kPolymarketFirstCursor = "MA==";
inline constexpr std::string_view kPolymarketEndCursor = "LTE=";

// Appends the page's orders; `cursor` receives next_cursor ("LTE=" or empty on the last page).
ReadError parse_polymarket_orders(std::string_view json, std::vector<RestingOrder>& out, std::string& cursor);
// {"balance":"<base units>"} -> Qty (shares) or, for collateral, Money (micro-dollars): both are
// millionths, so one parser serves.
ReadError parse_polymarket_balance(std::string_view json, int64_t& base_units);

// The L2 credentials of the reads: the signer's address (POLY_ADDRESS) and the account's key and
// passphrase; `hmac` signs each request.
struct PolymarketReadAuth {
  std::string address;  // EIP-55 "0x..."
  std::string api_key;
  std::string passphrase;
};

// Every open order, the collateral balance and the shares held of each token in `tokens`.
// `origin` is "https://clob.polymarket.com" (or the simulator).
AccountSnapshot fetch_polymarket_account(net::HttpClient& http, std::string_view origin, PolymarketHmac& hmac,
                                         const PolymarketReadAuth& auth,
                                         const std::vector<std::string>& tokens);

}  // namespace pmx::gateway
