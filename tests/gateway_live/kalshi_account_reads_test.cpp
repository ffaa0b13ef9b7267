// Kalshi reconciliation reads: the parsers on the reference's shapes and on malformed bodies, and
// the start-up fetch (signed, every page) against a scripted server.
#include "pmx/gateway/live/kalshi_account_reads.h"

#include <stdexcept>

#include <gtest/gtest.h>

#include "pmx/net/http_client.h"

#include "live_fixture.h"

namespace pmx::gateway::test {
namespace {

constexpr std::string_view kPositions =
    R"({"market_positions":[{"ticker":"HIGHNY-24JAN01-T60","total_traded_dollars":"5.6000","position_fp":"10.00",)"
    R"("market_exposure_dollars":"5.6000","realized_pnl_dollars":"0.0000","fees_paid_dollars":"0.1800",)"
    R"("last_updated_ts":"2026-05-01T00:00:00Z"},{"ticker":"FED-23DEC-T3.00","position_fp":"-4.00",)"
    R"("market_exposure_dollars":"1.6000","realized_pnl_dollars":"-0.5000","fees_paid_dollars":"0.0700"}],)"
    R"("event_positions":[],"cursor":"page2"})";

constexpr std::string_view kOrdersPage =
    R"({"orders":[{"order_id":"ord-1","user_id":"u","client_order_id":"11223344-5566-7788-0000-000000400000",)"
    R"("ticker":"HIGHNY-24JAN01-T60","side":"no","action":"buy","type":"limit","status":"resting",)"
    R"("yes_price_dollars":"0.5600","no_price_dollars":"0.4400","fill_count_fp":"2.00","remaining_count_fp":"8.00",)"
    R"("initial_count_fp":"10.00"}],"cursor":""})";

TEST(KalshiAccountReads, PositionsAreSignedYesContractsWithTheirAverageCost) {
  std::vector<VenuePosition> positions;
  std::string cursor;
  ASSERT_TRUE(parse_kalshi_positions(kPositions, positions, cursor).ok());
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0].key, "HIGHNY-24JAN01-T60");
  EXPECT_EQ(positions[0].position, Qty::contracts(10));
  EXPECT_EQ(positions[0].average_price, Price::from_ticks(5600));
  EXPECT_EQ(positions[0].fees_paid, Money::from_micros(180'000));
  EXPECT_EQ(positions[1].position, Qty::contracts(-4));
  EXPECT_EQ(positions[1].average_price, Price::from_ticks(4000));  // $1.60 for 4 NO contracts
  EXPECT_EQ(positions[1].realized_pnl, Money::from_micros(-500'000));
  EXPECT_EQ(cursor, "page2");
}

TEST(KalshiAccountReads, RestingOrdersCarryTheirClientOrderIdAndOutcomePrice) {
  std::vector<RestingOrder> orders;
  std::string cursor = "stale";
  ASSERT_TRUE(parse_kalshi_orders(kOrdersPage, orders, cursor).ok());
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0].order_id, "ord-1");
  EXPECT_EQ(orders[0].client_order_id, "11223344-5566-7788-0000-000000400000");
  EXPECT_EQ(orders[0].outcome, Outcome::no);
  EXPECT_EQ(orders[0].side, Side::buy);
  EXPECT_EQ(orders[0].price, Price::from_ticks(4400));
  EXPECT_EQ(orders[0].remaining, Qty::contracts(8));
  EXPECT_EQ(orders[0].filled, Qty::contracts(2));
  EXPECT_EQ(cursor, "");
}

TEST(KalshiAccountReads, BalancePrefersTheExactDollarString) {
  Money balance;
  ASSERT_TRUE(
      parse_kalshi_balance(R"({"balance":12345,"balance_dollars":"123.4567","portfolio_value":0})", balance)
          .ok());
  EXPECT_EQ(balance, Money::from_micros(123'456'700));
  ASSERT_TRUE(parse_kalshi_balance(R"({"balance":12345})", balance).ok());
  EXPECT_EQ(balance, Money::from_micros(123'450'000));
}

TEST(KalshiAccountReads, MalformedBodiesAreRefusedWithTheEndpointAndField) {
  std::vector<VenuePosition> positions;
  std::vector<RestingOrder> orders;
  std::string cursor;
  Money balance;
  EXPECT_EQ(parse_kalshi_positions("not json", positions, cursor).message,
            "kalshi GET /portfolio/positions: not JSON");
  EXPECT_EQ(parse_kalshi_positions(R"({"cursor":""})", positions, cursor).message,
            "kalshi GET /portfolio/positions: no array market_positions");
  EXPECT_EQ(parse_kalshi_positions(R"({"market_positions":[{"ticker":"X","position_fp":"ten"}]})", positions,
                                   cursor)
                .message,
            "kalshi GET /portfolio/positions: field position_fp = \"ten\" is not a decimal");
  EXPECT_FALSE(parse_kalshi_orders(R"({"orders":[{"order_id":"o","ticker":"X","side":"up","action":"buy"}]})",
                                   orders, cursor)
                   .ok());
  EXPECT_FALSE(parse_kalshi_balance(R"({"balance":"lots"})", balance).ok());
  EXPECT_TRUE(positions.empty());
  EXPECT_TRUE(orders.empty());
}

TEST(KalshiAccountReads, FetchSignsEveryRequestAndFollowsTheCursor) {
  LoopbackHttpServer server([](const ServerRequest& req) {
    if (req.target.starts_with("/trade-api/v2/portfolio/positions?limit=1000&cursor=page2"))
      return pmx::test::ok_json(R"({"market_positions":[{"ticker":"B","position_fp":"1.00"}],"cursor":""})");
    if (req.target.starts_with("/trade-api/v2/portfolio/positions")) return pmx::test::ok_json(kPositions);
    if (req.target.starts_with("/trade-api/v2/portfolio/orders")) return pmx::test::ok_json(kOrdersPage);
    if (req.target == "/trade-api/v2/portfolio/balance")
      return pmx::test::ok_json(R"({"balance":100,"balance_dollars":"1.0000"})");
    return Reply{pmx::test::http_response(404, "{}"), false, false};
  });
  net::HttpClient http;
  const AccountSnapshot s =
      fetch_kalshi_account(http, server.url() + "/trade-api/v2", test_kalshi_signer(), "key-1");
  EXPECT_EQ(s.positions.size(), 3u);
  EXPECT_EQ(s.orders.size(), 1u);
  EXPECT_TRUE(s.has_balance);
  EXPECT_EQ(s.balance, Money::from_micros(1'000'000));
  const auto received = server.received();
  ASSERT_EQ(received.size(), 4u);
  EXPECT_EQ(received[2].target, "/trade-api/v2/portfolio/orders?limit=1000&status=resting");
  for (const auto& r : received) {
    const std::string head = r.head;
    const auto header = [&](const std::string& name) {
      const size_t at = head.find(name + ": ");
      return head.substr(at + name.size() + 2, head.find("\r\n", at) - at - name.size() - 2);
    };
    const std::string path = r.target.substr(0, r.target.find('?'));
    EXPECT_TRUE(KalshiSigner::verify(test_kalshi_signer().public_key_pem(),
                                     header("KALSHI-ACCESS-TIMESTAMP") + "GET" + path,
                                     header("KALSHI-ACCESS-SIGNATURE")))
        << path;
  }
}

TEST(KalshiAccountReads, FetchThrowsOnARefusalNamingTheEndpoint) {
  LoopbackHttpServer server([](const ServerRequest&) {
    return Reply{pmx::test::http_response(401, R"({"error":{"code":"authentication_error"}})"), false, false};
  });
  net::HttpClient http;
  try {
    fetch_kalshi_account(http, server.url() + "/trade-api/v2", test_kalshi_signer(), "key-1");
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("kalshi GET /trade-api/v2/portfolio/positions: HTTP 401", 0), 0u)
        << e.what();
  }
}

}  // namespace
}  // namespace pmx::gateway::test
