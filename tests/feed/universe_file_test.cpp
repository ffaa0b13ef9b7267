// The universe file: save_universe / load_universe keep every MarketInfo and EventInfo field and
// every instrument's id.
#include "pmx/feed/universe_file.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace pmx {
namespace {

bool same_market(const MarketInfo& a, const MarketInfo& b) {
  return a.id == b.id && a.venue == b.venue && a.status == b.status && a.key == b.key &&
         a.event_key == b.event_key && a.series_key == b.series_key && a.market_key == b.market_key &&
         a.title == b.title && a.category == b.category && a.outcome_name == b.outcome_name &&
         a.complement == b.complement && a.tick == b.tick && a.tick_bands == b.tick_bands &&
         a.close_time == b.close_time && a.strike_type == b.strike_type && a.floor_strike == b.floor_strike &&
         a.cap_strike == b.cap_strike && a.mutually_exclusive == b.mutually_exclusive && a.fees == b.fees;
}

// Two Kalshi markets of a strike ladder with tick bands and maker fees, an instrument registered
// without a MarketInfo (a gap), and a Polymarket YES/NO token pair of a neg-risk event.
MarketUniverse sample_universe() {
  MarketUniverse u;
  MarketInfo a;
  a.venue = Venue::kalshi;
  a.status = MarketStatus::open;
  a.key = "KXBTC-26NOV24-T97000";
  a.event_key = "KXBTC-26NOV24";
  a.series_key = "KXBTC";
  a.market_key = a.key;
  a.title = "Bitcoin above $97,000 \"at\" 5pm? <é>";
  a.category = "Crypto";
  a.outcome_name = "Above 97000";
  a.tick = Price::from_ticks(10);
  a.tick_bands = {{Price::from_ticks(0), Price::from_ticks(1000), Price::from_ticks(10)},
                  {Price::from_ticks(1000), Price::from_ticks(9000), Price::from_ticks(100)}};
  a.close_time = WallNanos{1'795'539'600'000'000'000};
  a.strike_type = StrikeType::greater;
  a.floor_strike = 97000.1;
  a.cap_strike = 0.1 + 0.2;  // not exactly 0.3: the round trip must keep every bit
  a.fees.kalshi_multiplier = 0.5;
  a.fees.kalshi_maker_fees = true;
  const InstrumentId ia = u.add_market(a);
  u.instruments().add(Venue::kalshi, "KXEXTRA-1");  // a feed's ticker with no market info
  MarketInfo b = a;
  b.key = b.market_key = "KXBTC-26NOV24-T98000";
  b.floor_strike = 98000;
  b.strike_type = StrikeType::between;
  const InstrumentId ib = u.add_market(b);
  MarketInfo yes;
  yes.venue = Venue::polymarket;
  yes.status = MarketStatus::paused;
  yes.key = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
  yes.event_key = "presidential-election-2028";
  yes.market_key = "0xabc";
  yes.outcome_name = "Yes";
  yes.tick = Price::from_ticks(1);
  yes.mutually_exclusive = true;
  yes.fees.polymarket_rate = 0.0625;
  yes.fees.polymarket_exponent = 2;
  MarketInfo no = yes;
  no.key = "52114319501245915516055106046884209969926127482827954674443846427813813222426";
  no.outcome_name = "No";
  const InstrumentId iyes = u.add_market(yes);
  const InstrumentId ino = u.add_market(no);
  u.mutable_market(iyes)->complement = ino;
  u.mutable_market(ino)->complement = iyes;
  u.add_event(EventInfo{Venue::kalshi, "KXBTC-26NOV24", "Bitcoin at 5pm", false, {ia, ib}});
  u.add_event(EventInfo{Venue::polymarket, "presidential-election-2028", "Who wins", true, {iyes}});
  return u;
}

TEST(UniverseFile, RoundTripKeepsEveryMarketField) {
  const MarketUniverse original = sample_universe();
  const MarketUniverse loaded = universe_from_json(universe_to_json(original), "<test>");
  ASSERT_EQ(loaded.markets().size(), original.markets().size());
  for (size_t i = 0; i < original.markets().size(); ++i)
    EXPECT_TRUE(same_market(loaded.markets()[i], original.markets()[i])) << "market " << i;
}

TEST(UniverseFile, RoundTripKeepsEveryInstrumentIdIncludingGaps) {
  const MarketUniverse original = sample_universe();
  const MarketUniverse loaded = universe_from_json(universe_to_json(original), "<test>");
  ASSERT_EQ(loaded.instruments().size(), original.instruments().size());
  for (uint32_t i = 0; i < original.instruments().size(); ++i) {
    EXPECT_EQ(loaded.instruments().key(InstrumentId{i}), original.instruments().key(InstrumentId{i}));
    EXPECT_EQ(loaded.instruments().venue(InstrumentId{i}), original.instruments().venue(InstrumentId{i}));
  }
  EXPECT_EQ(loaded.market(InstrumentId{1}), nullptr) << "the gap stays a gap";
}

TEST(UniverseFile, RoundTripKeepsEveryEventField) {
  const MarketUniverse original = sample_universe();
  const MarketUniverse loaded = universe_from_json(universe_to_json(original), "<test>");
  ASSERT_EQ(loaded.events().size(), original.events().size());
  for (size_t i = 0; i < original.events().size(); ++i) {
    const EventInfo& a = original.events()[i];
    const EventInfo& b = loaded.events()[i];
    EXPECT_EQ(a.venue, b.venue);
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.title, b.title);
    EXPECT_EQ(a.mutually_exclusive, b.mutually_exclusive);
    EXPECT_EQ(a.members, b.members);
  }
}

TEST(UniverseFile, SavedTextIsStable) {
  EXPECT_EQ(universe_to_json(sample_universe()),
            universe_to_json(universe_from_json(universe_to_json(sample_universe()), "<test>")));
}

TEST(UniverseFile, SaveThenLoadThroughAFile) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("pmx_universe_" + std::to_string(::getpid()) + ".json");
  save_universe(sample_universe(), path);
  const MarketUniverse loaded = load_universe(path);
  std::filesystem::remove(path);
  EXPECT_EQ(loaded.size(), sample_universe().size());
  EXPECT_EQ(loaded.find(Venue::kalshi, "KXBTC-26NOV24-T98000"), InstrumentId{2});
}

TEST(UniverseFile, MissingFieldIsRefusedWithItsName) {
  std::string text = universe_to_json(sample_universe());
  const size_t at = text.find("\"close_time_ns\"");
  text.replace(at, 15, "\"closing_time\"");
  try {
    (void)universe_from_json(text, "u.json");
    FAIL() << "accepted a market without close_time_ns";
  } catch (const UniverseFileError& e) {
    EXPECT_NE(std::string(e.what()).find("u.json: markets[0]: missing \"close_time_ns\""), std::string::npos)
        << e.what();
  }
}

TEST(UniverseFile, NotJsonIsRefused) {
  EXPECT_THROW((void)universe_from_json("{\"format\":", "x"), UniverseFileError);
}

TEST(UniverseFile, OtherVersionIsRefused) {
  EXPECT_THROW((void)universe_from_json(R"({"format":"pmx-universe","version":2})", "x"), UniverseFileError);
}

TEST(UniverseFile, MemberIdOutsideTheTableIsRefused) {
  MarketUniverse u = sample_universe();
  u.add_event(EventInfo{Venue::kalshi, "BAD", "", false, {InstrumentId{99}}});
  EXPECT_THROW((void)universe_from_json(universe_to_json(u), "x"), UniverseFileError);
}

TEST(UniverseFile, CopyOutlivesItsSource) {
  MarketUniverse copy;
  {
    const MarketUniverse source = sample_universe();
    copy = copy_universe(source);
  }
  EXPECT_EQ(copy.instruments().key(InstrumentId{2}), "KXBTC-26NOV24-T98000");
  EXPECT_EQ(copy.find(Venue::kalshi, "KXEXTRA-1"), InstrumentId{1});
  EXPECT_EQ(copy.events().size(), 2u);
}

TEST(UniverseFile, MissingFileIsRefused) {
  EXPECT_THROW((void)load_universe("/nonexistent/pmx-universe.json"), UniverseFileError);
}

}  // namespace
}  // namespace pmx
