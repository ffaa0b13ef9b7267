// Polymarket bootstrap parsers on the real CLOB /markets page and the real Gamma negRisk event,
// malformed variants of them, and the merge into a MarketUniverse (token pairs, complements,
// events).
#include "pmx/feed/bootstrap/polymarket_markets.h"

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

#include "recordings.h"

namespace {

using nlohmann::json;
using pmx::BootstrapError;
using pmx::MarketStatus;
using pmx::MarketUniverse;
using pmx::PolymarketCatalog;
using pmx::Price;
using pmx::RejectedRecord;
using pmx::Venue;
using pmx::WallNanos;
using pmx::test::clob_markets_reply;
using pmx::test::gamma_event_reply;

constexpr const char* kDeSantis = "0x12a0cb60174abc437bf1178367c72d11f069e1a3add20b148fb0ab4279b772b2";
constexpr const char* kEmptyTokens = "0x5374183ab5a2925fda4e7ac2db4848499458224ce2d73c16d3f248951c80746e";
constexpr const char* kStephenASmith = "0xc8f1cf5d4f26e0fd9c8fe89f2a7b3263b902cf14fde7bfccef525753bb492e47";

const pmx::PolymarketMarket* find(const std::vector<pmx::PolymarketMarket>& markets,
                                  std::string_view condition) {
  for (const auto& m : markets) {
    if (m.condition_id == condition) return &m;
  }
  return nullptr;
}

TEST(ClobMarketsPage, ParsesTheRealPageAndRejectsItsMarketWithoutTokenIds) {
  const auto page = pmx::parse_clob_markets_page(clob_markets_reply());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_EQ(page.next_cursor, "MTAw");
  EXPECT_EQ(page.markets.size(), 99u);
  ASSERT_EQ(page.rejected.size(), 1u) << "one real market has empty token ids";
  EXPECT_EQ(page.rejected[0].error, BootstrapError::bad_key);
  EXPECT_EQ(page.rejected[0].key, kEmptyTokens);
}

TEST(ClobMarketsPage, ReadsTokensTickNegRiskEndDateAndStatus) {
  const auto page = pmx::parse_clob_markets_page(clob_markets_reply());
  const auto* m = find(page.markets, kDeSantis);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->token_ids[0], "10715043962341292242163832255523703116280692082153281340642602592290195499485");
  EXPECT_EQ(m->token_ids[1], "80085489243215790077454313513728486445319747473476157602131800551595373270758");
  EXPECT_EQ(m->outcomes[0], "Yes");
  EXPECT_EQ(m->outcomes[1], "No");
  EXPECT_EQ(m->tick, Price::from_ticks(10)) << "minimum_tick_size 0.001, read from its exact text";
  EXPECT_FALSE(m->neg_risk);
  EXPECT_EQ(m->close_time, (WallNanos{1'725'926'400 * pmx::kNanosPerSecond}));
  EXPECT_EQ(m->status, MarketStatus::closed);
  EXPECT_EQ(m->slug, "will-ron-desantis-win-the-us-2024-republican-presidential-nomination");
  EXPECT_FALSE(m->has_fees);
}

TEST(ClobMarketsPage, CountsBothRealTickSizes) {
  const auto page = pmx::parse_clob_markets_page(clob_markets_reply());
  size_t cent = 0, tenth_cent = 0;
  for (const auto& m : page.markets) {
    cent += m.tick == Price::from_ticks(100);
    tenth_cent += m.tick == Price::from_ticks(10);
  }
  EXPECT_EQ(cent + tenth_cent, page.markets.size());
  EXPECT_EQ(tenth_cent, 17u);
}

TEST(ClobMarketsPage, KeepsNonYesNoOutcomeNames) {
  const auto page = pmx::parse_clob_markets_page(clob_markets_reply());
  const auto it = std::find_if(page.markets.begin(), page.markets.end(),
                               [](const auto& m) { return m.outcomes[0] == "Democratic"; });
  ASSERT_NE(it, page.markets.end());
  EXPECT_EQ(it->outcomes[1], "Republican");
}

TEST(ClobMarketsPage, ReadsAnOpenMarketAsOpen) {
  const auto page = pmx::parse_clob_markets_page(clob_markets_reply());
  const auto* m = find(page.markets, "0x26ee82bee2493a302d21283cb578f7e2fff2dd15743854f53034d12420863b55");
  if (m == nullptr) {
    // Find it by prefix: the only market with active, not closed and accepting orders.
    for (const auto& x : page.markets) {
      if (x.condition_id.starts_with("0x26ee82be")) m = &x;
    }
  }
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->status, MarketStatus::open);
}

struct BadClob {
  const char* name;
  std::function<void(json&)> edit;
  BootstrapError error;
  const char* message_end;  // how the rejection's message ends
};

void PrintTo(const BadClob& bad, std::ostream* os) {
  *os << bad.name;
}

class ClobBadMarket : public ::testing::TestWithParam<BadClob> {};

TEST_P(ClobBadMarket, IsSkippedWithItsReasonAndTheRestOfThePageKept) {
  json page = json::parse(clob_markets_reply());
  GetParam().edit(page["data"][0]);
  const auto parsed = pmx::parse_clob_markets_page(page.dump());
  ASSERT_EQ(parsed.error, BootstrapError::ok) << parsed.message;
  EXPECT_EQ(parsed.markets.size(), 98u);
  ASSERT_EQ(parsed.rejected.size(), 2u);
  EXPECT_EQ(parsed.rejected[0].error, GetParam().error);
  EXPECT_TRUE(parsed.rejected[0].message.ends_with(GetParam().message_end)) << parsed.rejected[0].message;
  EXPECT_EQ(parsed.next_cursor, "MTAw");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ClobBadMarket,
    ::testing::Values(
        BadClob{"TickZero", [](json& m) { m["minimum_tick_size"] = 0; }, BootstrapError::bad_price,
                "minimum_tick_size \"0\": not a tick size (0 < tick <= 0.1 dividing $1)"},
        BadClob{"TickFive", [](json& m) { m["minimum_tick_size"] = 5; }, BootstrapError::bad_price,
                "minimum_tick_size \"5\": not a tick size (0 < tick <= 0.1 dividing $1)"},
        BadClob{"TickTooFine", [](json& m) { m["minimum_tick_size"] = "0.00001"; }, BootstrapError::bad_price,
                "minimum_tick_size \"0.00001\": more fractional digits than the type holds"},
        BadClob{"TickInExponentForm", [](json& m) { m["minimum_tick_size"] = 0.00001; },
                BootstrapError::bad_price, "minimum_tick_size \"1e-05\": exponent not allowed in decimal"},
        BadClob{"TickNotDividingADollar", [](json& m) { m["minimum_tick_size"] = "0.003"; },
                BootstrapError::bad_price,
                "minimum_tick_size \"0.003\": not a tick size (0 < tick <= 0.1 dividing $1)"},
        BadClob{"TickIsABool", [](json& m) { m["minimum_tick_size"] = true; }, BootstrapError::wrong_type,
                "minimum_tick_size: expected a decimal"},
        BadClob{"NoTick", [](json& m) { m.erase("minimum_tick_size"); }, BootstrapError::missing_field,
                "minimum_tick_size: missing"},
        BadClob{"ThreeTokens", [](json& m) { m["tokens"].push_back(m["tokens"][0]); },
                BootstrapError::bad_value, "tokens: expected 2 outcome tokens, got 3"},
        BadClob{"TokensIsAnObject", [](json& m) { m["tokens"] = json::object(); }, BootstrapError::wrong_type,
                "tokens: expected an array"},
        BadClob{"TokenIdIsANumber", [](json& m) { m["tokens"][1]["token_id"] = 12345; },
                BootstrapError::wrong_type, "tokens[1].token_id: expected a string"},
        BadClob{"SameTokenTwice", [](json& m) { m["tokens"][1]["token_id"] = m["tokens"][0]["token_id"]; },
                BootstrapError::bad_value, "both tokens have the same id"},
        BadClob{"NoConditionId", [](json& m) { m.erase("condition_id"); }, BootstrapError::missing_field,
                "#0: condition_id: missing"},
        BadClob{"NegRiskIsAString", [](json& m) { m["neg_risk"] = "yes"; }, BootstrapError::wrong_type,
                "neg_risk: expected true or false"},
        BadClob{"BadEndDate", [](json& m) { m["end_date_iso"] = "2024-02-30T00:00:00Z"; },
                BootstrapError::bad_time, "end_date_iso \"2024-02-30T00:00:00Z\": not an ISO 8601 time"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(ClobMarketsPage, RefusesAPageWhoseDataIsNotAnArray) {
  const auto page = pmx::parse_clob_markets_page(R"({"data":{"x":1},"next_cursor":"LTE="})");
  EXPECT_EQ(page.error, BootstrapError::bad_shape);
  EXPECT_EQ(page.message, "\"data\" is not an array");
}

TEST(GammaEventsPage, ParsesTheRealNegRiskEvent) {
  const auto page = pmx::parse_gamma_events_page(gamma_event_reply());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_TRUE(page.rejected.empty());
  EXPECT_EQ(page.records, 1u);
  ASSERT_EQ(page.events.size(), 1u);
  const auto& e = page.events[0];
  EXPECT_EQ(e.id, "30829");
  EXPECT_EQ(e.slug, "democratic-presidential-nominee-2028");
  EXPECT_EQ(e.title, "Democratic Presidential Nominee 2028");
  EXPECT_TRUE(e.neg_risk);
  ASSERT_EQ(e.markets.size(), 2u);
  const auto& m = e.markets[0];
  EXPECT_EQ(m.condition_id, kStephenASmith);
  EXPECT_EQ(m.token_ids[0], "60590045489347122735554346200880179420435533609307820342798544098823516727807");
  EXPECT_EQ(m.token_ids[1], "76005700027045000587004110133818166617024719626220722682005164003117993034812");
  EXPECT_EQ(m.outcomes[0], "Yes");
  EXPECT_EQ(m.group_item_title, "Stephen A. Smith");
  EXPECT_EQ(m.tick, Price::from_ticks(10));
  EXPECT_TRUE(m.neg_risk);
  EXPECT_EQ(m.status, MarketStatus::open);
  EXPECT_FALSE(m.has_fees) << "feesEnabled is false";
}

TEST(GammaEventsPage, ReadsAFeeScheduleWhenFeesAreEnabled) {
  json page = json::parse(gamma_event_reply());
  page[0]["markets"][1]["feesEnabled"] = true;
  page[0]["markets"][1]["feeSchedule"] = {{"rate", 0.07}, {"exponent", 1}, {"takerOnly", true}};
  const auto parsed = pmx::parse_gamma_events_page(page.dump());
  ASSERT_EQ(parsed.events.size(), 1u);
  const auto& m = parsed.events[0].markets[1];
  EXPECT_TRUE(m.has_fees);
  EXPECT_DOUBLE_EQ(m.fees.polymarket_rate, 0.07);
  EXPECT_DOUBLE_EQ(m.fees.polymarket_exponent, 1.0);
}

TEST(GammaEventsPage, AcceptsOneEventObject) {
  const auto page = pmx::parse_gamma_events_page(json::parse(gamma_event_reply())[0].dump());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  ASSERT_EQ(page.events.size(), 1u);
  EXPECT_EQ(page.events[0].markets.size(), 2u);
}

TEST(GammaEventsPage, SkipsAMarketWhoseTokenListIsNotJson) {
  json page = json::parse(gamma_event_reply());
  page[0]["markets"][0]["clobTokenIds"] =
      "[\"6059004548934712273555434620088017942043553360930782034279854409";
  const auto parsed = pmx::parse_gamma_events_page(page.dump());
  ASSERT_EQ(parsed.error, BootstrapError::ok) << parsed.message;
  ASSERT_EQ(parsed.events.size(), 1u);
  EXPECT_EQ(parsed.events[0].markets.size(), 1u);
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_EQ(parsed.rejected[0].error, BootstrapError::bad_value);
  EXPECT_EQ(parsed.rejected[0].key, kStephenASmith);
}

TEST(GammaEventsPage, SkipsAMarketWithOneToken) {
  json page = json::parse(gamma_event_reply());
  page[0]["markets"][1]["clobTokenIds"] = "[\"123\"]";
  const auto parsed = pmx::parse_gamma_events_page(page.dump());
  ASSERT_EQ(parsed.rejected.size(), 1u);
  EXPECT_TRUE(parsed.rejected[0].message.ends_with("clobTokenIds: expected 2 entries, got 1"))
      << parsed.rejected[0].message;
}

TEST(PolymarketCatalog, MakesOneInstrumentPerTokenWithItsComplement) {
  PolymarketCatalog catalog;
  catalog.markets = pmx::parse_clob_markets_page(clob_markets_reply()).markets;
  MarketUniverse universe;
  std::vector<RejectedRecord> rejected;
  EXPECT_EQ(pmx::add_polymarket_catalog(universe, catalog, rejected), 198u);
  EXPECT_TRUE(rejected.empty());
  const auto yes = universe.find(
      Venue::polymarket, "10715043962341292242163832255523703116280692082153281340642602592290195499485");
  const auto no = universe.find(
      Venue::polymarket, "80085489243215790077454313513728486445319747473476157602131800551595373270758");
  ASSERT_TRUE(yes.valid() && no.valid());
  const auto* y = universe.market(yes);
  EXPECT_EQ(y->complement, no);
  EXPECT_EQ(universe.market(no)->complement, yes);
  EXPECT_EQ(y->market_key, kDeSantis);
  EXPECT_EQ(y->outcome_name, "Yes");
  EXPECT_EQ(universe.market(no)->outcome_name, "No");
  EXPECT_EQ(y->tick, Price::from_ticks(10));
  EXPECT_TRUE(y->event_key.empty()) << "no Gamma event lists it";
}

TEST(PolymarketCatalog, GroupsGammaMarketsIntoAMutuallyExclusiveEvent) {
  PolymarketCatalog catalog;
  catalog.events = pmx::parse_gamma_events_page(gamma_event_reply()).events;
  MarketUniverse universe;
  std::vector<RejectedRecord> rejected;
  EXPECT_EQ(pmx::add_polymarket_catalog(universe, catalog, rejected), 4u);
  ASSERT_EQ(universe.events().size(), 1u);
  const auto& e = universe.events()[0];
  EXPECT_EQ(e.venue, Venue::polymarket);
  EXPECT_EQ(e.key, "democratic-presidential-nominee-2028");
  EXPECT_TRUE(e.mutually_exclusive);
  ASSERT_EQ(e.members.size(), 2u) << "the first (Yes) token of each market";
  const auto* first = universe.market(e.members[0]);
  EXPECT_EQ(first->key, "60590045489347122735554346200880179420435533609307820342798544098823516727807");
  EXPECT_TRUE(first->mutually_exclusive);
  EXPECT_EQ(first->event_key, e.key);
  EXPECT_TRUE(universe.market(first->complement) != nullptr);
}

TEST(PolymarketCatalog, TakesTheClobTickOverGammasForAMarketBothList) {
  PolymarketCatalog catalog;
  catalog.events = pmx::parse_gamma_events_page(gamma_event_reply()).events;
  pmx::PolymarketMarket clob = catalog.events[0].markets[0];
  clob.tick = Price::from_ticks(100);
  clob.neg_risk = false;
  catalog.markets.push_back(clob);
  MarketUniverse universe;
  std::vector<RejectedRecord> rejected;
  pmx::add_polymarket_catalog(universe, catalog, rejected);
  const auto* m = universe.market(universe.find(Venue::polymarket, clob.token_ids[0]));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->tick, Price::from_ticks(100));
  EXPECT_TRUE(m->mutually_exclusive) << "its Gamma event is negRisk";
  EXPECT_EQ(m->event_key, "democratic-presidential-nominee-2028");
  EXPECT_EQ(universe.events()[0].members.size(), 2u);
}

TEST(PolymarketCatalog, RejectsAGammaOnlyMarketWithoutATick) {
  PolymarketCatalog catalog;
  catalog.events = pmx::parse_gamma_events_page(gamma_event_reply()).events;
  catalog.events[0].markets[1].tick = Price{};
  MarketUniverse universe;
  std::vector<RejectedRecord> rejected;
  EXPECT_EQ(pmx::add_polymarket_catalog(universe, catalog, rejected), 2u);
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0].error, BootstrapError::missing_field);
}

}  // namespace
