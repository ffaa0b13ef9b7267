// Kalshi bootstrap parsers on the real GET /events/KXNEXTNATOSECGEN-99 reply and on pages made of
// its 8 real markets, then on malformed variants: each bad market is skipped with a counted,
// named reason and the others are kept.
#include "pmx/feed/bootstrap/kalshi_markets.h"

#include <gtest/gtest.h>

#include "pmx/core/clock.h"

#include "recordings.h"

namespace {

using nlohmann::json;
using pmx::BootstrapError;
using pmx::KalshiCatalog;
using pmx::MarketStatus;
using pmx::MarketUniverse;
using pmx::Price;
using pmx::StrikeType;
using pmx::TickBand;
using pmx::Venue;
using pmx::WallNanos;
using pmx::test::kalshi_event_reply;
using pmx::test::kalshi_markets_page;

// The real markets page with market `index` changed by `edit`.
std::string edited_page(size_t index, const std::function<void(json&)>& edit) {
  json page = json::parse(kalshi_markets_page("next-page"));
  edit(page["markets"][index]);
  return page.dump();
}

TEST(KalshiMarketsPage, ParsesEveryRealMarket) {
  const auto page = pmx::parse_kalshi_markets_page(kalshi_markets_page());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_TRUE(page.rejected.empty());
  ASSERT_EQ(page.markets.size(), 8u);
  EXPECT_EQ(page.cursor, "");
  const auto& m = page.markets[0];
  EXPECT_EQ(m.venue, Venue::kalshi);
  EXPECT_EQ(m.key, "KXNEXTNATOSECGEN-99-KIOH");
  EXPECT_EQ(m.market_key, "KXNEXTNATOSECGEN-99-KIOH");
  EXPECT_EQ(m.event_key, "KXNEXTNATOSECGEN-99");
  EXPECT_EQ(m.title, "Will Klaus Iohannis be the next Secretary General of NATO?");
  EXPECT_EQ(m.outcome_name, "Klaus Iohannis");
  EXPECT_EQ(m.status, MarketStatus::open) << "REST status \"active\" is trading";
  EXPECT_EQ(m.close_time, (WallNanos{4'071'567'600 * pmx::kNanosPerSecond}));
  EXPECT_EQ(m.strike_type, StrikeType::none) << "\"custom\" is not a strike ladder";
  EXPECT_EQ(m.tick, Price::from_ticks(100));
  ASSERT_EQ(m.tick_bands.size(), 1u);
  EXPECT_EQ(m.tick_bands[0],
            (TickBand{Price::from_ticks(0), Price::from_ticks(10'000), Price::from_ticks(100)}));
  EXPECT_EQ(page.markets[7].key, "KXNEXTNATOSECGEN-99-KSTA");
}

TEST(KalshiMarketsPage, ReturnsTheCursorOfTheNextPage) {
  const auto page = pmx::parse_kalshi_markets_page(kalshi_markets_page("CgwI9r2"));
  EXPECT_EQ(page.cursor, "CgwI9r2");
}

TEST(KalshiMarketsPage, ReadsTaperedBandsAndTheirFinestTick) {
  const auto page = pmx::parse_kalshi_markets_page(edited_page(0, [](json& m) {
    m["price_level_structure"] = "tapered_deci_cent";
    m["price_ranges"] = json::array({{{"start", "0.9000"}, {"end", "1.0000"}, {"step", "0.0010"}},
                                     {{"start", "0.0000"}, {"end", "0.1000"}, {"step", "0.0010"}},
                                     {{"start", "0.1000"}, {"end", "0.9000"}, {"step", "0.0100"}}});
  }));
  ASSERT_EQ(page.markets.size(), 8u);
  const auto& m = page.markets[0];
  EXPECT_EQ(m.tick, Price::from_ticks(10));
  ASSERT_EQ(m.tick_bands.size(), 3u);
  EXPECT_EQ(m.tick_bands[0].start, Price::from_ticks(0)) << "bands are sorted by start";
  EXPECT_EQ(m.tick_bands[1].step, Price::from_ticks(100));
  EXPECT_EQ(m.tick_bands[2].end, Price::from_ticks(10'000));
}

// Regression (found writing fuzz_bootstrap_pages' invariants): the tick was the finest step,
// 0.03 here, which does not divide $1, so making the market's book threw and stopped the engine
// at start-up.
TEST(KalshiMarketsPage, GivesAStepThatDoesNotDivideOneDollarATickThatDoes) {
  const auto page = pmx::parse_kalshi_markets_page(edited_page(0, [](json& m) {
    m["price_ranges"] = json::array({{{"start", "0.0000"}, {"end", "0.3000"}, {"step", "0.0300"}},
                                     {{"start", "0.3000"}, {"end", "1.0000"}, {"step", "0.0500"}}});
  }));
  ASSERT_EQ(page.markets.size(), 8u);
  EXPECT_EQ(page.markets[0].tick, Price::from_ticks(100)) << "the coarsest tick dividing $1, 0.03 and 0.05";
  EXPECT_EQ(page.markets[0].tick_bands[0].step, Price::from_ticks(300)) << "the band keeps its own step";
}

TEST(KalshiMarketsPage, PutsABandStartingOffItsStepOnTheTickGrid) {
  // Prices 0.005, 0.015, ...: a 0.01 grid from $0 would hold none of them.
  const auto page = pmx::parse_kalshi_markets_page(edited_page(0, [](json& m) {
    m["price_ranges"] = json::array({{{"start", "0.0050"}, {"end", "0.9950"}, {"step", "0.0100"}}});
  }));
  ASSERT_EQ(page.markets.size(), 8u);
  EXPECT_EQ(page.markets[0].tick, Price::from_ticks(50));
}

TEST(KalshiMarketsPage, DerivesBandsFromTheStructureWhenPriceRangesAreAbsent) {
  const auto page = pmx::parse_kalshi_markets_page(edited_page(0, [](json& m) {
    m.erase("price_ranges");
    m["price_level_structure"] = "center_deci_edge_centi_cent";
  }));
  ASSERT_EQ(page.markets.size(), 8u);
  EXPECT_EQ(page.markets[0].tick, Price::from_ticks(1));
  EXPECT_EQ(page.markets[0].tick_bands.size(), 3u);
}

TEST(KalshiMarketsPage, ReadsStrikesAndFeeFields) {
  const auto page = pmx::parse_kalshi_markets_page(edited_page(1, [](json& m) {
    m["strike_type"] = "between";
    m["floor_strike"] = 95000;
    m["cap_strike"] = 95249.99;
    m["fee_type"] = "quadratic_with_maker_fees";
    m["fee_multiplier"] = 0.5;
  }));
  ASSERT_EQ(page.markets.size(), 8u);
  const auto& m = page.markets[1];
  EXPECT_EQ(m.strike_type, StrikeType::between);
  EXPECT_DOUBLE_EQ(m.floor_strike, 95000.0);
  EXPECT_DOUBLE_EQ(m.cap_strike, 95249.99);
  EXPECT_TRUE(m.fees.kalshi_maker_fees);
  EXPECT_DOUBLE_EQ(m.fees.kalshi_multiplier, 0.5);
}

TEST(KalshiMarketsPage, MapsEveryRestStatus) {
  const std::pair<const char*, MarketStatus> cases[] = {
      {"initialized", MarketStatus::initialized}, {"inactive", MarketStatus::paused},
      {"closed", MarketStatus::closed},           {"determined", MarketStatus::determined},
      {"disputed", MarketStatus::determined},     {"finalized", MarketStatus::settled},
      {"something_new", MarketStatus::unknown}};
  for (const auto& [text, status] : cases) {
    const auto page = pmx::parse_kalshi_markets_page(edited_page(0, [&](json& m) { m["status"] = text; }));
    ASSERT_EQ(page.markets.size(), 8u) << text;
    EXPECT_EQ(page.markets[0].status, status) << text;
  }
}

struct BadMarket {
  const char* name;
  std::function<void(json&)> edit;
  BootstrapError error;
  const char* message;  // the rejection's message
};

void PrintTo(const BadMarket& bad, std::ostream* os) {
  *os << bad.name;
}

class KalshiBadMarket : public ::testing::TestWithParam<BadMarket> {};

TEST_P(KalshiBadMarket, IsSkippedWithItsReasonAndTheRestOfThePageKept) {
  const auto& bad = GetParam();
  const auto page = pmx::parse_kalshi_markets_page(edited_page(2, bad.edit));
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_EQ(page.markets.size(), 7u);
  ASSERT_EQ(page.rejected.size(), 1u);
  EXPECT_EQ(page.rejected[0].error, bad.error);
  EXPECT_EQ(page.rejected[0].message, bad.message);
  EXPECT_EQ(page.cursor, "next-page") << "a bad market does not cost the page";
  for (const auto& m : page.markets)
    EXPECT_NE(m.key, "KXNEXTNATOSECGEN-99-BWAL");
}

INSTANTIATE_TEST_SUITE_P(
    Cases, KalshiBadMarket,
    ::testing::Values(
        BadMarket{"MissingTicker", [](json& m) { m.erase("ticker"); }, BootstrapError::missing_field,
                  "#2: ticker: missing"},
        BadMarket{"NullCloseTime", [](json& m) { m["close_time"] = nullptr; }, BootstrapError::missing_field,
                  "KXNEXTNATOSECGEN-99-BWAL: close_time: missing"},
        BadMarket{"TickerIsANumber", [](json& m) { m["ticker"] = 42; }, BootstrapError::wrong_type,
                  "#2: ticker: expected a string"},
        BadMarket{"StatusIsAnObject",
                  [](json& m) {
                    m["status"] = json::object({{"x", 1}});
                  },
                  BootstrapError::wrong_type, "KXNEXTNATOSECGEN-99-BWAL: status: expected a string"},
        BadMarket{"PriceRangesIsAString", [](json& m) { m["price_ranges"] = "0.01"; },
                  BootstrapError::wrong_type, "KXNEXTNATOSECGEN-99-BWAL: price_ranges: expected an array"},
        BadMarket{"StepIsZero", [](json& m) { m["price_ranges"][0]["step"] = "0.0000"; },
                  BootstrapError::bad_price,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges band 0-1: step 0 must be > 0 and divide the band"},
        BadMarket{"EndAboveOneDollar", [](json& m) { m["price_ranges"][0]["end"] = "7.0000"; },
                  BootstrapError::bad_price,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges band 0-7: must satisfy 0 <= start < end <= 1"},
        BadMarket{"StepTooFine", [](json& m) { m["price_ranges"][0]["step"] = "0.00001"; },
                  BootstrapError::bad_price,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges[0].step \"0.00001\": more fractional digits than "
                  "the type holds"},
        BadMarket{"NegativeStart", [](json& m) { m["price_ranges"][0]["start"] = "-0.5000"; },
                  BootstrapError::bad_price,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges band -0.5-1: must satisfy 0 <= start < end <= 1"},
        BadMarket{"StepIsNotANumber", [](json& m) { m["price_ranges"][0]["step"] = "abc"; },
                  BootstrapError::bad_price,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges[0].step \"abc\": bad character in decimal"},
        BadMarket{"OverlappingBands",
                  [](json& m) {
                    m["price_ranges"].push_back({{"start", "0.5000"}, {"end", "0.6000"}, {"step", "0.0010"}});
                  },
                  BootstrapError::bad_price,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges band 0.5-0.6: overlaps the band before it"},
        BadMarket{"BandMissingItsEnd", [](json& m) { m["price_ranges"][0].erase("end"); },
                  BootstrapError::missing_field,
                  "KXNEXTNATOSECGEN-99-BWAL: price_ranges[0].start/end/step: missing"},
        BadMarket{"UnknownStructureWithoutRanges",
                  [](json& m) {
                    m.erase("price_ranges");
                    m["price_level_structure"] = "quarter_cent";
                  },
                  BootstrapError::bad_value,
                  "KXNEXTNATOSECGEN-99-BWAL: price_level_structure \"quarter_cent\": unknown, and no "
                  "price_ranges to "
                  "say the tick"},
        BadMarket{"BadCloseTime", [](json& m) { m["close_time"] = "next tuesday"; }, BootstrapError::bad_time,
                  "KXNEXTNATOSECGEN-99-BWAL: close_time \"next tuesday\": not an ISO 8601 time"},
        BadMarket{"TickerWithSpaces", [](json& m) { m["ticker"] = "DROP TABLE"; }, BootstrapError::bad_key,
                  "DROP TABLE: ticker: not a Kalshi ticker"},
        BadMarket{"MarketIsAnArray",
                  [](json& m) {
                    m = json::array({1, 2});
                  },
                  BootstrapError::wrong_type, "market: expected an object"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(KalshiMarketsPage, RefusesAPageWithoutAMarketsArray) {
  const auto page = pmx::parse_kalshi_markets_page(R"({"cursor":"x","data":[]})");
  EXPECT_EQ(page.error, BootstrapError::bad_shape);
  EXPECT_EQ(page.message, "no \"markets\" array");
  EXPECT_TRUE(page.cursor.empty()) << "a refused page has no cursor to follow";
}

TEST(KalshiMarketsPage, RefusesATruncatedPageWhole) {
  const std::string full = kalshi_markets_page("next");
  const auto page = pmx::parse_kalshi_markets_page(full.substr(0, full.size() * 2 / 3));
  EXPECT_EQ(page.error, BootstrapError::bad_json);
  EXPECT_TRUE(page.markets.empty());
  EXPECT_TRUE(page.cursor.empty());
}

TEST(KalshiMarketsPage, RefusesTrailingGarbage) {
  const auto page = pmx::parse_kalshi_markets_page(kalshi_markets_page() + " {}");
  EXPECT_EQ(page.error, BootstrapError::bad_json);
  EXPECT_EQ(page.message, "broken JSON: trailing content after the top-level value");
}

TEST(KalshiEventsPage, ParsesTheRealSingleEventReply) {
  const auto page = pmx::parse_kalshi_events_page(kalshi_event_reply());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_TRUE(page.rejected.empty());
  ASSERT_EQ(page.events.size(), 1u);
  const auto& e = page.events[0];
  EXPECT_EQ(e.event_ticker, "KXNEXTNATOSECGEN-99");
  EXPECT_EQ(e.series_ticker, "KXNEXTNATOSECGEN");
  EXPECT_EQ(e.title, "Who will be the next Secretary General of NATO?");
  EXPECT_EQ(e.category, "Elections");
  EXPECT_TRUE(e.mutually_exclusive);
  EXPECT_FALSE(e.has_fees);
  EXPECT_EQ(e.markets.size(), 8u) << "the reply's top-level markets belong to the event";
}

TEST(KalshiEventsPage, ParsesAListingWithNestedMarketsAndACursor) {
  json reply = json::parse(kalshi_event_reply());
  json event = reply["event"];
  event["markets"] = reply["markets"];
  event["fee_multiplier_override"] = 2.0;
  json second = {{"event_ticker", "KXOTHER-26"}, {"series_ticker", "KXOTHER"}, {"mutually_exclusive", false}};
  const auto page = pmx::parse_kalshi_events_page(json{{"events", {event, second}}, {"cursor", "c2"}}.dump());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].markets.size(), 8u);
  EXPECT_TRUE(page.events[0].has_fees);
  EXPECT_DOUBLE_EQ(page.events[0].fees.kalshi_multiplier, 2.0);
  EXPECT_FALSE(page.events[1].mutually_exclusive);
  EXPECT_EQ(page.cursor, "c2");
}

TEST(KalshiEventsPage, SkipsAnEventWithoutMutuallyExclusiveAndSaysWhy) {
  json reply = json::parse(kalshi_event_reply());
  reply["event"].erase("mutually_exclusive");
  const auto page = pmx::parse_kalshi_events_page(reply.dump());
  ASSERT_EQ(page.error, BootstrapError::ok) << page.message;
  EXPECT_TRUE(page.events.empty());
  ASSERT_FALSE(page.rejected.empty());
  EXPECT_EQ(page.rejected[0].error, BootstrapError::missing_field);
  EXPECT_EQ(page.rejected[0].message, "KXNEXTNATOSECGEN-99: mutually_exclusive: missing");
}

TEST(KalshiCatalog, LinksMarketsToTheirMutuallyExclusiveEvent) {
  KalshiCatalog catalog;
  catalog.markets = pmx::parse_kalshi_markets_page(kalshi_markets_page()).markets;
  catalog.events = pmx::parse_kalshi_events_page(kalshi_event_reply()).events;
  MarketUniverse universe;
  EXPECT_EQ(pmx::add_kalshi_catalog(universe, catalog), 8u)
      << "nested copies of listed markets are not added twice";
  ASSERT_EQ(universe.events().size(), 1u);
  const auto& event = universe.events()[0];
  EXPECT_EQ(event.key, "KXNEXTNATOSECGEN-99");
  EXPECT_TRUE(event.mutually_exclusive);
  ASSERT_EQ(event.members.size(), 8u);
  const auto id = universe.find(Venue::kalshi, "KXNEXTNATOSECGEN-99-PPAV");
  ASSERT_TRUE(id.valid());
  EXPECT_NE(std::find(event.members.begin(), event.members.end(), id), event.members.end());
  const auto* m = universe.market(id);
  ASSERT_NE(m, nullptr);
  EXPECT_TRUE(m->mutually_exclusive);
  EXPECT_EQ(m->series_key, "KXNEXTNATOSECGEN");
  EXPECT_EQ(m->category, "Elections");
  EXPECT_FALSE(m->complement.valid());
}

}  // namespace
