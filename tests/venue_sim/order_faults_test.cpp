// pmx-venue-sim's order-side fault injection: the seeded plan (OrderFaults) and each fault flag
// against the real server.
#include "order_faults.h"

#include <gtest/gtest.h>

#include "pmx/net/http_client.h"

#include "order_sim_client.h"
#include "sim_process.h"

namespace {

namespace json = boost::json;
using pmx::BookSide;
using pmx::TimeInForce;
using pmx::sim::OrderFault;
using pmx::sim::OrderFaultOptions;
using pmx::sim::OrderFaults;
using namespace pmx::test;

std::vector<OrderFault> plan(OrderFaultOptions options, int requests) {
  OrderFaults faults(options);
  std::vector<OrderFault> out;
  for (int i = 0; i < requests; ++i)
    out.push_back(faults.next_request());
  return out;
}

TEST(OrderFaultPlan, EveryNthRequestGetsTheFault) {
  OrderFaultOptions o;
  o.too_many_requests_every = 3;
  const auto p = plan(o, 6);
  EXPECT_EQ(p, (std::vector<OrderFault>{OrderFault::none, OrderFault::none, OrderFault::too_many_requests,
                                        OrderFault::none, OrderFault::none, OrderFault::too_many_requests}));
}

TEST(OrderFaultPlan, RejectSkipsRequestsThatPlaceNoOrder) {
  OrderFaultOptions o;
  o.reject_every = 1;
  OrderFaults faults(o);
  EXPECT_EQ(faults.next_request(false), OrderFault::none);
  EXPECT_EQ(faults.next_request(true), OrderFault::reject);
  EXPECT_EQ(faults.counts().reject, 1u);
  EXPECT_EQ(faults.counts().requests, 2u);
}

TEST(OrderFaultPlan, StormIsTheSameForTheSameSeed) {
  OrderFaultOptions o;
  o.storm = true;
  o.storm_seed = 42;
  EXPECT_EQ(plan(o, 500), plan(o, 500));
  OrderFaultOptions other = o;
  other.storm_seed = 43;
  EXPECT_NE(plan(o, 500), plan(other, 500));
}

TEST(OrderFaultPlan, StormProducesEveryKindOfFaultAndPartialFills) {
  OrderFaultOptions o;
  o.storm = true;
  o.storm_seed = 7;
  OrderFaults faults(o);
  for (int i = 0; i < 1000; ++i)
    (void)faults.next_request();
  const auto& c = faults.counts();
  EXPECT_GT(c.too_many_requests, 0u);
  EXPECT_GT(c.server_error, 0u);
  EXPECT_GT(c.reject, 0u);
  EXPECT_GT(c.drop, 0u);
  EXPECT_GT(c.timeout, 0u);
  EXPECT_LT(c.too_many_requests + c.server_error + c.reject + c.drop + c.timeout, 300u) << "moderate rates";
  EXPECT_TRUE(faults.partial_fill());
}

std::vector<std::string> faulty_sim(std::vector<std::string> faults) {
  std::vector<std::string> args{"--synthetic",
                                "--seed",
                                "7",
                                "--markets",
                                "6",
                                "--manual-book",
                                "--kalshi-public-key",
                                kalshi_key().public_key_file};
  args.insert(args.end(), faults.begin(), faults.end());
  return args;
}

TEST(OrderFaultFlags, Fault429AnswersEveryNthRequestWithTheVenueBody) {
  SimProcess sim(faulty_sim({"--fault-429-every", "2"}));
  KalshiTrader trader(port_of(sim.url()), kalshi_key().signer);
  EXPECT_EQ(trader.get("/trade-api/v2/portfolio/balance").status, 200);
  const auto limited = trader.get("/trade-api/v2/portfolio/balance");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, R"({"error":"too many requests"})");
  EXPECT_EQ(trader.get("/trade-api/v2/portfolio/balance").status, 200);
}

TEST(OrderFaultFlags, Fault5xxAnswers503AndPlacesNothing) {
  SimProcess sim(faulty_sim({"--fault-5xx-every", "2"}));
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);  // unsigned market lists are not order requests
  KalshiTrader trader(port, kalshi_key().signer);
  EXPECT_EQ(trader.get("/trade-api/v2/portfolio/balance").status, 200);
  const auto failed = trader.place(order_for(ticker, "c-5xx", BookSide::bid, 100, 100, TimeInForce::gtc));
  EXPECT_EQ(failed.status, 503);
  EXPECT_TRUE(trader.get("/trade-api/v2/portfolio/orders").json().at("orders").as_array().empty());
}

TEST(OrderFaultFlags, FaultRejectAnswersTheVenueRejectBody) {
  SimProcess sim(faulty_sim({"--fault-reject-every", "1"}));
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  KalshiTrader trader(port, kalshi_key().signer);
  const auto rejected = trader.place(order_for(ticker, "c-rej", BookSide::bid, 100, 100, TimeInForce::gtc));
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(str(rejected.json().at("error").at("code")), "invalid_order");
  EXPECT_TRUE(trader.get("/trade-api/v2/portfolio/orders").json().at("orders").as_array().empty());
}

TEST(OrderFaultFlags, FaultDropClosesWithoutAnswerAfterActingOnTheRequest) {
  SimProcess sim(faulty_sim({"--fault-drop-every", "2"}));
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  KalshiTrader trader(port, kalshi_key().signer);
  EXPECT_EQ(trader.get("/trade-api/v2/portfolio/balance").status, 200);
  const auto dropped = trader.place(order_for(ticker, "c-drop", BookSide::bid, 100, 100, TimeInForce::gtc));
  EXPECT_EQ(dropped.status, 0) << "closed without an answer";
  const auto open = trader.get("/trade-api/v2/portfolio/orders").json();
  ASSERT_EQ(open.at("orders").as_array().size(), 1u) << "the venue acted on it";
  EXPECT_EQ(str(open.at("orders").at(0).at("client_order_id")), "c-drop");
}

TEST(OrderFaultFlags, FaultTimeoutHoldsTheAnswerPastTheClientTimeout) {
  SimProcess sim(faulty_sim({"--fault-timeout-every", "1", "--fault-timeout-ms", "60000"}));
  pmx::net::HttpClientOptions options;
  options.request_timeout = std::chrono::milliseconds(300);
  pmx::net::HttpClient client(options);
  const std::string path = "/trade-api/v2/portfolio/balance";
  const auto h = kalshi_key().signer.headers("test-key-id", wall_ms(), "GET", path);
  const auto result = client.get("http://127.0.0.1:" + std::to_string(port_of(sim.url())) + path,
                                 {{"KALSHI-ACCESS-KEY", h.key},
                                  {"KALSHI-ACCESS-TIMESTAMP", h.timestamp},
                                  {"KALSHI-ACCESS-SIGNATURE", h.signature}});
  EXPECT_EQ(result.error, pmx::net::HttpError::timeout) << result.message;
}

TEST(OrderFaultFlags, FaultPartialFillFillsHalfTheMarketablePart) {
  SimProcess sim(faulty_sim({"--fault-partial-fill"}));
  const uint16_t port = port_of(sim.url());
  const std::string ticker = first_ticker(port);
  const auto asks = book_side(port, ticker, true);
  ASSERT_GE(asks[0].count, 200);
  KalshiTrader trader(port, kalshi_key().signer);
  const auto placed =
      trader.place(order_for(ticker, "c-half", BookSide::bid, asks[0].price, 200, TimeInForce::ioc));
  ASSERT_EQ(placed.status, 201) << placed.body;
  EXPECT_EQ(fixed(placed.json().at("fill_count"), 2), 100);
  EXPECT_EQ(fixed(placed.json().at("remaining_count"), 2), 0) << "IOC: the rest is cancelled";
}

TEST(OrderFaultFlags, FaultCountsArePrintedOnExit) {
  SimProcess sim(faulty_sim({"--fault-429-every", "2"}));
  KalshiTrader trader(port_of(sim.url()), kalshi_key().signer);
  for (int i = 0; i < 4; ++i)
    (void)trader.get("/trade-api/v2/portfolio/balance");
  ASSERT_EQ(sim.stop(), 0);
  std::string line;
  for (int i = 0; i < 10 && !line.starts_with("order faults:"); ++i)
    line = sim.next_line();
  EXPECT_TRUE(line.starts_with("order faults: requests 4, 429 2, 5xx 0")) << line;
}

}  // namespace
