// pmx-venue-sim's Polymarket CLOB order endpoints, without I/O (REFERENCES.md §3.8–3.13). The
// subset implemented, below the CLOB prefix:
//
//   POST   /order   body {"order":{"salt","maker","signer","tokenId","makerAmount","takerAmount",
//                  "side":"BUY"|"SELL","signatureType","timestamp","expiration","metadata","builder",
//                  "signature"},"owner","orderType":"GTC"|"GTD"|"FOK"|"FAK","postOnly","deferExec"}
//                  -> 200 {"success":true,"errorMsg":"","orderID","status":"matched"|"live",
//                  "takingAmount","makingAmount","transactionsHashes":[...],"tradeIDs":[...]}
//   DELETE /order   body {"orderID"} -> 200 {"canceled":[id],"not_canceled":{}} (or the id in
//                  not_canceled with the reason)
//   GET    /balance-allowance?asset_type=COLLATERAL | CONDITIONAL&token_id=T
//                  -> 200 {"balance":"<base units>","allowance":"0"}: pUSD, or the shares of T held
//                  (as the reference clients read it, polymarket_account_reads.h); 429/503 faults
//   GET    /data/orders?next_cursor=C (&id=, &market=, &asset_id= filters)
//                  -> 200 {"limit","count","next_cursor","data":[{"id","status":"LIVE","owner",
//                  "maker_address","market","asset_id","side","original_size","size_matched",
//                  "price","outcome","expiration","order_type","associate_trades","created_at"}]}:
//                  the account's resting orders, oldest first, `orders_page` per page; the cursor
//                  is base64 of the offset ("MA==" first, "LTE=" after the last page, as the
//                  venue's); a cursor that is not one -> 400; 429/503 faults
//
// Checks, in order: the L2 headers (POLY_ADDRESS, POLY_SIGNATURE, POLY_TIMESTAMP, POLY_API_KEY,
// POLY_PASSPHRASE): key and passphrase equal the configured ones, the timestamp (seconds) within
// the skew, POLY_SIGNATURE = base64url(HMAC-SHA256(secret, timestamp + METHOD + path + body))
// over the exact body bytes -> else 401 {"error":"Unauthorized/Invalid api key"}. Then the order:
// V1 bodies (taker/nonce/feeRateBps) -> 400 "order_version_mismatch"; the EIP-712 digest of the
// V2/V3 struct under the exchange domain (version "2" with CTFExchangeV2, or the neg-risk V2
// exchange for neg-risk markets; version "3" with ExchangeV3 for the others; chain id
// configured), the signer recovered from "signature" must equal "signer", POLY_ADDRESS must be
// the signer, and for an EOA order (signatureType 0) the maker too -> else 400 {"error":"invalid
// signature"}. owner must be the API key. POLY_1271 wrapped signatures are not supported.
//
// Amounts: BUY pays makerAmount collateral for takerAmount shares, SELL the reverse (6 decimals
// both); the price is collateral / shares and must be exact on the market's tick, the size a
// multiple of 0.01 share. Buying the NO token at p is selling YES at $1 - p in the matching book.
// GTC/GTD rest what does not fill; FAK fills what it can; FOK fills all or is refused ("order
// couldn't be fully filled. FOK orders are fully filled or killed."); postOnly that would cross
// is refused.
//
// User channel events (polymarket_user_channel.h renders and routes them): per fill a `trade`
// event MATCHED at once, then MINED and CONFIRMED (mined_ms later each), or FAILED instead of
// MINED when --fault-trade-fail-every says so (the fill is then reversed in the account); an
// `order` event PLACEMENT when an order rests, UPDATE when a resting order fills, CANCELLATION
// when it is cancelled.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/gateway/polymarket_hmac.h"

#include "matching_book.h"
#include "order_faults.h"
#include "order_types.h"

namespace pmx::sim {

struct PolymarketAuthConfig {
  std::string api_key;     // empty: the L2 headers are not checked
  std::string api_secret;  // base64url
  std::string passphrase;
  uint64_t chain_id = 137;
  int64_t max_skew_s = 60;
  int64_t mined_ms = 200;     // MATCHED -> MINED -> CONFIRMED spacing
  int64_t orders_page = 100;  // GET /data/orders page size
};

// One order as the simulated CLOB keeps it. Sizes in 0.01 share, prices in $0.0001 of its token.
struct PolymarketSimOrder {
  std::string id;  // the order's EIP-712 digest, "0x" + 64 hex (the venue's order hash)
  std::string token_id;
  std::string maker;  // checksummed address
  size_t market = 0;
  bool yes_token = true;
  bool buy = true;
  int64_t price = 0;
  int64_t original = 0;
  int64_t matched = 0;
  int64_t remaining = 0;  // resting
  std::string order_type;
  std::string status;  // live | matched | canceled | unmatched
  int64_t created_ms = 0;
  std::vector<std::string> trade_ids;
};

class PolymarketExchange {
 public:
  PolymarketExchange(MatchingBook& book, OrderFaults& faults, PolymarketAuthConfig auth,
                     int64_t balance_micros);

  std::optional<OrderReply> handle(const OrderRequest& request, std::string_view below, int64_t now_ms);
  void on_book_moved(int64_t now_ms, std::vector<PrivateEvent>& events);

  // pUSD held, micro-dollars.
  int64_t balance() const noexcept { return balance_; }
  // Shares held of a token, in base units (10^-6).
  int64_t position(std::string_view token_id) const;
  const std::vector<PolymarketSimOrder>& orders() const noexcept { return orders_; }

 private:
  using Order = PolymarketSimOrder;
  // Why the L2 headers are refused, or empty.
  std::string l2_failure(const OrderRequest& request, int64_t now_ms);
  OrderReply post_order(const OrderRequest& request, int64_t now_ms);
  OrderReply cancel_order(const OrderRequest& request, int64_t now_ms);
  OrderReply balance_allowance(std::string_view query) const;
  OrderReply open_orders(std::string_view query) const;
  // One fill of `order`: `shares` (0.01) at `price` of its token; appends the trade events.
  void fill(Order& order, int64_t price, int64_t shares, bool taker, int64_t now_ms,
            std::vector<PrivateEvent>& out);
  void order_event(const Order& order, std::string_view type, int64_t now_ms,
                   std::vector<PrivateEvent>& out) const;

  MatchingBook& book_;
  OrderFaults& faults_;
  PolymarketAuthConfig auth_;
  std::optional<gateway::PolymarketHmac> hmac_;  // with an api secret
  int64_t balance_;
  std::map<std::string, int64_t, std::less<>> positions_;
  std::vector<Order> orders_;
  uint64_t next_order_ = 1;
  uint64_t next_trade_ = 1;
};

}  // namespace pmx::sim
