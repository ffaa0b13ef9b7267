#include "pmx/engine/app/live_backend.h"

#include <vector>

#include <gtest/gtest.h>

#include "live_keys.h"
#include "scratch_dir.h"

namespace pmx::app {
namespace {

using test::ScratchDir;

// One Kalshi market and one Polymarket market (two tokens).
MarketUniverse two_venue_universe() {
  MarketUniverse universe;
  MarketInfo kalshi;
  kalshi.venue = Venue::kalshi;
  kalshi.key = "KXTEST-1";
  universe.add_market(kalshi);
  MarketInfo yes;
  yes.venue = Venue::polymarket;
  yes.key = "1001";
  const InstrumentId yes_id = universe.add_market(yes);
  MarketInfo no;
  no.venue = Venue::polymarket;
  no.key = "1002";
  no.complement = yes_id;
  universe.add_market(no);
  return universe;
}

// Live on loopback with a fresh Kalshi key. Nothing listens on the URLs: sessions connect lazily.
Config live_config(const ScratchDir& dir) {
  Config config = load_config_from_string("", "<test>", [](const char*) -> const char* { return nullptr; });
  config.engine.mode = TradingMode::live;
  config.venues.kalshi.api_key_id = "key";
  config.venues.kalshi.private_key_path = test::write_kalshi_test_keys(dir.path()).private_key.string();
  config.venues.kalshi.rest_url = "http://127.0.0.1:9/trade-api/v2";
  config.venues.kalshi.ws_url = "";  // no fill channel
  config.venues.polymarket.private_key = test::kPolymarketTestKey;
  config.venues.polymarket.funder = test::polymarket_test_address();
  config.venues.polymarket.rest_url = "http://127.0.0.1:9";
  config.venues.polymarket.ws_url = "";
  return config;
}

PolymarketApiCredentials api() {
  return {test::kPolymarketTestApiKey, test::kPolymarketTestSecret, test::kPolymarketTestPassphrase, ""};
}

OrderIntent intent(uint64_t id, InstrumentId instrument, Venue venue) {
  OrderIntent i;
  i.intent_id = id;
  i.instrument = instrument;
  i.venue = venue;
  i.tif = TimeInForce::gtc;
  i.limit_price = Price::from_ticks(5'000);
  i.qty = Qty::from_units(2'000'000);
  return i;
}

TEST(LiveBackend, AnIntentForAVenueWithoutASessionIsAnsweredRejected) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  Config config = live_config(dir);
  config.venues.polymarket.enabled = false;
  LiveBackend backend(universe, config, api(), 7);
  ASSERT_FALSE(backend.has(Venue::polymarket));
  EXPECT_FALSE(
      backend.submit(intent(42, universe.find(Venue::polymarket, "1001"), Venue::polymarket), WallNanos{1}));
  std::vector<ExecReport> reports;
  backend.advance(WallNanos{2}, [&](const ExecReport& r) { reports.push_back(r); });
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].intent_id, 42u);
  EXPECT_EQ(reports[0].type, ExecType::rejected);
  EXPECT_EQ(backend.counters().no_session, 1u);
}

TEST(LiveBackend, AKalshiIntentIsWorkedByTheKalshiSessionOnly) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  LiveBackend backend(universe, live_config(dir), api(), 7);
  EXPECT_TRUE(
      backend.submit(intent(1, universe.find(Venue::kalshi, "KXTEST-1"), Venue::kalshi), WallNanos{1}));
  EXPECT_EQ(backend.kalshi()->open_orders(), 1u);
  EXPECT_EQ(backend.polymarket()->open_orders(), 0u);
  EXPECT_EQ(backend.open_orders(), 1u);
}

TEST(LiveBackend, APolymarketIntentIsWorkedByThePolymarketSessionOnly) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  LiveBackend backend(universe, live_config(dir), api(), 7);
  EXPECT_TRUE(
      backend.submit(intent(1, universe.find(Venue::polymarket, "1001"), Venue::polymarket), WallNanos{1}));
  EXPECT_EQ(backend.polymarket()->open_orders(), 1u);
  EXPECT_EQ(backend.kalshi()->open_orders(), 0u);
}

TEST(LiveBackend, ACancelFindsTheSessionThatHoldsTheOrder) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  LiveBackend backend(universe, live_config(dir), api(), 7);
  ASSERT_TRUE(
      backend.submit(intent(5, universe.find(Venue::polymarket, "1001"), Venue::polymarket), WallNanos{1}));
  EXPECT_TRUE(backend.cancel(5, WallNanos{2}));
  EXPECT_FALSE(backend.cancel(6, WallNanos{2})) << "no session holds intent 6";
}

TEST(LiveBackend, BooksCoverEveryInstrumentOfBothVenues) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  LiveBackend backend(universe, live_config(dir), api(), 7);
  EXPECT_TRUE(backend.books().has(universe.find(Venue::kalshi, "KXTEST-1")));
  EXPECT_TRUE(backend.books().has(universe.find(Venue::polymarket, "1002")));
}

TEST(LiveBackend, AFunderThatIsNotTheKeysAddressNeedsASignatureType) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  Config config = live_config(dir);
  config.venues.polymarket.funder = "0x" + std::string(40, 'b');
  try {
    LiveBackend backend(universe, config, api(), 7);
    FAIL() << "accepted a funder the key does not control without POLY_SIGNATURE_TYPE";
  } catch (const LiveSetupError& e) {
    EXPECT_NE(std::string(e.what()).find("POLY_SIGNATURE_TYPE"), std::string::npos) << e.what();
  }
}

TEST(LiveBackend, AMalformedPolymarketKeyIsRefusedByName) {
  ScratchDir dir;
  const MarketUniverse universe = two_venue_universe();
  Config config = live_config(dir);
  config.venues.polymarket.private_key = "not-hex";
  try {
    LiveBackend backend(universe, config, api(), 7);
    FAIL() << "accepted a malformed key";
  } catch (const LiveSetupError& e) {
    EXPECT_NE(std::string(e.what()).find("POLY_PRIVATE_KEY"), std::string::npos) << e.what();
  }
}

MarketInfo cent_market() {
  MarketInfo m;
  m.tick = Price::from_ticks(100);
  return m;
}

TEST(VenueLimitPrice, ASellAtAnyPriceBecomesTheLowestPriceTheVenueTakes) {
  EXPECT_EQ(venue_limit_price(cent_market(), Side::sell, Price::from_ticks(1)), Price::from_ticks(100));
}

TEST(VenueLimitPrice, ABuyAtAnyPriceBecomesTheHighestPriceTheVenueTakes) {
  EXPECT_EQ(venue_limit_price(cent_market(), Side::buy, Price::from_ticks(9'999)), Price::from_ticks(9'900));
}

TEST(VenueLimitPrice, AnOffGridBuyRoundsDownAndASellUp) {
  EXPECT_EQ(venue_limit_price(cent_market(), Side::buy, Price::from_ticks(5'050)), Price::from_ticks(5'000));
  EXPECT_EQ(venue_limit_price(cent_market(), Side::sell, Price::from_ticks(5'050)), Price::from_ticks(5'100));
}

TEST(VenueLimitPrice, APriceOnTheGridIsKept) {
  EXPECT_EQ(venue_limit_price(cent_market(), Side::buy, Price::from_ticks(4'200)), Price::from_ticks(4'200));
}

TEST(VenueLimitPrice, ABandedMarketUsesTheFinerTickNearTheEdges) {
  MarketInfo m = cent_market();
  m.tick = Price::from_ticks(10);
  m.tick_bands = {{Price::from_ticks(0), Price::from_ticks(1'000), Price::from_ticks(10)},
                  {Price::from_ticks(1'000), Price::from_ticks(9'000), Price::from_ticks(100)},
                  {Price::from_ticks(9'000), Price::from_ticks(10'000), Price::from_ticks(10)}};
  EXPECT_EQ(venue_limit_price(m, Side::sell, Price::from_ticks(1)), Price::from_ticks(10));
  EXPECT_EQ(venue_limit_price(m, Side::buy, Price::from_ticks(9'999)), Price::from_ticks(9'990));
  EXPECT_EQ(venue_limit_price(m, Side::buy, Price::from_ticks(5'050)), Price::from_ticks(5'000));
}

TEST(LiveBackend, UrlOriginDropsThePathAndAuthorityTheScheme) {
  EXPECT_EQ(url_origin("https://api.elections.kalshi.com/trade-api/v2"), "https://api.elections.kalshi.com");
  EXPECT_EQ(url_origin("http://127.0.0.1:9102"), "http://127.0.0.1:9102");
  EXPECT_EQ(url_authority("http://127.0.0.1:9101/trade-api/v2"), "127.0.0.1:9101");
}

}  // namespace
}  // namespace pmx::app
