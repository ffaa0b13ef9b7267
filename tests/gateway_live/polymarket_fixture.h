// Test helpers for PolymarketOrderSession: a universe of one binary market (two tokens), the
// well-known test key (REFERENCES.md §3.14) with a zero L2 secret, channel frames, and a harness
// like KalshiHarness driving the session against a LoopbackHttpServer with the test's own clock.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/gateway/live/polymarket_order_session.h"

#include "live_fixture.h"

namespace pmx::gateway::test {

inline constexpr std::string_view kPolyKey =
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
inline constexpr std::string_view kPolySigner = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
inline constexpr std::string_view kPolySecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
inline constexpr std::string_view kPolyApiKey = "11111111-2222-3333-4444-555555555555";
inline constexpr std::string_view kYesToken = "1234";
inline constexpr std::string_view kNoToken = "5678";
inline constexpr std::string_view kCondition = "0xcond";

inline MarketUniverse polymarket_universe() {
  MarketUniverse u;
  MarketInfo yes;
  yes.venue = Venue::polymarket;
  yes.key = std::string(kYesToken);
  yes.market_key = std::string(kCondition);
  yes.tick = Price::from_ticks(100);
  MarketInfo no = yes;
  no.key = std::string(kNoToken);
  const InstrumentId yes_id = u.add_market(yes);
  const InstrumentId no_id = u.add_market(no);
  u.mutable_market(yes_id)->complement = no_id;
  u.mutable_market(no_id)->complement = yes_id;
  return u;
}

inline PolymarketRequestBuilder polymarket_builder() {
  PolymarketAccount account;
  account.version = PolymarketOrderVersion::v2;
  account.chain_id = kPolygonChainId;
  account.exchange = *polymarket_exchange_address(PolymarketOrderVersion::v2, kPolygonChainId, false);
  account.api_key = std::string(kPolyApiKey);
  account.passphrase = "pass-phrase";
  account.host = "127.0.0.1";
  return PolymarketRequestBuilder(EthereumSigner::from_hex(kPolyKey),
                                  PolymarketHmac::from_secret(kPolySecret), account);
}

inline OrderIntent polymarket_intent(uint64_t id, TimeInForce tif = TimeInForce::gtc, int64_t shares = 10) {
  OrderIntent i;
  i.intent_id = id;
  i.instrument = InstrumentId{0};
  i.venue = Venue::polymarket;
  i.side = Side::buy;
  i.outcome = Outcome::yes;
  i.tif = tif;
  i.limit_price = Price::from_ticks(5600);
  i.qty = Qty::contracts(shares);
  return i;
}

inline std::string poly_answer(std::string_view order_id, std::string_view status,
                               std::string_view taking = "", std::string_view making = "") {
  return R"({"success":true,"errorMsg":"","orderID":")" + std::string(order_id) + R"(","status":")" +
         std::string(status) + R"(","takingAmount":")" + std::string(taking) + R"(","makingAmount":")" +
         std::string(making) + R"("})";
}

// A trade where `taker` took `size` at `price`; `maker` (when given) is the maker order.
inline std::string trade_frame(std::string_view trade_id, std::string_view status, std::string_view taker,
                               std::string_view size, std::string_view price = "0.56",
                               std::string_view maker = "0xother", std::string_view maker_owner = "someone") {
  return R"({"event_type":"trade","type":"TRADE","id":")" + std::string(trade_id) + R"(","status":")" +
         std::string(status) + R"(","taker_order_id":")" + std::string(taker) + R"(","size":")" +
         std::string(size) + R"(","price":")" + std::string(price) +
         R"(","side":"BUY","maker_orders":[{"order_id":")" + std::string(maker) + R"(","owner":")" +
         std::string(maker_owner) + R"(","matched_amount":")" + std::string(size) + R"(","price":")" +
         std::string(price) + R"("}]})";
}

inline std::string order_frame(std::string_view type, std::string_view id, std::string_view matched) {
  return R"({"event_type":"order","type":")" + std::string(type) + R"(","id":")" + std::string(id) +
         R"(","original_size":"10","size_matched":")" + std::string(matched) + R"("})";
}

inline PolymarketOrderSessionOptions polymarket_options(const LoopbackHttpServer& server) {
  PolymarketOrderSessionOptions o;
  o.http.origin = server.url();
  o.http.connections = 2;
  o.salt_epoch = 42;
  o.api_secret = std::string(kPolySecret);
  o.table.fill_grace_ns = 2 * kSecond;
  return o;
}

struct PolymarketHarness : SessionHarness<PolymarketOrderSession> {
  PolymarketHarness(LoopbackHttpServer&, PolymarketOrderSessionOptions options)
      : SessionHarness(polymarket_universe(), polymarket_builder(), std::move(options)) {}
  explicit PolymarketHarness(LoopbackHttpServer& server)
      : PolymarketHarness(server, polymarket_options(server)) {}

  void channel(const std::string& frame) { session.on_user_message(frame, WallNanos{now}); }
};

}  // namespace pmx::gateway::test
