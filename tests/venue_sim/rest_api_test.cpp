// pmx-venue-sim's REST market lists and pairs file, without sockets.
#include "rest_api.h"

#include <set>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "pmx/strategy/cross_venue_mapping.h"

#include "capture_source.h"
#include "pairs_toml.h"
#include "synthetic_market.h"

namespace {

namespace json = boost::json;
using pmx::CrossVenueMapping;
using pmx::CrossVenuePair;
using pmx::parse_cross_venue_mapping;
using pmx::Venue;
using pmx::sim::handle_rest;
using pmx::sim::RestApi;
using pmx::sim::SyntheticMarket;
using pmx::sim::SyntheticOptions;
using pmx::sim::Universe;

Universe universe(int markets = 24) {
  SyntheticOptions o;
  o.seed = 5;
  o.markets = markets;
  o.start_ms = 1'790'000'000'000;
  return SyntheticMarket(o).universe();
}

json::value get(RestApi api, std::string_view path, std::string_view query, const Universe& u,
                int status = 200) {
  const auto r = handle_rest(api, path, query, u);
  EXPECT_EQ(r.status, status) << path << "?" << query << ": " << r.body;
  return r.body.empty() ? json::value() : json::parse(r.body);
}

TEST(KalshiRest, MarketsPagesWithTheCursorUntilItIsEmpty) {
  const Universe u = universe();
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const auto page = get(RestApi::kalshi, "/markets", "limit=5&cursor=" + cursor, u);
    for (const auto& m : page.at("markets").as_array()) {
      EXPECT_TRUE(seen.insert(std::string(m.at("ticker").as_string())).second) << "no market twice";
      EXPECT_EQ(m.at("status").as_string(), "active");
      EXPECT_EQ(m.at("price_level_structure").as_string(), "linear_cent");
      EXPECT_EQ(m.at("price_ranges").as_array()[0].at("step").as_string(), "0.0100");
      EXPECT_TRUE(m.at("yes_bid_dollars").is_string());
      EXPECT_TRUE(m.at("close_time").is_string());
    }
    cursor = std::string(page.at("cursor").as_string());
    ++pages;
  } while (!cursor.empty() && pages < 100);
  EXPECT_EQ(seen.size(), 24u);
  EXPECT_EQ(pages, 5);
}

TEST(KalshiRest, MarketsRefusesALimitAboveOneThousand) {
  const Universe u = universe();
  EXPECT_EQ(get(RestApi::kalshi, "/markets", "limit=1000", u).at("markets").as_array().size(), 24u);
  const auto error = get(RestApi::kalshi, "/markets", "limit=1001", u, 400);
  EXPECT_NE(std::string(error.at("error").at("message").as_string()).find("limit"), std::string::npos);
  (void)get(RestApi::kalshi, "/markets", "limit=0", u, 400);
  (void)get(RestApi::kalshi, "/markets", "cursor=bogus", u, 400);
  (void)get(RestApi::kalshi, "/markets", "status=sideways", u, 400);
}

TEST(KalshiRest, MarketsFilterByEventTickersAndStatus) {
  const Universe u = universe();
  const auto ladder = get(RestApi::kalshi, "/markets", "series_ticker=KXSIMIDX", u).at("markets").as_array();
  ASSERT_GE(ladder.size(), 3u);
  double last_strike = 0.0;
  for (const auto& m : ladder) {
    EXPECT_EQ(m.at("strike_type").as_string(), "greater");
    EXPECT_GT(m.at("floor_strike").to_number<double>(), last_strike);
    last_strike = m.at("floor_strike").to_number<double>();
  }
  const auto two = get(RestApi::kalshi, "/markets", "tickers=KXSIMWIN-E1-A%2CKXSIMWIN-E1-B", u);
  EXPECT_EQ(two.at("markets").as_array().size(), 2u);
  EXPECT_EQ(get(RestApi::kalshi, "/markets", "event_ticker=KXSIMWIN-E1", u).at("markets").as_array().size(),
            get(RestApi::kalshi, "/events/KXSIMWIN-E1", "", u).at("markets").as_array().size());
  EXPECT_TRUE(get(RestApi::kalshi, "/markets", "status=settled", u).at("markets").as_array().empty());
  EXPECT_EQ(get(RestApi::kalshi, "/markets", "status=open", u).at("markets").as_array().size(), 24u);
}

TEST(KalshiRest, EventsCarryMutuallyExclusiveAndNestedMarkets) {
  const Universe u = universe();
  const auto one = get(RestApi::kalshi, "/events/KXSIMWIN-E1", "", u);
  EXPECT_TRUE(one.at("event").at("mutually_exclusive").as_bool());
  EXPECT_GE(one.at("markets").as_array().size(), 3u);
  EXPECT_EQ(one.at("markets").as_array()[0].at("event_ticker").as_string(), "KXSIMWIN-E1");
  const auto all = get(RestApi::kalshi, "/events", "with_nested_markets=true", u);
  size_t markets = 0;
  size_t exclusive = 0;
  for (const auto& e : all.at("events").as_array()) {
    markets += e.at("markets").as_array().size();
    exclusive += e.at("mutually_exclusive").as_bool() ? 1 : 0;
  }
  EXPECT_EQ(markets, 24u);
  EXPECT_GE(exclusive, 1u);
  EXPECT_EQ(all.at("cursor").as_string(), "");
  EXPECT_FALSE(
      get(RestApi::kalshi, "/events", "", u).at("events").as_array()[0].as_object().contains("markets"));
  (void)get(RestApi::kalshi, "/events/NOPE", "", u, 404);
  (void)get(RestApi::kalshi, "/markets/NOPE", "", u, 404);
  EXPECT_EQ(get(RestApi::kalshi, "/markets/KXSIMWIN-E1-A", "", u).at("market").at("ticker").as_string(),
            "KXSIMWIN-E1-A");
}

TEST(ClobRest, MarketsPagesWithNextCursorUntilLte) {
  const Universe u = universe(160);
  size_t poly = 0;
  for (const auto& m : u.markets)
    poly += m.venue == Venue::polymarket ? 1 : 0;
  ASSERT_GT(poly, 100u);
  std::set<std::string> tokens;
  std::string cursor = "MA==";
  int pages = 0;
  while (cursor != "LTE=" && pages < 10) {
    const auto page = get(RestApi::polymarket_clob, "/markets", "next_cursor=" + cursor, u);
    for (const auto& m : page.at("data").as_array()) {
      const auto& t = m.at("tokens").as_array();
      ASSERT_EQ(t.size(), 2u);
      EXPECT_EQ(t[0].at("outcome").as_string(), "Yes");
      EXPECT_EQ(t[1].at("outcome").as_string(), "No");
      tokens.insert(std::string(t[0].at("token_id").as_string()));
      const double tick = m.at("minimum_tick_size").to_number<double>();
      EXPECT_TRUE(tick == 0.01 || tick == 0.001) << tick;
      EXPECT_TRUE(m.at("neg_risk").is_bool());
      EXPECT_TRUE(m.at("end_date_iso").is_string());
      EXPECT_TRUE(std::string(m.at("condition_id").as_string()).starts_with("0x"));
    }
    EXPECT_EQ(page.at("count").as_int64(), static_cast<int64_t>(page.at("data").as_array().size()));
    cursor = std::string(page.at("next_cursor").as_string());
    ++pages;
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(tokens.size(), poly);
  EXPECT_TRUE(get(RestApi::polymarket_clob, "/markets", "next_cursor=LTE=", u).at("data").as_array().empty());
  (void)get(RestApi::polymarket_clob, "/markets", "next_cursor=zzz", u, 400);
}

TEST(GammaRest, EventsGroupNegRiskMarketsWithTheirTokenIds) {
  const Universe u = universe();
  const auto events = get(RestApi::polymarket_gamma, "/events", "closed=false", u).as_array();
  bool found = false;
  for (const auto& e : events) {
    if (!e.at("negRisk").as_bool()) {
      EXPECT_EQ(e.at("markets").as_array().size(), 1u);
      continue;
    }
    found = true;
    const auto& markets = e.at("markets").as_array();
    EXPECT_GE(markets.size(), 3u);
    for (const auto& m : markets) {
      EXPECT_TRUE(m.at("negRisk").as_bool());
      EXPECT_EQ(m.at("negRiskMarketID"), e.at("negRiskMarketID"));
      const auto ids = json::parse(m.at("clobTokenIds").as_string());  // a JSON string holding an array
      EXPECT_EQ(ids.as_array().size(), 2u);
      EXPECT_EQ(m.at("orderPriceMinTickSize").to_number<double>(), 0.001);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(get(RestApi::polymarket_gamma, "/events", "limit=2&offset=1", u).as_array().size(), 2u);
  EXPECT_TRUE(get(RestApi::polymarket_gamma, "/events", "closed=true", u).as_array().empty());
  (void)get(RestApi::polymarket_gamma, "/events", "offset=-1", u, 400);
  EXPECT_EQ(handle_rest(RestApi::polymarket_gamma, "/markets", "", u).body, "") << "not Gamma's path here";
}

TEST(CaptureUniverse, ListsTheInstrumentsTheFramesTouch) {
  pmx::sim::FrameSource source;
  pmx::sim::load_capture_file(
      source, PMX_SHARED_DATA_DIR "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl", Venue::kalshi);
  pmx::sim::load_capture_file(source, PMX_SHARED_DATA_DIR "/venues/polymarket/ssmd_ws_book_2026-02-12.jsonl",
                              Venue::polymarket);
  const Universe u = pmx::sim::capture_universe(source);
  const auto kalshi = get(RestApi::kalshi, "/markets", "", u).at("markets").as_array();
  EXPECT_EQ(kalshi.size(), 4u);
  EXPECT_EQ(
      get(RestApi::kalshi, "/markets/SENATEOHS-26-D", "", u).at("market").at("event_ticker").as_string(),
      "SENATEOHS-26");
  const auto clob = get(RestApi::polymarket_clob, "/markets", "", u).at("data").as_array();
  ASSERT_FALSE(clob.empty());
  EXPECT_FALSE(clob[0].at("tokens").as_array().empty());
}

TEST(PairsToml, TheEnginesLoaderAcceptsExactlyTheEquivalentPairs) {
  const Universe u = universe();
  const std::string text = pmx::sim::pairs_toml(u, "test");
  const CrossVenueMapping mapping = parse_cross_venue_mapping(text, "pairs.toml");
  size_t equivalent = 0;
  for (const auto& pair : u.pairs)
    equivalent += pair.equivalent ? 1 : 0;
  ASSERT_EQ(mapping.pairs.size(), equivalent);
  EXPECT_EQ(mapping.refused.size(), u.pairs.size() - equivalent);
  EXPECT_GT(mapping.refused.size(), 0u) << "the synthetic market lists pairs that must be refused";
  size_t accepted = 0;
  for (const auto& pair : u.pairs) {
    if (!pair.equivalent) continue;
    const CrossVenuePair& loaded = mapping.pairs[accepted++];
    EXPECT_EQ(loaded.kalshi_ticker, u.markets[pair.kalshi].key);
    EXPECT_EQ(loaded.polymarket_yes_token, u.markets[pair.polymarket].yes_token);
    EXPECT_EQ(loaded.polymarket_no_token, u.markets[pair.polymarket].no_token);
    EXPECT_EQ(loaded.kalshi_resolution_date.ns, u.markets[pair.kalshi].close_ms * 1'000'000);
  }
}

TEST(UrlDecode, DecodesPercentAndPlus) {
  EXPECT_EQ(pmx::sim::url_decode("a%2Cb+c%2"), "a,b c%2");
}

}  // namespace
