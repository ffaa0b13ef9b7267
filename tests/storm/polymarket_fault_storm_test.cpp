// Issue 6's fault storm on Polymarket: OrderGateway<PolymarketOrderSession> against a real
// pmx-venue-sim (child process on 127.0.0.1, synthetic market, EIP-712 signatures and L2 HMAC
// checked, --fault-storm with a fixed seed: 429s, 5xx, rejects, dropped connections, held answers,
// partial fills, trades that end FAILED) on the real clock. A few hundred buy intents (marketable
// FAK on the YES and on the NO token, FOK legs, GTC limits that rest and are cancelled at their
// timeout) go out in batches, each driven until every intent is terminal or a generous deadline
// passes. Then: one terminal report per intent and nothing after it; fills never exceed the
// intent; and the venue's shares of each token (GET /balance-allowance) equal our reported fills
// less the settlement failures the session reported apart. A resend is the identical signed
// order, which the venue refuses as a duplicate, so a second venue order for one intent would
// show as shares nobody reported. Buys only: the sim's token balances never go short.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/gateway/ethereum_signer.h"
#include "pmx/gateway/live/polymarket_order_session.h"
#include "pmx/gateway/order_gateway.h"
#include "pmx/gateway/polymarket_hmac.h"

#include "order_sim_client.h"
#include "sim_process.h"
#include "storm_fixture.h"

namespace {

using namespace pmx;
using namespace pmx::test::storm;
using pmx::test::SimProcess;

constexpr int64_t kDollar = Price::kTicksPerDollar;

constexpr std::string_view kKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const std::string kApiKey = "00000000-0000-4000-8000-00000000a91e";
const std::string kSecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const std::string kPassphrase = "sim-passphrase";

gateway::PolymarketRequestBuilder builder() {
  gateway::PolymarketAccount account;
  account.version = gateway::PolymarketOrderVersion::v2;
  account.chain_id = gateway::kPolygonChainId;
  account.exchange = *gateway::polymarket_exchange_address(gateway::PolymarketOrderVersion::v2,
                                                           gateway::kPolygonChainId, false);
  account.api_key = kApiKey;
  account.passphrase = kPassphrase;
  account.host = "127.0.0.1";
  return gateway::PolymarketRequestBuilder(gateway::EthereumSigner::from_hex(kKey),
                                           gateway::PolymarketHmac::from_secret(kSecret), account);
}

// One plain binary market: its two tokens (as instruments) and the YES book, best first.
struct Market {
  std::string condition_id;
  std::string yes_token;
  std::string no_token;
  InstrumentId yes{};
  InstrumentId no{};
  int64_t tick = 0;
  std::vector<test::Level> asks;
  std::vector<test::Level> bids;
};

// The token's book as the session's mirror sees it: YES as it is; NO bids at 1 - YES asks and NO
// asks at 1 - YES bids.
void mirror_token(gateway::PolymarketOrderSession& session, InstrumentId id,
                  const std::vector<test::Level>& bids, const std::vector<test::Level>& asks,
                  bool complement) {
  MarketEvent e;
  e.venue = Venue::polymarket;
  e.instrument = id;
  e.type = EventType::snapshot_begin;
  e.level_count = static_cast<uint32_t>(bids.size() + asks.size());
  session.on_market_event(e, wall_now());
  e.type = EventType::snapshot_level;
  e.outcome = Outcome::yes;
  for (const auto* side : {&bids, &asks}) {
    const bool yes_bids = side == &bids;
    e.book_side = yes_bids != complement ? BookSide::bid : BookSide::ask;
    for (const auto& l : *side) {
      e.price = Price::from_ticks(static_cast<int32_t>(complement ? kDollar - l.price : l.price));
      e.qty = Qty::from_units(l.count * 10'000);
      session.on_market_event(e, wall_now());
    }
  }
  e.type = EventType::snapshot_end;
  session.on_market_event(e, wall_now());
}

// GET /balance-allowance?asset_type=CONDITIONAL&token_id=T, L2-signed: the shares held, in
// millionths; false on any fault.
bool shares_held(uint16_t port, const std::string& token, int64_t& out) {
  const int64_t ts = test::wall_ms() / 1000;
  auto hmac = gateway::PolymarketHmac::from_secret(kSecret);
  const std::string address = gateway::to_checksum_address(gateway::EthereumSigner::from_hex(kKey).address());
  const auto a = test::http_exchange(
      port, "GET /balance-allowance?asset_type=CONDITIONAL&token_id=" + token +
                " HTTP/1.1\r\nHost: x\r\nPOLY_ADDRESS: " + address + "\r\nPOLY_SIGNATURE: " +
                hmac.sign(ts, "GET", "/balance-allowance", "") + "\r\nPOLY_TIMESTAMP: " + std::to_string(ts) +
                "\r\nPOLY_API_KEY: " + kApiKey + "\r\nPOLY_PASSPHRASE: " + kPassphrase + "\r\n\r\n");
  if (a.status != 200) return false;
  out = std::stoll(test::str(a.json().at("balance")));
  return true;
}

class PolymarketFaultStorm : public ::testing::Test {
 protected:
  PolymarketFaultStorm()
      : sim_({"--synthetic",
              "--seed",
              "7",
              "--markets",
              "6",
              "--manual-book",
              "--starting-balance",
              "1000000",
              "--poly-api-key",
              kApiKey,
              "--poly-api-secret",
              kSecret,
              "--poly-passphrase",
              kPassphrase,
              "--poly-mined-ms",
              "20",
              "--fault-storm",
              std::to_string(kStormSeed),
              "--fault-timeout-ms",
              "1500"}),
        port_(test::port_of(sim_.url())) {}

  SimProcess sim_;
  uint16_t port_;

  // Plain (not neg-risk) markets with two levels on each side, at most three.
  std::vector<Market> two_sided_markets() {
    std::vector<Market> out;
    const auto listing = test::http_exchange(port_, "GET /markets HTTP/1.1\r\nHost: x\r\n\r\n").json();
    for (const auto& m : listing.at("data").as_array()) {
      if (m.at("neg_risk").as_bool() || out.size() == 3) continue;
      Market p;
      p.condition_id = test::str(m.at("condition_id"));
      p.yes_token = test::str(m.at("tokens").at(0).at("token_id"));
      p.no_token = test::str(m.at("tokens").at(1).at("token_id"));
      p.tick = std::llround(m.at("minimum_tick_size").to_number<double>() * 10'000);
      if (test::book_side(port_, p.condition_id, true).size() >= 2 &&
          test::book_side(port_, p.condition_id, false).size() >= 2)
        out.push_back(p);
    }
    return out;
  }
};

TEST_F(PolymarketFaultStorm, IntentsEndOnceAndTheVenueSharesEqualTheReportedFills) {
  std::vector<Market> markets = two_sided_markets();
  ASSERT_GE(markets.size(), 2u);
  MarketUniverse universe;
  for (Market& m : markets) {
    MarketInfo yes;
    yes.venue = Venue::polymarket;
    yes.key = m.yes_token;
    yes.market_key = m.condition_id;
    yes.tick = Price::from_ticks(static_cast<int32_t>(m.tick));
    MarketInfo no = yes;
    no.key = m.no_token;
    m.yes = universe.add_market(yes);
    m.no = universe.add_market(no);
    universe.mutable_market(m.yes)->complement = m.no;
    universe.mutable_market(m.no)->complement = m.yes;
  }

  gateway::PolymarketOrderSessionOptions so;
  so.http.origin = "http://127.0.0.1:" + std::to_string(port_);
  so.http.connections = 4;
  so.user_ws_url = sim_.url() + "/ws/user";
  so.api_secret = kSecret;
  so.table.fill_grace_ns = 1'000'000'000;
  so.retry.request_timeout_ns = 500'000'000;  // the sim holds a "timeout" answer 1.5 s
  so.retry.backoff_initial_ns = 20'000'000;   // the storm's 429s would otherwise hold writes for minutes
  so.retry.backoff_max_ns = 200'000'000;
  so.retry.retry_delay_ns = 20'000'000;
  so.retry.max_errors = 6;
  gateway::PolymarketOrderSession session(universe, builder(), so);
  OrderGateway<gateway::PolymarketOrderSession> gw(session, universe,
                                                   storm_gateway_options(Venue::polymarket));
  ASSERT_TRUE(open_private_channel(session)) << "the user channel did not open";

  std::vector<ExecReport> reports;
  std::map<uint64_t, OrderIntent> intents;
  std::map<int32_t, int64_t> failed;  // instrument -> units whose settlement FAILED
  auto sink = [&](const ExecReport& r) { reports.push_back(r); };
  auto drain_failures = [&] {
    session.drain_settlement_failures([&](const gateway::SettlementFailure& f) {
      EXPECT_NE(f.intent_id, 0u) << "a settlement failure attributed to no intent";
      failed[f.instrument.value] += f.qty.units;
    });
  };

  uint64_t next_id = 1;
  for (int batch = 0; batch * kBatch < kIntents; ++batch) {
    ASSERT_EQ(test::sim_request(port_, "POST", "/sim/step?n=1").status, 200);
    for (Market& m : markets) {
      m.asks = test::book_side(port_, m.condition_id, true);
      m.bids = test::book_side(port_, m.condition_id, false);
      mirror_token(session, m.yes, m.bids, m.asks, false);
      mirror_token(session, m.no, m.bids, m.asks, true);
    }
    for (int i = 0; i < kBatch; ++i) {
      const Market& m = markets[static_cast<size_t>(next_id) % markets.size()];
      if (m.asks.empty() || m.bids.empty()) continue;
      const int64_t yes_ask = m.asks[0].price;
      const int64_t no_ask = kDollar - m.bids[0].price;
      OrderIntent in;
      in.intent_id = next_id++;
      in.venue = Venue::polymarket;
      in.side = Side::buy;
      in.outcome = Outcome::yes;  // of the token traded
      in.instrument = m.yes;
      in.tif = TimeInForce::ioc;
      in.qty = Qty::contracts(1 + static_cast<int64_t>(in.intent_id % 3));
      in.decision_price = Price::from_ticks(static_cast<int32_t>(yes_ask));
      in.limit_price = Price::from_ticks(static_cast<int32_t>(std::min(kDollar - m.tick, yes_ask + m.tick)));
      switch (in.intent_id % 5) {
        case 0:
        case 1:  // marketable FAK on the YES token
          break;
        case 2:  // marketable FAK on the NO token
          in.instrument = m.no;
          in.decision_price = Price::from_ticks(static_cast<int32_t>(no_ask));
          in.limit_price =
              Price::from_ticks(static_cast<int32_t>(std::min(kDollar - m.tick, no_ask + m.tick)));
          break;
        case 3:  // fill-or-kill leg (no group: nothing to unwind)
          in.flags = kIntentArbitrageLeg;
          in.tif = TimeInForce::fok;
          break;
        default: {  // GTC limit below the book: notional $50..$500 routes it as a resting limit
          if (m.bids[0].price <= 6 * m.tick) continue;
          in.tif = TimeInForce::gtc;
          in.limit_price = Price::from_ticks(static_cast<int32_t>(m.bids[0].price - 5 * m.tick));
          in.qty = Qty::contracts(60 * kDollar / in.limit_price.ticks + 1);
          break;
        }
      }
      intents[in.intent_id] = in;
      gw.on_intent(in, wall_now(), mono_now());
    }
    if (!drive_until_idle(gw, sink, kBatchDeadline)) describe_open_orders(session);
    ASSERT_EQ(gw.active_intents(), 0u) << "batch " << batch << " did not end by its deadline";
    drain_failures();
  }

  // Every counted trade settles (MINED, CONFIRMED) or fails (FAILED) a few mined_ms later: wait
  // for the last statuses so that every reversed fill has been reported.
  const auto& c = session.counters();
  auto settled = [&] {
    return c.repeated_statuses + c.settlement_failures >=
           2 * (c.fills_counted - c.settlement_failures) + c.settlement_failures;
  };
  const auto settle_by = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!settled() && std::chrono::steady_clock::now() < settle_by)
    gw.poll(wall_now(), mono_now(), sink);
  EXPECT_TRUE(settled()) << "fills " << c.fills_counted << ", later statuses " << c.repeated_statuses
                         << ", failures " << c.settlement_failures;
  drain_failures();

  const ReportSummary summary = check_reports(intents, reports);
  EXPECT_GT(summary.filled_intents, static_cast<size_t>(kIntents / 4))
      << "the storm should not stop all trading";
  SCOPED_TRACE(table_summary(session.table().counters()));
  for (const Market& m : markets) {
    for (const InstrumentId id : {m.yes, m.no}) {
      const std::string& token = id == m.yes ? m.yes_token : m.no_token;
      const int64_t held = read_through_storm<int64_t>(
          "balance-allowance " + token, [&](int64_t& out) { return shares_held(port_, token, out); });
      const int64_t bought = summary.bought.count(id.value) ? summary.bought.at(id.value) : 0;
      const int64_t reversed = failed.count(id.value) ? failed.at(id.value) : 0;
      EXPECT_EQ(held, bought - reversed)
          << "token " << token << ": bought " << bought << ", reversed " << reversed;
    }
  }
  EXPECT_GT(c.settlement_failures, 0u) << "the storm fails some trades";

  const auto faults = fault_counts(sim_);
  RecordProperty("settlement_failures", std::to_string(c.settlement_failures));
  expect_storm_happened(faults);
  RecordProperty("orders_sent", std::to_string(c.orders_sent));
}

}  // namespace
