// Issue 6's fault storm: OrderGateway<KalshiOrderSession> against a real pmx-venue-sim (child
// process on 127.0.0.1, synthetic market, RSA-PSS checked, --fault-storm with a fixed seed) on the
// real clock. A few hundred intents (marketable IOC buys and sells, FOK legs, GTC limits that rest
// and are cancelled at their timeout) go out in batches; each batch is driven until every intent
// is terminal or a generous deadline passes. Then: one terminal report per intent and nothing
// after it; fills never exceed the intent; the venue's positions equal the net of our fills; and
// no client_order_id made two venue orders and nothing is left resting; the storm really happened
// (the sim's fault counts). Shared helpers: storm_fixture.h.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/gateway/live/kalshi_order_session.h"
#include "pmx/gateway/order_gateway.h"

#include "order_sim_client.h"
#include "sim_process.h"
#include "storm_fixture.h"

namespace {

using namespace pmx;
using pmx::test::SimProcess;
using namespace pmx::test::storm;

// Hundredths of a contract (the sim's "10.00") to Qty.
Qty hundredths(int64_t h) {
  return Qty::from_units(h * 10'000);
}

struct Tops {
  std::vector<test::Level> asks;  // YES asks, best first
  std::vector<test::Level> bids;  // YES bids, best first
};

// The matching book as the session's mirror sees it: YES bids, and YES asks as NO bids at 1 - p.
void mirror_book(gateway::KalshiOrderSession& session, InstrumentId id, const Tops& t) {
  MarketEvent e;
  e.venue = Venue::kalshi;
  e.instrument = id;
  e.type = EventType::snapshot_begin;
  e.level_count = static_cast<uint32_t>(t.asks.size() + t.bids.size());
  session.on_market_event(e, wall_now());
  e.type = EventType::snapshot_level;
  e.book_side = BookSide::bid;
  for (const auto& l : t.bids) {
    e.outcome = Outcome::yes;
    e.price = Price::from_ticks(static_cast<int32_t>(l.price));
    e.qty = hundredths(l.count);
    session.on_market_event(e, wall_now());
  }
  for (const auto& l : t.asks) {
    e.outcome = Outcome::no;
    e.price = Price::from_ticks(static_cast<int32_t>(Price::kTicksPerDollar - l.price));
    e.qty = hundredths(l.count);
    session.on_market_event(e, wall_now());
  }
  e.type = EventType::snapshot_end;
  session.on_market_event(e, wall_now());
}

// For a position mismatch: the venue's orders on `ticker` and our reports on it, side by side.
void describe_fills(const std::string& ticker, InstrumentId id, const boost::json::value& orders,
                    const std::map<uint64_t, std::vector<ExecReport>>& by_intent) {
  std::ostringstream out;
  out << "venue orders on " << ticker << ":\n";
  for (const auto& o : orders.at("orders").as_array()) {
    if (test::str(o.at("ticker")) != ticker) continue;
    out << "  " << test::str(o.at("client_order_id")) << " " << test::str(o.at("book_side")) << " "
        << test::str(o.at("time_in_force")) << " initial " << test::str(o.at("initial_count_fp"))
        << " filled " << test::str(o.at("fill_count_fp")) << " " << test::str(o.at("status")) << "\n";
  }
  out << "our intents on " << ticker << ":\n";
  for (const auto& [intent, rs] : by_intent) {
    if (rs.empty() || rs.front().instrument != id) continue;
    out << "  " << intent << (rs.front().side == Side::buy ? " buy" : " sell");
    for (const auto& r : rs)
      out << " [" << static_cast<int>(r.type) << " fill " << r.fill_qty.units << " cum "
          << r.cumulative_qty.units << " reason " << static_cast<int>(r.reason) << "]";
    out << "\n";
  }
  ADD_FAILURE() << out.str();
}

class KalshiFaultStorm : public ::testing::Test {
 protected:
  KalshiFaultStorm()
      : sim_({"--synthetic", "--seed", "7", "--markets", "6", "--manual-book", "--starting-balance",
              "1000000", "--kalshi-public-key", test::kalshi_key().public_key_file, "--fault-storm",
              std::to_string(kStormSeed), "--fault-timeout-ms", "1500"}),
        port_(test::port_of(sim_.url())) {}

  SimProcess sim_;
  uint16_t port_;

  // Sends kIntents intents in batches and checks the invariants; `resting_limits`: every fifth
  // intent is a GTC limit below the book (rests, then cancelled at its timeout), else an IOC.
  void run_storm(bool resting_limits) {
    // Markets with depth on both sides.
    std::vector<std::string> tickers;
    {
      const auto listing =
          test::http_exchange(port_, "GET /trade-api/v2/markets?limit=100 HTTP/1.1\r\nHost: x\r\n\r\n")
              .json();
      for (const auto& m : listing.at("markets").as_array()) {
        const std::string ticker = test::str(m.at("ticker"));
        if (test::book_side(port_, ticker, true).size() >= 2 &&
            test::book_side(port_, ticker, false).size() >= 2)
          tickers.push_back(ticker);
      }
    }
    ASSERT_GE(tickers.size(), 2u);
    if (tickers.size() > 3) tickers.resize(3);
    MarketUniverse universe;
    std::vector<InstrumentId> ids;
    for (const auto& t : tickers) {
      MarketInfo m;
      m.venue = Venue::kalshi;
      m.key = t;
      m.tick = Price::from_ticks(100);
      ids.push_back(universe.add_market(m));
    }

    gateway::KalshiOrderSessionOptions so;
    so.http.origin = "http://127.0.0.1:" + std::to_string(port_);
    so.http.connections = 4;
    so.fill_ws_url = sim_.url() + "/trade-api/ws/v2";
    so.table.fill_grace_ns = 1'000'000'000;
    so.retry.request_timeout_ns = 500'000'000;  // the sim holds a "timeout" answer 1.5 s
    so.retry.backoff_initial_ns = 20'000'000;   // the storm's 429s would otherwise hold writes for minutes
    so.retry.backoff_max_ns = 200'000'000;
    so.retry.retry_delay_ns = 20'000'000;
    so.retry.max_errors = 6;
    so.lookup_retry = so.retry;  // lookups face the same storm
    gateway::KalshiOrderSession session(universe, gateway::KalshiRequestBuilder("test-key-id", "127.0.0.1"),
                                        test::kalshi_key().signer, nullptr, so);
    OrderGateway<gateway::KalshiOrderSession> gw(session, universe, storm_gateway_options(Venue::kalshi));
    ASSERT_TRUE(open_private_channel(session)) << "the fill channel did not open";

    std::vector<ExecReport> reports;
    std::map<uint64_t, OrderIntent> intents;
    auto sink = [&](const ExecReport& r) { reports.push_back(r); };

    uint64_t next_id = 1;
    for (int batch = 0; batch * kBatch < kIntents; ++batch) {
      // Move the book one step (resting orders may fill) and mirror it.
      ASSERT_EQ(test::sim_request(port_, "POST", "/sim/step?n=1").status, 200);
      std::vector<Tops> tops;
      for (size_t k = 0; k < tickers.size(); ++k) {
        tops.push_back({test::book_side(port_, tickers[k], true), test::book_side(port_, tickers[k], false)});
        mirror_book(session, ids[k], tops.back());
      }
      for (int i = 0; i < kBatch; ++i) {
        const size_t k = static_cast<size_t>(next_id) % tickers.size();
        const Tops& t = tops[k];
        OrderIntent in;
        in.intent_id = next_id++;
        in.instrument = ids[k];
        in.venue = Venue::kalshi;
        in.outcome = Outcome::yes;
        in.tif = TimeInForce::ioc;
        in.qty = Qty::contracts(1 + static_cast<int64_t>(in.intent_id % 3));
        switch (in.intent_id % 5) {
          case 0:
          case 1:  // marketable IOC buy
            if (t.asks.empty()) continue;
            in.side = Side::buy;
            in.decision_price = Price::from_ticks(static_cast<int32_t>(t.asks[0].price));
            in.limit_price = Price::from_ticks(std::min(9'900, static_cast<int32_t>(t.asks[0].price) + 100));
            break;
          case 2:  // marketable IOC sell
            if (t.bids.empty()) continue;
            in.side = Side::sell;
            in.decision_price = Price::from_ticks(static_cast<int32_t>(t.bids[0].price));
            in.limit_price = Price::from_ticks(std::max(100, static_cast<int32_t>(t.bids[0].price) - 100));
            break;
          case 3:  // fill-or-kill leg (no group: nothing to unwind)
            if (t.asks.empty()) continue;
            in.side = Side::buy;
            in.flags = kIntentArbitrageLeg;
            in.tif = TimeInForce::fok;
            in.decision_price = Price::from_ticks(static_cast<int32_t>(t.asks[0].price));
            in.limit_price = Price::from_ticks(std::min(9'900, static_cast<int32_t>(t.asks[0].price) + 100));
            break;
          default: {  // GTC limit below the book: notional $50..$500 routes it as a resting limit
            if (!resting_limits) {  // a marketable IOC sell instead
              if (t.bids.empty()) continue;
              in.side = Side::sell;
              in.decision_price = Price::from_ticks(static_cast<int32_t>(t.bids[0].price));
              in.limit_price = Price::from_ticks(std::max(100, static_cast<int32_t>(t.bids[0].price) - 100));
              break;
            }
            if (t.bids.empty() || t.asks.empty() || t.bids[0].price <= 600) continue;
            in.side = Side::buy;
            in.tif = TimeInForce::gtc;
            in.decision_price = Price::from_ticks(static_cast<int32_t>(t.asks[0].price));
            in.limit_price = Price::from_ticks(static_cast<int32_t>(t.bids[0].price) - 500);
            in.qty = Qty::contracts(60 * Price::kTicksPerDollar / in.limit_price.ticks + 1);
            break;
          }
        }
        intents[in.intent_id] = in;
        gw.on_intent(in, wall_now(), mono_now());
      }
      if (!drive_until_idle(gw, sink, kBatchDeadline)) describe_open_orders(session);
      ASSERT_EQ(gw.active_intents(), 0u) << "batch " << batch << " did not end by its deadline";
    }
    // Late fills for finished orders would show up here (counted by the table, not reported).
    gw.poll(wall_now(), mono_now(), sink);

    const ReportSummary summary = check_reports(intents, reports);
    const auto& by_intent = summary.by_intent;
    EXPECT_GT(summary.filled_intents, static_cast<size_t>(kIntents / 4))
        << "the storm should not stop all trading";
    SCOPED_TRACE(table_summary(session.table().counters()));
    // The venue's positions equal the net of our fills.
    test::KalshiTrader trader(port_, test::kalshi_key().signer);
    auto signed_get = [&](const std::string& target) {
      return read_through_storm<boost::json::value>(target, [&](boost::json::value& out) {
        const auto a = trader.get(target);
        if (a.status != 200) return false;
        out = a.json();
        return true;
      });
    };
    auto trader_orders = [&] { return signed_get("/trade-api/v2/portfolio/orders"); };
    const auto positions = signed_get("/trade-api/v2/portfolio/positions");
    ASSERT_TRUE(positions.is_object());
    std::map<std::string, int64_t> venue;
    for (const auto& p : positions.at("market_positions").as_array())
      venue[test::str(p.at("ticker"))] = test::fixed(p.at("position_fp"), 2) * 10'000;
    for (size_t k = 0; k < tickers.size(); ++k) {
      const int64_t net = summary.bought.count(ids[k].value) ? summary.bought.at(ids[k].value) : 0;
      EXPECT_EQ(venue[tickers[k]], net) << tickers[k];
      if (venue[tickers[k]] != net) describe_fills(tickers[k], ids[k], trader_orders(), by_intent);
    }

    // No client_order_id made two orders, and nothing is left resting.
    const auto orders = signed_get("/trade-api/v2/portfolio/orders");
    ASSERT_TRUE(orders.is_object());
    std::set<std::string> client_ids;
    size_t resting = 0;
    for (const auto& o : orders.at("orders").as_array()) {
      EXPECT_TRUE(client_ids.insert(test::str(o.at("client_order_id"))).second)
          << "two venue orders for " << test::str(o.at("client_order_id"));
      if (const auto* s = o.as_object().if_contains("status");
          s && s->is_string() && s->get_string() == "resting")
        ++resting;
    }
    EXPECT_LE(client_ids.size(), static_cast<size_t>(gw.counters().children_sent));
    EXPECT_EQ(resting, 0u) << "a GTC order the gateway reported ended is still resting at the venue";

    expect_storm_happened(fault_counts(sim_));
    RecordProperty("orders", std::to_string(client_ids.size()));
  }
};

// Resting GTC limits, cancelled at the gateway's limit timeout: the storm loses the answers of
// some of their POSTs (drop, timeout) and answers the resends 409 or refuses them; the session
// learns their order ids by looking them up (GET /portfolio/orders), so every cancel is sent and
// nothing is left resting at the venue.
TEST_F(KalshiFaultStorm, RestingLimitsEndOnceAndTheVenuePositionsEqualTheReportedFills) {
  run_storm(true);
}

TEST_F(KalshiFaultStorm, MarketableIntentsEndOnceAndTheVenuePositionsEqualTheReportedFills) {
  run_storm(false);
}

}  // namespace
