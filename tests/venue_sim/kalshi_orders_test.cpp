// pmx-venue-sim's Kalshi order side against the real server (a child process on 127.0.0.1): V2
// orders signed and written by the gateway's KalshiRequestBuilder, fills on the private `fill`
// channel, cancel, open orders, positions and balance.
#include <gtest/gtest.h>

#include "pmx/core/decimal.h"

#include "order_sim_client.h"
#include "sim_process.h"
#include "synthetic_market.h"

namespace {

namespace json = boost::json;
using pmx::BookSide;
using pmx::Price;
using pmx::Qty;
using pmx::TimeInForce;
using pmx::gateway::KalshiOrder;
using namespace pmx::test;

constexpr int64_t kStartMs = 1'800'000'000'000;

std::vector<std::string> kalshi_sim_args(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--synthetic",
                                "--seed",
                                "7",
                                "--markets",
                                "6",
                                "--start-ms",
                                std::to_string(kStartMs),
                                "--manual-book",
                                "--kalshi-public-key",
                                kalshi_key().public_key_file};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

TEST(KalshiOrders, SignedOrderFillsAgainstTheBookAndTheFillArrivesOnTheFillChannel) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  const auto asks = book_side(port, ticker, true);
  ASSERT_FALSE(asks.empty());
  FrameRecorder ws;
  ASSERT_TRUE(subscribe_kalshi_fills(ws, sim.url(), kalshi_key().signer));

  const int64_t count = std::min<int64_t>(asks[0].count, 300);
  KalshiTrader trader(port, kalshi_key().signer);
  const auto placed =
      trader.place(order_for(ticker, "c-fill-1", BookSide::bid, asks[0].price, count, TimeInForce::ioc));
  ASSERT_EQ(placed.status, 201) << placed.body;
  const auto body = placed.json();
  EXPECT_EQ(fixed(body.at("fill_count"), 2), count);
  EXPECT_EQ(fixed(body.at("remaining_count"), 2), 0);
  EXPECT_EQ(str(body.at("client_order_id")), "c-fill-1");

  ASSERT_TRUE(ws.wait([&] { return !ws.of_type("fill").empty(); }));
  const auto fill = ws.of_type("fill").front();
  const auto& msg = fill.at("msg").as_object();
  EXPECT_EQ(fill.at("sid").as_int64(), 1) << "the fill subscription's sid";
  EXPECT_EQ(fixed(msg.at("yes_price_dollars"), 4), asks[0].price);
  EXPECT_EQ(fixed(msg.at("count_fp"), 2), count);
  EXPECT_EQ(str(msg.at("order_id")), str(body.at("order_id")));
  EXPECT_EQ(str(msg.at("client_order_id")), "c-fill-1");
  EXPECT_EQ(str(msg.at("market_ticker")), ticker);
  EXPECT_TRUE(msg.at("is_taker").as_bool());
  EXPECT_EQ(str(msg.at("book_side")), "bid");
  EXPECT_EQ(str(msg.at("outcome_side")), "yes");
  EXPECT_EQ(fixed(msg.at("fee_cost"), 4), taker_fee(asks[0].price, count) / 100);
  EXPECT_EQ(fixed(msg.at("post_position_fp"), 2), count);
}

TEST(KalshiOrders, MarketableOrderWalksDepthAtTheBookPrices) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  const auto asks = book_side(port, ticker, true);
  ASSERT_GE(asks.size(), 2u);
  FrameRecorder ws;
  ASSERT_TRUE(subscribe_kalshi_fills(ws, sim.url(), kalshi_key().signer));

  const int64_t count = asks[0].count + 100;  // the whole first level and 1.00 of the second
  KalshiTrader trader(port, kalshi_key().signer);
  const auto placed =
      trader.place(order_for(ticker, "c-walk", BookSide::bid, asks[1].price, count, TimeInForce::ioc));
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(fixed(placed.json().at("fill_count"), 2), count);
  ASSERT_TRUE(ws.wait([&] { return ws.of_type("fill").size() >= 2; }));
  const auto fills = ws.of_type("fill");
  EXPECT_EQ(fixed(fills[0].at("msg").at("yes_price_dollars"), 4), asks[0].price);
  EXPECT_EQ(fixed(fills[0].at("msg").at("count_fp"), 2), asks[0].count);
  EXPECT_EQ(fixed(fills[1].at("msg").at("yes_price_dollars"), 4), asks[1].price);
  EXPECT_EQ(fixed(fills[1].at("msg").at("count_fp"), 2), 100);
  EXPECT_EQ(book_side(port, ticker, true).front().price, asks[1].price) << "the first level is used up";
}

TEST(KalshiOrders, BadSignatureGets401WithTheVenueErrorBody) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  KalshiTrader impostor(port, other_kalshi_key().signer);
  const auto placed =
      impostor.place(order_for(first_ticker(port), "c-bad", BookSide::bid, 100, 100, TimeInForce::gtc));
  EXPECT_EQ(placed.status, 401);
  EXPECT_EQ(str(placed.json().at("error").at("code")), "authentication_error");
  EXPECT_EQ(impostor.get("/trade-api/v2/portfolio/balance").status, 401);
}

TEST(KalshiOrders, UnsignedRequestGets401) {
  SimProcess sim(kalshi_sim_args());
  const auto a =
      http_exchange(port_of(sim.url()), "GET /trade-api/v2/portfolio/positions HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(a.status, 401);
}

TEST(KalshiOrders, DuplicateClientOrderIdIsRefused) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  KalshiTrader trader(port, kalshi_key().signer);
  const auto order = order_for(ticker, "c-dup", BookSide::bid, 100, 100, TimeInForce::gtc);
  ASSERT_EQ(trader.place(order).status, 201);
  const auto again = trader.place(order);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(str(again.json().at("error").at("code")), "order_already_exists");
  const auto open = trader.get("/trade-api/v2/portfolio/orders?status=resting").json();
  EXPECT_EQ(open.at("orders").as_array().size(), 1u) << "the duplicate placed nothing";
}

TEST(KalshiOrders, CancelRemovesARestingOrder) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  const int64_t below_book = book_side(port, ticker, false).back().price - 100;
  ASSERT_GT(below_book, 0);
  KalshiTrader trader(port, kalshi_key().signer);
  const auto placed =
      trader.place(order_for(ticker, "c-rest", BookSide::bid, below_book, 250, TimeInForce::gtc));
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(fixed(placed.json().at("remaining_count"), 2), 250);
  const std::string id = str(placed.json().at("order_id"));
  const auto open = trader.get("/trade-api/v2/portfolio/orders?status=resting").json();
  ASSERT_EQ(open.at("orders").as_array().size(), 1u);
  EXPECT_EQ(str(open.at("orders").at(0).at("order_id")), id);

  const auto cancelled = trader.cancel(id);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(fixed(cancelled.json().at("reduced_by"), 2), 250);
  EXPECT_EQ(str(cancelled.json().at("order_id")), id);
  EXPECT_TRUE(
      trader.get("/trade-api/v2/portfolio/orders?status=resting").json().at("orders").as_array().empty());
  EXPECT_EQ(trader.cancel(id).status, 404) << "a cancelled order cannot be cancelled again";
}

TEST(KalshiOrders, PositionsAndBalanceReflectFillsExactly) {
  SimProcess sim(kalshi_sim_args({"--starting-balance", "500"}));
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  const auto asks = book_side(port, ticker, true);
  const auto bids = book_side(port, ticker, false);
  KalshiTrader trader(port, kalshi_key().signer);
  const int64_t bought = std::min<int64_t>(asks[0].count, 400);
  ASSERT_EQ(
      trader.place(order_for(ticker, "c-buy", BookSide::bid, asks[0].price, bought, TimeInForce::ioc)).status,
      201);
  const int64_t sold = std::min<int64_t>({bids[0].count, bought, 150});
  ASSERT_EQ(
      trader.place(order_for(ticker, "c-sell", BookSide::ask, bids[0].price, sold, TimeInForce::ioc)).status,
      201);

  const int64_t fees = taker_fee(asks[0].price, bought) + taker_fee(bids[0].price, sold);
  const int64_t cash = 500'000'000 - asks[0].price * bought + bids[0].price * sold - fees;
  const auto balance = trader.get("/trade-api/v2/portfolio/balance").json();
  EXPECT_EQ(fixed(balance.at("balance_dollars"), 6), cash);
  EXPECT_EQ(balance.at("balance").as_int64(), cash / 10'000);

  const auto positions = trader.get("/trade-api/v2/portfolio/positions").json();
  ASSERT_EQ(positions.at("market_positions").as_array().size(), 1u);
  const auto& p = positions.at("market_positions").at(0);
  EXPECT_EQ(str(p.at("ticker")), ticker);
  EXPECT_EQ(fixed(p.at("position_fp"), 2), bought - sold);
  const int64_t cost_sold = asks[0].price * bought * sold / bought;
  EXPECT_EQ(fixed(p.at("market_exposure_dollars"), 6), asks[0].price * bought - cost_sold);
  EXPECT_EQ(fixed(p.at("realized_pnl_dollars"), 6), bids[0].price * sold - cost_sold);
  EXPECT_EQ(fixed(p.at("fees_paid_dollars"), 6), fees);
}

TEST(KalshiOrders, RestingOrderFillsAtItsPriceWhenTheBookCrossesIt) {
  // Find, in a copy of the same synthetic market, the first step whose book crosses a bid
  // resting at some market's initial best bid.
  pmx::sim::SyntheticOptions options;
  options.seed = 7;
  options.markets = 6;
  options.start_ms = kStartMs;
  pmx::sim::SyntheticMarket copy(options);
  std::vector<pmx::sim::SimFrame> frames;
  copy.step(frames);
  const auto& markets = copy.universe().markets;
  std::vector<int64_t> initial_bid(markets.size(), 0);
  for (size_t i = 0; i < markets.size(); ++i) {
    if (markets[i].venue == pmx::Venue::kalshi && !copy.yes_bids(i).empty())
      initial_bid[i] = copy.yes_bids(i).rbegin()->first;
  }
  size_t market = 0;
  uint64_t crossing_step = 0;
  while (crossing_step == 0 && copy.steps_taken() < 20'000) {
    copy.step(frames);
    for (size_t i = 0; i < markets.size() && crossing_step == 0; ++i) {
      if (initial_bid[i] > 0 && !copy.yes_asks(i).empty() &&
          copy.yes_asks(i).begin()->first <= initial_bid[i]) {
        market = i;
        crossing_step = copy.steps_taken();
      }
    }
  }
  ASSERT_GT(crossing_step, 0u) << "the synthetic market never crossed a resting bid";

  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  FrameRecorder ws;
  ASSERT_TRUE(subscribe_kalshi_fills(ws, sim.url(), kalshi_key().signer));
  KalshiTrader trader(port, kalshi_key().signer);
  const std::string ticker = markets[market].key;
  const auto placed =
      trader.place(order_for(ticker, "c-maker", BookSide::bid, initial_bid[market], 100, TimeInForce::gtc));
  ASSERT_EQ(placed.status, 201) << placed.body;
  ASSERT_EQ(fixed(placed.json().at("fill_count"), 2), 0);

  const auto stepped = sim_request(port, "POST", "/sim/step?n=" + std::to_string(crossing_step - 1));
  ASSERT_EQ(stepped.status, 200);
  EXPECT_EQ(stepped.json().at("steps").as_int64(), static_cast<int64_t>(crossing_step));
  ASSERT_TRUE(ws.wait([&] { return !ws.of_type("fill").empty(); }));
  const auto fill = ws.of_type("fill").front();
  const auto& msg = fill.at("msg");
  EXPECT_EQ(fixed(msg.at("yes_price_dollars"), 4), initial_bid[market]) << "a maker trades at its own price";
  EXPECT_EQ(fixed(msg.at("count_fp"), 2), 100);
  EXPECT_FALSE(msg.at("is_taker").as_bool());
  EXPECT_EQ(fixed(msg.at("fee_cost"), 4), 0);
  EXPECT_TRUE(
      trader.get("/trade-api/v2/portfolio/orders?status=resting").json().at("orders").as_array().empty());
}

TEST(KalshiOrders, FillOrKillWithoutEnoughDepthFillsNothing) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  const auto asks = book_side(port, ticker, true);
  KalshiTrader trader(port, kalshi_key().signer);
  const auto placed = trader.place(
      order_for(ticker, "c-fok", BookSide::bid, asks[0].price, asks[0].count + 100, TimeInForce::fok));
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(fixed(placed.json().at("fill_count"), 2), 0);
  EXPECT_EQ(fixed(placed.json().at("remaining_count"), 2), 0);
  EXPECT_EQ(book_side(port, ticker, true).front().count, asks[0].count);
}

TEST(KalshiOrders, MalformedBodyIsABadRequest) {
  SimProcess sim(kalshi_sim_args());
  const uint16_t port = port_of(sim.url());
  const std::string path = "/trade-api/v2/portfolio/events/orders";
  const auto h = kalshi_key().signer.headers("k", wall_ms(), "POST", path);
  const std::string body = "{\"ticker\":";
  const auto a = http_exchange(
      port, "POST " + path + " HTTP/1.1\r\nHost: x\r\nKALSHI-ACCESS-KEY: k\r\nKALSHI-ACCESS-TIMESTAMP: " +
                h.timestamp + "\r\nKALSHI-ACCESS-SIGNATURE: " + h.signature +
                "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\n\r\n" + body);
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(str(a.json().at("code")), "bad_request");
}

}  // namespace
