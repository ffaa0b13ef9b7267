// pmx-venue-sim's Polymarket order side against the real server: POST /order and DELETE /order
// written and signed by the gateway's PolymarketRequestBuilder (EIP-712 order signature + L2
// HMAC over the exact body), the user channel's trade and order events, and GET /data/orders
// read by the engine's own start-up reconciliation reader (fetch_polymarket_account).
#include <cmath>

#include <gtest/gtest.h>

#include "pmx/gateway/live/polymarket_account_reads.h"
#include "pmx/gateway/polymarket_amounts.h"
#include "pmx/gateway/polymarket_request.h"
#include "pmx/net/http_client.h"

#include "order_sim_client.h"
#include "sim_process.h"

namespace {

namespace json = boost::json;
namespace gw = pmx::gateway;
using pmx::Price;
using pmx::Qty;
using pmx::Side;
using namespace pmx::test;

constexpr std::string_view kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::string_view kOtherKey = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const std::string kApiKey = "00000000-0000-4000-8000-00000000a91e";
const std::string kSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const std::string kPassphrase = "sim-passphrase";

std::vector<std::string> polymarket_sim_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--synthetic",
                                "--seed",
                                "7",
                                "--markets",
                                "6",
                                "--manual-book",
                                "--poly-api-key",
                                kApiKey,
                                "--poly-api-secret",
                                kSecret,
                                "--poly-passphrase",
                                kPassphrase,
                                "--poly-mined-ms",
                                "20"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

struct PolyMarket {
  std::string condition_id;
  std::string yes_token;
  int64_t tick = 0;
  std::vector<Level> asks;  // YES book, best first
  std::vector<Level> bids;
};

// The first plain (not neg-risk) Polymarket market with two levels on each side.
PolyMarket plain_market(uint16_t port) {
  const json::value listing = http_exchange(port, "GET /markets HTTP/1.1\r\nHost: x\r\n\r\n").json();
  for (const auto& m : listing.at("data").as_array()) {
    if (m.at("neg_risk").as_bool()) continue;
    PolyMarket p;
    p.condition_id = str(m.at("condition_id"));
    p.yes_token = str(m.at("tokens").at(0).at("token_id"));
    // A JSON number ("minimum_tick_size": 0.01): exact in ticks after rounding.
    p.tick = std::llround(m.at("minimum_tick_size").to_number<double>() * 10'000);
    p.asks = book_side(port, p.condition_id, true);
    p.bids = book_side(port, p.condition_id, false);
    if (p.asks.size() >= 2 && p.bids.size() >= 2) return p;
  }
  ADD_FAILURE() << "no plain two-sided Polymarket market";
  return {};
}

gw::PolymarketRequestBuilder builder(std::string_view private_key,
                                     gw::PolymarketOrderVersion version = gw::PolymarketOrderVersion::v2) {
  gw::PolymarketAccount account;
  account.version = version;
  account.chain_id = gw::kPolygonChainId;
  account.exchange = *gw::polymarket_exchange_address(version, gw::kPolygonChainId, false);
  account.api_key = kApiKey;
  account.passphrase = kPassphrase;
  return gw::PolymarketRequestBuilder(gw::EthereumSigner::from_hex(private_key),
                                      gw::PolymarketHmac::from_secret(kSecret), account);
}

uint64_t salt_counter = 1000;

// The exact bytes of POST /order for a limit order of `hundredths` shares of `token` at `price`.
std::string order_request(gw::PolymarketRequestBuilder& b, const std::string& token, Side side, int64_t price,
                          int64_t hundredths, int64_t tick, gw::PolymarketOrderType type) {
  gw::PolymarketOrder order = b.order_template();
  order.salt = ++salt_counter;
  EXPECT_TRUE(gw::parse_uint256(token, order.token_id));
  gw::PolymarketAmounts amounts;
  EXPECT_EQ(gw::polymarket_limit_amounts(side, Price::from_ticks(static_cast<int32_t>(price)),
                                         Qty::from_units(hundredths * 10'000),
                                         Price::from_ticks(static_cast<int32_t>(tick)), amounts),
            gw::GatewayError::ok);
  order.maker_amount = amounts.maker_amount;
  order.taker_amount = amounts.taker_amount;
  order.side = side;
  order.timestamp_ms = static_cast<uint64_t>(wall_ms());
  std::array<char, 8192> out{};
  const auto r = b.post_order(order, type, false, wall_ms() / 1000, out);
  EXPECT_TRUE(r.ok()) << gw::to_string(r.error);
  return std::string(out.data(), r.size);
}

// The request with its body replaced and its L2 signature (and Content-Length) made to match.
std::string with_body(const std::string& request, const std::string& body, const std::string& address) {
  const size_t head_end = request.find("\r\n\r\n");
  std::string head = request.substr(0, head_end + 2);
  auto header = [&](const std::string& name) {
    const size_t at = head.find(name + ": ");
    return std::pair{at + name.size() + 2, head.find("\r\n", at) - (at + name.size() + 2)};
  };
  const auto [ts_at, ts_len] = header("POLY_TIMESTAMP");
  const int64_t ts = std::stoll(head.substr(ts_at, ts_len));
  auto hmac = gw::PolymarketHmac::from_secret(kSecret);
  const std::string signature = hmac.sign(ts, "POST", "/order", body);
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"POLY_SIGNATURE", signature},
                                    {"Content-Length", std::to_string(body.size())},
                                    {"POLY_ADDRESS", address}}) {
    const auto [at, len] = header(name);
    head.replace(at, len, value);
  }
  return head + "\r\n" + body;
}

// Subscribes the user channel with the account's credentials.
bool subscribe_user(FrameRecorder& r, const std::string& sim_url, const std::string& secret = kSecret) {
  r.client.connect(sim_url + "/ws/user");
  if (!r.wait([&] { return r.opens > 0 || r.disconnected; }) || r.opens == 0) return false;
  return r.client.send_text(R"({"type":"user","markets":[],"auth":{"apiKey":")" + kApiKey +
                            R"(","secret":")" + secret + R"(","passphrase":")" + kPassphrase + R"("}})");
}

std::vector<std::string> statuses(const std::vector<json::object>& trades) {
  std::vector<std::string> out;
  for (const auto& t : trades)
    out.push_back(str(t.at("status")));
  return out;
}

TEST(PolymarketOrders, SignedOrderFillsAndTheUserChannelSeesMatchedMinedConfirmed) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  FrameRecorder user;
  ASSERT_TRUE(subscribe_user(user, sim.url()));
  auto b = builder(kKey);
  const int64_t size = std::min<int64_t>(m.asks[0].count, 500);
  const auto answer = http_exchange(port, order_request(b, m.yes_token, Side::buy, m.asks[0].price, size,
                                                        m.tick, gw::PolymarketOrderType::fak));
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto body = answer.json();
  EXPECT_TRUE(body.at("success").as_bool());
  EXPECT_EQ(str(body.at("status")), "matched");
  EXPECT_EQ(fixed(body.at("takingAmount"), 6), size * 10'000) << "shares received";
  EXPECT_EQ(fixed(body.at("makingAmount"), 6), size * m.asks[0].price) << "pUSD paid";
  ASSERT_EQ(body.at("tradeIDs").as_array().size(), 1u);

  ASSERT_TRUE(user.wait([&] { return user.of_type("trade").size() >= 3; }));
  const auto trades = user.of_type("trade");
  EXPECT_EQ(statuses(trades), (std::vector<std::string>{"MATCHED", "MINED", "CONFIRMED"}));
  for (const auto& t : trades) {
    EXPECT_EQ(str(t.at("id")), str(body.at("tradeIDs").at(0)));
    EXPECT_EQ(str(t.at("taker_order_id")), str(body.at("orderID")));
    EXPECT_EQ(str(t.at("market")), m.condition_id);
    EXPECT_EQ(fixed(t.at("price"), 4), m.asks[0].price);
    EXPECT_EQ(fixed(t.at("size"), 2), size);
    EXPECT_EQ(str(t.at("trader_side")), "TAKER");
  }
}

// GET /balance-allowance?<query>, L2-signed for `private_key`'s address.
HttpAnswer balance_allowance(uint16_t port, std::string_view private_key, const std::string& query) {
  const int64_t ts = wall_ms() / 1000;
  auto hmac = gw::PolymarketHmac::from_secret(kSecret);
  const std::string address = gw::to_checksum_address(gw::EthereumSigner::from_hex(private_key).address());
  return http_exchange(
      port, "GET /balance-allowance?" + query + " HTTP/1.1\r\nHost: x\r\nPOLY_ADDRESS: " + address +
                "\r\nPOLY_SIGNATURE: " + hmac.sign(ts, "GET", "/balance-allowance", "") +
                "\r\nPOLY_TIMESTAMP: " + std::to_string(ts) + "\r\nPOLY_API_KEY: " + kApiKey +
                "\r\nPOLY_PASSPHRASE: " + kPassphrase + "\r\n\r\n");
}

TEST(PolymarketOrders, BalanceAllowanceReportsTheSharesOfATokenHeld) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  const auto before = balance_allowance(port, kKey, "asset_type=CONDITIONAL&token_id=" + m.yes_token);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(str(before.json().at("balance")), "0");
  auto b = builder(kKey);
  const int64_t size = std::min<int64_t>(m.asks[0].count, 300);
  ASSERT_EQ(http_exchange(port, order_request(b, m.yes_token, Side::buy, m.asks[0].price, size, m.tick,
                                              gw::PolymarketOrderType::fak))
                .status,
            200);
  const auto after = balance_allowance(port, kKey, "asset_type=CONDITIONAL&token_id=" + m.yes_token);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(str(after.json().at("balance")), std::to_string(size * 10'000));       // 6-decimal base units
  EXPECT_EQ(balance_allowance(port, kKey, "asset_type=CONDITIONAL").status, 400);  // no token_id
}

TEST(PolymarketOrders, BalanceAllowanceWithoutValidL2HeadersIsRefused) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const auto answer =
      http_exchange(port, "GET /balance-allowance?asset_type=COLLATERAL HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.status, 401);
}

TEST(PolymarketOrders, V3OrderSignedUnderExchangeV3IsAccepted) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  auto b = builder(kKey, gw::PolymarketOrderVersion::v3);
  const auto answer = http_exchange(port, order_request(b, m.yes_token, Side::buy, m.bids.back().price, 100,
                                                        m.tick, gw::PolymarketOrderType::gtc));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(str(answer.json().at("status")), "live");
}

TEST(PolymarketOrders, TamperedBodyIsRefusedByTheHmac) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  auto b = builder(kKey);
  std::string request = order_request(b, m.yes_token, Side::buy, m.bids.back().price, 100, m.tick,
                                      gw::PolymarketOrderType::gtc);
  const size_t at = request.find("\"GTC\"");
  ASSERT_NE(at, std::string::npos);
  request.replace(at, 5, "\"FAK\"");  // same length: only the HMAC can tell
  const auto answer = http_exchange(port, request);
  EXPECT_EQ(answer.status, 401) << answer.body;
  EXPECT_EQ(str(answer.json().at("error")), "Unauthorized/Invalid api key");
}

TEST(PolymarketOrders, OrderWhoseSignatureRecoversAnotherSignerIsRefused) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  auto b = builder(kKey);
  const auto other = gw::EthereumSigner::from_hex(kOtherKey);
  const std::string other_address = gw::to_checksum_address(other.address());
  const std::string mine = gw::to_checksum_address(b.signer_address());
  const std::string request = order_request(b, m.yes_token, Side::buy, m.bids.back().price, 100, m.tick,
                                            gw::PolymarketOrderType::gtc);
  // Claim the other address as maker and signer, with valid L2 headers for it.
  std::string body = request.substr(request.find("\r\n\r\n") + 4);
  for (size_t at; (at = body.find(mine)) != std::string::npos;)
    body.replace(at, mine.size(), other_address);
  const auto answer = http_exchange(port, with_body(request, body, other_address));
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_EQ(str(answer.json().at("error")), "invalid signature");
}

TEST(PolymarketOrders, RestingOrderIsPlacedThenCancelledWithOrderEvents) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  FrameRecorder user;
  ASSERT_TRUE(subscribe_user(user, sim.url()));
  auto b = builder(kKey);
  const auto placed = http_exchange(port, order_request(b, m.yes_token, Side::buy, m.bids.back().price, 250,
                                                        m.tick, gw::PolymarketOrderType::gtc));
  ASSERT_EQ(placed.status, 200) << placed.body;
  const std::string id = str(placed.json().at("orderID"));
  EXPECT_EQ(str(placed.json().at("status")), "live");

  std::array<char, 4096> out{};
  const auto r = b.cancel_order(id, wall_ms() / 1000, out);
  ASSERT_TRUE(r.ok());
  const auto cancelled = http_exchange(port, std::string_view(out.data(), r.size));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(str(cancelled.json().at("canceled").at(0)), id);
  ASSERT_TRUE(user.wait([&] { return user.of_type("order").size() >= 2; }));
  const auto events = user.of_type("order");
  EXPECT_EQ(str(events[0].at("type")), "PLACEMENT");
  EXPECT_EQ(str(events[1].at("type")), "CANCELLATION");
  EXPECT_EQ(str(events[1].at("id")), id);
  EXPECT_EQ(fixed(events[1].at("original_size"), 2), 250);
}

TEST(PolymarketOrders, FaultTradeFailEndsTheTradeFailedInsteadOfMined) {
  SimProcess sim(polymarket_sim_args({"--fault-trade-fail-every", "1"}));
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  FrameRecorder user;
  ASSERT_TRUE(subscribe_user(user, sim.url()));
  auto b = builder(kKey);
  const auto answer = http_exchange(port, order_request(b, m.yes_token, Side::buy, m.asks[0].price, 100,
                                                        m.tick, gw::PolymarketOrderType::fak));
  ASSERT_EQ(answer.status, 200) << answer.body;
  ASSERT_TRUE(user.wait([&] { return user.of_type("trade").size() >= 2; }));
  EXPECT_EQ(statuses(user.of_type("trade")), (std::vector<std::string>{"MATCHED", "FAILED"}));
}

TEST(PolymarketOrders, UserChannelWithWrongCredentialsIsClosed) {
  SimProcess sim(polymarket_sim_args());
  FrameRecorder user;
  ASSERT_TRUE(subscribe_user(user, sim.url(), "d3Jvbmc="));
  ASSERT_TRUE(user.wait([&] { return user.disconnected; }));
  EXPECT_EQ(user.close_code, 1008);
}

// GET /data/orders?<query>, L2-signed for `private_key`'s address (the HMAC covers the path only).
HttpAnswer open_orders(uint16_t port, std::string_view private_key, const std::string& query) {
  const int64_t ts = wall_ms() / 1000;
  auto hmac = gw::PolymarketHmac::from_secret(kSecret);
  const std::string address = gw::to_checksum_address(gw::EthereumSigner::from_hex(private_key).address());
  return http_exchange(port,
                       "GET /data/orders?" + query + " HTTP/1.1\r\nHost: x\r\nPOLY_ADDRESS: " + address +
                           "\r\nPOLY_SIGNATURE: " + hmac.sign(ts, "GET", "/data/orders", "") +
                           "\r\nPOLY_TIMESTAMP: " + std::to_string(ts) + "\r\nPOLY_API_KEY: " + kApiKey +
                           "\r\nPOLY_PASSPHRASE: " + kPassphrase + "\r\n\r\n");
}

// Places a GTC buy of `hundredths` at the lowest bid (it rests); returns its order id.
std::string rest_bid(uint16_t port, gw::PolymarketRequestBuilder& b, const PolyMarket& m,
                     int64_t hundredths) {
  const auto placed = http_exchange(port, order_request(b, m.yes_token, Side::buy, m.bids.back().price,
                                                        hundredths, m.tick, gw::PolymarketOrderType::gtc));
  EXPECT_EQ(placed.status, 200) << placed.body;
  EXPECT_EQ(str(placed.json().at("status")), "live");
  return str(placed.json().at("orderID"));
}

TEST(PolymarketOpenOrders, TheEnginesStartUpReaderSeesEveryRestingOrder) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  auto b = builder(kKey);
  const std::string first = rest_bid(port, b, m, 250);
  const std::string second = rest_bid(port, b, m, 100);
  ASSERT_EQ(http_exchange(port, order_request(b, m.yes_token, Side::buy, m.asks[0].price, 100, m.tick,
                                              gw::PolymarketOrderType::fak))
                .status,
            200);  // filled at once: never rests, never listed

  pmx::net::HttpClient http;
  auto hmac = gw::PolymarketHmac::from_secret(kSecret);
  const gw::PolymarketReadAuth auth{gw::to_checksum_address(gw::EthereumSigner::from_hex(kKey).address()),
                                    kApiKey, kPassphrase};
  const gw::AccountSnapshot snapshot = gw::fetch_polymarket_account(
      http, "http://127.0.0.1:" + std::to_string(port), hmac, auth, {m.yes_token});
  ASSERT_EQ(snapshot.orders.size(), 2u);
  EXPECT_EQ(snapshot.orders[0].order_id, first);
  EXPECT_EQ(snapshot.orders[1].order_id, second);
  EXPECT_EQ(snapshot.orders[0].key, m.yes_token);
  EXPECT_EQ(snapshot.orders[0].side, Side::buy);
  EXPECT_EQ(snapshot.orders[0].price.ticks, m.bids.back().price);
  EXPECT_EQ(snapshot.orders[0].remaining.units, 250 * 10'000);
  EXPECT_EQ(snapshot.orders[0].filled.units, 0);
}

TEST(PolymarketOpenOrders, PagesFollowNextCursorUntilTheEndCursor) {
  SimProcess sim(polymarket_sim_args({"--poly-orders-page", "1"}));
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  auto b = builder(kKey);
  const std::string first = rest_bid(port, b, m, 100);
  const std::string second = rest_bid(port, b, m, 200);
  std::vector<gw::RestingOrder> orders;
  std::string cursor(gw::kPolymarketFirstCursor);
  std::vector<std::string> cursors;
  while (cursor != gw::kPolymarketEndCursor && cursors.size() < 5) {
    const auto page = open_orders(port, kKey, "next_cursor=" + cursor);
    ASSERT_EQ(page.status, 200) << page.body;
    ASSERT_TRUE(gw::parse_polymarket_orders(page.body, orders, cursor).ok()) << page.body;
    cursors.push_back(cursor);
  }
  EXPECT_EQ(cursors, (std::vector<std::string>{"MQ==", "LTE="}));  // base64 of "1" and "-1"
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].order_id, first);
  EXPECT_EQ(orders[1].order_id, second);
}

TEST(PolymarketOpenOrders, ACancelledOrderIsNoLongerListed) {
  SimProcess sim(polymarket_sim_args());
  const uint16_t port = port_of(sim.url());
  const PolyMarket m = plain_market(port);
  auto b = builder(kKey);
  const std::string kept = rest_bid(port, b, m, 100);
  const std::string cancelled = rest_bid(port, b, m, 100);
  std::array<char, 4096> out{};
  const auto r = b.cancel_order(cancelled, wall_ms() / 1000, out);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(http_exchange(port, std::string_view(out.data(), r.size)).status, 200);
  const auto page = open_orders(port, kKey, "next_cursor=MA==");
  ASSERT_EQ(page.status, 200) << page.body;
  const auto data = page.json().at("data").as_array();
  ASSERT_EQ(data.size(), 1u);
  EXPECT_EQ(str(data[0].at("id")), kept);
  EXPECT_EQ(str(data[0].at("status")), "LIVE");
}

TEST(PolymarketOpenOrders, AMalformedCursorIsRefused) {
  SimProcess sim(polymarket_sim_args());
  const auto page = open_orders(port_of(sim.url()), kKey, "next_cursor=not-a-cursor");
  EXPECT_EQ(page.status, 400) << page.body;
}

TEST(PolymarketOpenOrders, WithoutValidL2HeadersTheyAreRefused) {
  SimProcess sim(polymarket_sim_args());
  const auto answer =
      http_exchange(port_of(sim.url()), "GET /data/orders?next_cursor=MA== HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(answer.status, 401) << answer.body;
}

}  // namespace
