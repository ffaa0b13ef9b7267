// Correlation groups built from a market universe, and the group exposure cap.
#include "pmx/risk/correlation.h"

#include <gtest/gtest.h>

#include "risk_test_util.h"

namespace pmx {
namespace {

using test::kalshi_market;
using test::kNoon;
using test::kSecond;
using test::polymarket_token;
using test::usd;

constexpr int64_t kHour = 3600 * kSecond;

TEST(CorrelationGroups, MarketsOfOneEventShareAGroup) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("NATO-A", "NATO"));
  const InstrumentId b = universe.add_market(kalshi_market("NATO-B", "NATO"));
  const InstrumentId c = universe.add_market(kalshi_market("FED-25", "FED"));
  const CorrelationGroups groups(universe);
  EXPECT_EQ(groups.group_of(a), groups.group_of(b));
  EXPECT_NE(groups.group_of(a), groups.group_of(c));
  EXPECT_EQ(groups.group_count(), 2U);
  EXPECT_EQ(groups.group_size(groups.group_of(a)), 2U);
}

TEST(CorrelationGroups, TheSameEventKeyOnTwoVenuesIsNotOneEvent) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("X-1", "E1"));
  const InstrumentId b = universe.add_market(polymarket_token("123", "E1"));
  const CorrelationGroups groups(universe);
  EXPECT_NE(groups.group_of(a), groups.group_of(b));
}

TEST(CorrelationGroups, SameCategoryClosingWithinTheWindowShareAGroup) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("A", "EA", "Elections", kNoon));
  const InstrumentId b =
      universe.add_market(kalshi_market("B", "EB", "Elections", WallNanos{kNoon.ns + kHour}));
  const CorrelationGroups groups(universe, CorrelationOptions{3600});
  EXPECT_EQ(groups.group_of(a), groups.group_of(b));
}

TEST(CorrelationGroups, SameCategoryClosingJustOutsideTheWindowAreSeparate) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("A", "EA", "Elections", kNoon));
  const InstrumentId b =
      universe.add_market(kalshi_market("B", "EB", "Elections", WallNanos{kNoon.ns + kHour + 1}));
  const CorrelationGroups groups(universe, CorrelationOptions{3600});
  EXPECT_NE(groups.group_of(a), groups.group_of(b));
}

TEST(CorrelationGroups, DifferentCategoriesClosingTogetherAreSeparate) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("A", "EA", "Elections", kNoon));
  const InstrumentId b = universe.add_market(kalshi_market("B", "EB", "Weather", kNoon));
  const CorrelationGroups groups(universe);
  EXPECT_NE(groups.group_of(a), groups.group_of(b));
}

TEST(CorrelationGroups, CategoryGroupsChainThroughCloseNeighbours) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("A", "EA", "Crypto", kNoon));
  universe.add_market(kalshi_market("B", "EB", "Crypto", WallNanos{kNoon.ns + kHour}));
  const InstrumentId c =
      universe.add_market(kalshi_market("C", "EC", "Crypto", WallNanos{kNoon.ns + 2 * kHour}));
  const CorrelationGroups groups(universe, CorrelationOptions{3600});
  EXPECT_EQ(groups.group_of(a), groups.group_of(c));
}

TEST(CorrelationGroups, PolymarketComplementTokensShareAGroup) {
  MarketUniverse universe;
  const InstrumentId yes = universe.add_market(polymarket_token("111", ""));
  MarketInfo no_token = polymarket_token("222", "");
  no_token.complement = yes;
  const InstrumentId no = universe.add_market(no_token);
  const CorrelationGroups groups(universe);
  EXPECT_EQ(groups.group_of(yes), groups.group_of(no));
}

TEST(CorrelationGroups, AnExplicitLinkJoinsACrossVenuePair) {
  MarketUniverse universe;
  const InstrumentId kalshi = universe.add_market(kalshi_market("FED-25", "FED"));
  const InstrumentId poly = universe.add_market(polymarket_token("999", "fed-decision"));
  const CorrelationGroups groups(universe, CorrelationOptions{}, {{kalshi, poly}});
  EXPECT_EQ(groups.group_of(kalshi), groups.group_of(poly));
}

TEST(CorrelationGroups, AnUnknownInstrumentHasNoGroup) {
  MarketUniverse universe;
  universe.add_market(kalshi_market("A", "EA"));
  const CorrelationGroups groups(universe);
  EXPECT_FALSE(groups.group_of(InstrumentId{7}).valid());
  EXPECT_FALSE(groups.group_of(InstrumentId{}).valid());
}

TEST(CorrelationGroups, ExposureSumsTheMembersChanges) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("NATO-A", "NATO"));
  const InstrumentId b = universe.add_market(kalshi_market("NATO-B", "NATO"));
  const InstrumentId c = universe.add_market(kalshi_market("FED-25", "FED"));
  CorrelationGroups groups(universe);
  groups.apply(a, usd(100));
  groups.apply(b, usd(250));
  groups.apply(a, usd(-40));
  groups.apply(c, usd(5));
  EXPECT_EQ(groups.exposure(groups.group_of(a)), usd(310));
  EXPECT_EQ(groups.exposure(groups.group_of(c)), usd(5));
}

TEST(CorrelationGroups, HeadroomIsTheCapOfCapitalMinusExposure) {
  MarketUniverse universe;
  const InstrumentId a = universe.add_market(kalshi_market("NATO-A", "NATO"));
  CorrelationGroups groups(universe);
  groups.apply(a, usd(1000));
  EXPECT_EQ(groups.cap(Money::dollars(10'000), 25.0), usd(2500));
  EXPECT_EQ(groups.headroom(groups.group_of(a), Money::dollars(10'000), 25.0), usd(1500));
  groups.apply(a, usd(2000));
  EXPECT_EQ(groups.headroom(groups.group_of(a), Money::dollars(10'000), 25.0), usd(-500));
}

}  // namespace
}  // namespace pmx
