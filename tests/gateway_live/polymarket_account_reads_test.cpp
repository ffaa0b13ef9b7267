// Polymarket reconciliation reads: the parsers on the reference clients' shapes and on malformed
// bodies, and the start-up fetch (L2 headers, every page, each token's balance).
#include "pmx/gateway/live/polymarket_account_reads.h"

#include <gtest/gtest.h>

#include "pmx/net/http_client.h"

#include "polymarket_fixture.h"

namespace pmx::gateway::test {
namespace {

constexpr std::string_view kPolymarketOrdersPage =
    R"({"data":[{"id":"0xabc","status":"LIVE","owner":"k","maker_address":"0x1","market":"0xcond",)"
    R"("asset_id":"1234","side":"SELL","original_size":"10","size_matched":"2.5","price":"0.57",)"
    R"("outcome":"Yes","created_at":1700000000,"expiration":"0","order_type":"GTC","associate_trades":[]}],)"
    R"("next_cursor":"LTE=","limit":100,"count":1})";

TEST(PolymarketAccountReads, OpenOrdersCarryTokenSidePriceAndWhatRemains) {
  std::vector<RestingOrder> orders;
  std::string cursor;
  ASSERT_TRUE(parse_polymarket_orders(kPolymarketOrdersPage, orders, cursor).ok());
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].order_id, "0xabc");
  EXPECT_EQ(orders[0].key, "1234");
  EXPECT_EQ(orders[0].side, Side::sell);
  EXPECT_EQ(orders[0].price, Price::from_ticks(5700));
  EXPECT_EQ(orders[0].filled, Qty::from_units(2'500'000));
  EXPECT_EQ(orders[0].remaining, Qty::from_units(7'500'000));
  EXPECT_EQ(cursor, kPolymarketEndCursor);
}

TEST(PolymarketAccountReads, BalanceIsInBaseUnits) {
  int64_t units = 0;
  ASSERT_TRUE(parse_polymarket_balance(R"({"balance":"12500000","allowances":{}})", units).ok());
  EXPECT_EQ(units, 12'500'000);
}

TEST(PolymarketAccountReads, MalformedBodiesAreRefusedWithTheEndpointAndField) {
  std::vector<RestingOrder> orders;
  std::string cursor;
  int64_t units = 0;
  EXPECT_EQ(parse_polymarket_orders("[]", orders, cursor).message,
            "polymarket GET /data/orders: not an object");
  EXPECT_EQ(parse_polymarket_orders(R"({"data":[{"id":"0x1","asset_id":"1","side":"HOLD"}]})", orders, cursor)
                .message,
            "polymarket GET /data/orders: order 0x1 has side \"HOLD\"");
  EXPECT_EQ(parse_polymarket_balance(R"({"balance":"1.5"})", units).message,
            "polymarket GET /balance-allowance: balance \"1.5\" is not an integer");
  EXPECT_TRUE(orders.empty());
}

TEST(PolymarketAccountReads, FetchSendsL2HeadersAndReadsEveryPageAndToken) {
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.target == "/data/orders?next_cursor=MA%3D%3D")
      return pmx::test::ok_json(R"({"data":[{"id":"0x1","asset_id":"1234","side":"BUY","original_size":"5",)"
                                R"("size_matched":"0","price":"0.5"}],"next_cursor":"MQ=="})");
    if (req.target.starts_with("/data/orders")) return pmx::test::ok_json(kPolymarketOrdersPage);
    if (req.target.find("COLLATERAL") != std::string::npos)
      return pmx::test::ok_json(R"({"balance":"250000000"})");
    if (req.target.find("token_id=1234") != std::string::npos)
      return pmx::test::ok_json(R"({"balance":"3000000"})");
    return pmx::test::ok_json(R"({"balance":"0"})");
  });
  net::HttpClient http;
  auto hmac = PolymarketHmac::from_secret(kPolySecret);
  const PolymarketReadAuth auth{std::string(kPolySigner), std::string(kPolyApiKey), "pass-phrase"};
  const AccountSnapshot s = fetch_polymarket_account(http, server.url(), hmac, auth, {"1234", "5678"});
  EXPECT_EQ(s.orders.size(), 2u);
  EXPECT_EQ(s.balance, Money::from_micros(250'000'000));
  ASSERT_EQ(s.positions.size(), 1u);  // the token held; 5678 is flat
  EXPECT_EQ(s.positions[0].key, "1234");
  EXPECT_EQ(s.positions[0].position, Qty::contracts(3));
  const auto received = server.received();
  ASSERT_EQ(received.size(), 5u);
  const std::string& head = received[0].head;
  const auto header = [&](const std::string& name) {
    const size_t at = head.find(name + ": ");
    return head.substr(at + name.size() + 2, head.find("\r\n", at) - at - name.size() - 2);
  };
  EXPECT_EQ(header("POLY_ADDRESS"), kPolySigner);
  EXPECT_EQ(header("POLY_API_KEY"), kPolyApiKey);
  EXPECT_EQ(header("POLY_SIGNATURE"),
            hmac.sign(std::stoll(header("POLY_TIMESTAMP")), "GET", "/data/orders", ""));
}

}  // namespace
}  // namespace pmx::gateway::test
