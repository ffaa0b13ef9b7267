#include "pmx/strategy/cross_venue_mapping.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "cross_venue_csv.h"

namespace pmx {
namespace {

const RefusedPair* refusal(const CrossVenueMapping& m, std::string_view name) {
  const auto it =
      std::find_if(m.refused.begin(), m.refused.end(), [&](const RefusedPair& r) { return r.name == name; });
  return it == m.refused.end() ? nullptr : &*it;
}

bool accepted(const CrossVenueMapping& m, std::string_view ticker) {
  return std::any_of(m.pairs.begin(), m.pairs.end(),
                     [&](const CrossVenuePair& p) { return p.kalshi_ticker == ticker; });
}

constexpr std::string_view kGoodPair = R"(
[[pair]]
name = "hawley-2028-gop-nominee"
equivalent = true
[pair.kalshi]
ticker = "KXPRESNOMR-28-JH"
resolution_source = "Republican nominee"
resolution_date = 2028-11-07T15:00:00Z
[pair.polymarket]
yes_token = "111"
no_token = "222"
resolution_source = "Republican nominee"
resolution_date = 2028-11-07
)";

std::string with(std::string_view from, std::string_view to) {
  std::string text(kGoodPair);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(CrossVenueMapping, AcceptsAPairWithEveryCheckSatisfied) {
  const CrossVenueMapping m = parse_cross_venue_mapping(kGoodPair, "test.toml");
  ASSERT_EQ(m.pairs.size(), 1u) << (m.refused.empty() ? "" : m.refused[0].reason);
  const CrossVenuePair& p = m.pairs[0];
  EXPECT_EQ(p.name, "hawley-2028-gop-nominee");
  EXPECT_EQ(p.kalshi_ticker, "KXPRESNOMR-28-JH");
  EXPECT_EQ(p.polymarket_yes_token, "111");
  EXPECT_EQ(p.polymarket_no_token, "222");
  EXPECT_EQ(format_utc(p.kalshi_resolution_date), "2028-11-07T15:00:00Z");
  EXPECT_EQ(format_utc(p.polymarket_resolution_date), "2028-11-07T00:00:00Z");
}

TEST(CrossVenueMapping, RefusesAPairNotMarkedEquivalent) {
  const CrossVenueMapping m = parse_cross_venue_mapping(with("equivalent = true", "equivalent = false"), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason, "equivalent is not true");
}

TEST(CrossVenueMapping, RefusesAPairWithoutTheEquivalentKey) {
  const CrossVenueMapping m = parse_cross_venue_mapping(with("equivalent = true\n", ""), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason, "equivalent is not true");
}

TEST(CrossVenueMapping, RefusesEquivalentWrittenAsAString) {
  const CrossVenueMapping m =
      parse_cross_venue_mapping(with("equivalent = true", "equivalent = \"true\""), "t");
  EXPECT_EQ(m.refused.size(), 1u);
}

TEST(CrossVenueMapping, RefusesDatesFurtherApartThanTheAllowedGap) {
  const CrossVenueMapping m = parse_cross_venue_mapping(
      with("resolution_date = 2028-11-07\n", "resolution_date = 2028-11-09\n"), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(
      m.refused[0].reason,
      "resolution dates differ: kalshi 2028-11-07T15:00:00Z, polymarket 2028-11-09T00:00:00Z (33.0 h apart, "
      "more than 24 h)");
}

TEST(CrossVenueMapping, TheAllowedGapIsSetInTheFile) {
  const std::string strict = "max_resolution_gap_hours = 0\n" + std::string(kGoodPair);
  EXPECT_EQ(parse_cross_venue_mapping(strict, "t").refused.size(), 1u);  // 15 h apart
}

TEST(CrossVenueMapping, RefusesDifferentResolutionSources) {
  const CrossVenueMapping m = parse_cross_venue_mapping(
      with("resolution_source = \"Republican nominee\"\nresolution_date = 2028-11-07\n",
           "resolution_source = \"RNC delegate count\"\nresolution_date = 2028-11-07\n"),
      "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason,
            "resolution sources differ: kalshi \"Republican nominee\", polymarket \"RNC delegate count\"");
}

TEST(CrossVenueMapping, NamesEveryMissingKey) {
  const CrossVenueMapping m = parse_cross_venue_mapping(with("no_token = \"222\"\n", ""), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason, "polymarket.no_token is missing or not a non-empty string");
}

TEST(CrossVenueMapping, RefusesADateWrittenAsAString) {
  const CrossVenueMapping m = parse_cross_venue_mapping(
      with("resolution_date = 2028-11-07\n", "resolution_date = \"2028-11-07\"\n"), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason, "polymarket.resolution_date is missing or not a TOML date or date-time");
}

TEST(CrossVenueMapping, RefusesAnUnknownKeyRatherThanIgnoringATypo) {
  const CrossVenueMapping m =
      parse_cross_venue_mapping(with("equivalent = true", "equivalent = true\nequivalnt = 1"), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason, "pair has an unknown key \"equivalnt\"");
}

TEST(CrossVenueMapping, RefusesTheSameTokenForYesAndNo) {
  const CrossVenueMapping m =
      parse_cross_venue_mapping(with("no_token = \"222\"", "no_token = \"111\""), "t");
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_EQ(m.refused[0].reason, "polymarket yes_token and no_token are the same token");
}

TEST(CrossVenueMapping, RefusesASecondPairForTheSameTicker) {
  const std::string twice = std::string(kGoodPair) + std::string(kGoodPair);
  const CrossVenueMapping m = parse_cross_venue_mapping(twice, "t");
  EXPECT_EQ(m.pairs.size(), 1u);
  ASSERT_EQ(m.refused.size(), 1u);
  EXPECT_NE(m.refused[0].reason.find("already mapped"), std::string::npos);
}

TEST(CrossVenueMapping, ThrowsOnTextThatIsNotToml) {
  try {
    parse_cross_venue_mapping("[[pair]\nname = ", "pairs.toml");
    FAIL() << "no exception";
  } catch (const CrossVenueMappingError& e) {
    EXPECT_NE(std::string(e.what()).find("pairs.toml:1:"), std::string::npos) << e.what();
  }
}

TEST(CrossVenueMapping, ThrowsWhenPairIsNotAnArrayOfTables) {
  EXPECT_THROW(parse_cross_venue_mapping("pair = 3\n", "t"), CrossVenueMappingError);
  EXPECT_THROW(parse_cross_venue_mapping("pairs = []\n", "t"), CrossVenueMappingError);
  EXPECT_THROW(parse_cross_venue_mapping("max_resolution_gap_hours = -1\n", "t"), CrossVenueMappingError);
}

TEST(CrossVenueMapping, AnEmptyFileMapsNothing) {
  const CrossVenueMapping m = parse_cross_venue_mapping("", "t");
  EXPECT_TRUE(m.pairs.empty());
  EXPECT_TRUE(m.refused.empty());
}

TEST(CrossVenueMapping, ThrowsForAMissingFile) {
  EXPECT_THROW(load_cross_venue_mapping("/nonexistent/pairs.toml"), CrossVenueMappingError);
}

TEST(CrossVenueMapping, FormatsDatesInUtc) {
  EXPECT_EQ(format_utc(WallNanos{0}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(WallNanos{951'782'400'000'000'000}), "2000-02-29T00:00:00Z");
  EXPECT_EQ(format_utc(WallNanos{-1'000'000'000}), "1969-12-31T23:59:59Z");
}

// The nine real title-matched pairs. The README lists four that are unsafe (three by date, one by
// rule); the data itself shows three more whose dates differ by weeks or months (ALIE: 2027-10-27
// vs 2026-12-31, FPER: 2026-12-08 vs 2026-11-12, MB: 2027-10-25 vs 2026-10-04). Only the two
// nominee pairs, 15 h apart on the same day, survive.
class RealPairs : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test::cross_venue_csv_path())) {
      GTEST_SKIP() << "shared data absent: " << test::cross_venue_csv_path();
    }
    const auto rows = test::read_cross_venue_csv();
    ASSERT_EQ(rows.size(), 9u);
    mapping = parse_cross_venue_mapping(test::cross_venue_toml(rows), "kalshi_polymarket_pairs_2026-08-29");
  }
  CrossVenueMapping mapping;
};

TEST_F(RealPairs, RefusesThePairsWhoseResolutionDatesDiffer) {
  for (const std::string_view ticker : {"KXMLB-26-KC", "KXSB-27-BAL", "CONTROLH-2026-R"}) {
    const RefusedPair* r = refusal(mapping, ticker);
    ASSERT_NE(r, nullptr) << ticker;
    EXPECT_NE(r->reason.find("resolution dates differ"), std::string::npos) << r->reason;
  }
  EXPECT_EQ(refusal(mapping, "KXMLB-26-KC")->reason,
            "resolution dates differ: kalshi 2028-10-31T04:00:00Z, polymarket 2026-10-31T23:55:00Z (17524.1 "
            "h apart, "
            "more than 24 h)");
}

TEST_F(RealPairs, RefusesThePairWhoseRuleDiffers) {
  const RefusedPair* r = refusal(mapping, "KXPRESPERSON-28-NHAL");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->reason.find("resolution sources differ: kalshi \"Nikki Haley is inaugurated"),
            std::string::npos)
      << r->reason;
}

TEST_F(RealPairs, AcceptsOnlyTheTwoPairsThatResolveTogether) {
  EXPECT_EQ(mapping.pairs.size(), 2u);
  EXPECT_TRUE(accepted(mapping, "KXPRESNOMR-28-PHEG"));
  EXPECT_TRUE(accepted(mapping, "KXPRESNOMR-28-JH"));
  EXPECT_EQ(mapping.refused.size(), 7u);
  for (const std::string_view ticker : {"KXISRAELPM-26OCT27-ALIE", "KXMLBNLCY-26-FPER", "KXBRPRES-26-MB"}) {
    EXPECT_NE(refusal(mapping, ticker), nullptr) << ticker;
  }
}

}  // namespace
}  // namespace pmx

namespace pmx {
namespace {

TEST(CrossVenueMappingWriter, WhatItWritesTheLoaderReadsBack) {
  CrossVenuePairClaim claim;
  claim.pair.name = "fed-cut \"dec\"";
  claim.pair.kalshi_ticker = "KXFED-26DEC-T4.00";
  claim.pair.polymarket_yes_token = "1234567890";
  claim.pair.polymarket_no_token = "9876543210";
  claim.pair.kalshi_resolution_source = "FOMC statement";
  claim.pair.polymarket_resolution_source = "FOMC statement";
  claim.pair.kalshi_resolution_date = WallNanos{1'797'000'000LL * 1'000'000'000};
  claim.pair.polymarket_resolution_date = WallNanos{1'797'003'600LL * 1'000'000'000};
  claim.equivalent = true;
  CrossVenuePairClaim refused = claim;
  refused.pair.name = "not the same";
  refused.pair.kalshi_ticker = "KXOTHER";
  refused.pair.polymarket_yes_token = "111";
  refused.pair.polymarket_no_token = "222";
  refused.equivalent = false;

  const CrossVenueMapping mapping = parse_cross_venue_mapping(
      format_cross_venue_mapping({claim, refused}, "generated\nby a test"), "w.toml");
  ASSERT_EQ(mapping.pairs.size(), 1u);
  const CrossVenuePair& p = mapping.pairs[0];
  EXPECT_EQ(p.name, claim.pair.name);
  EXPECT_EQ(p.kalshi_ticker, claim.pair.kalshi_ticker);
  EXPECT_EQ(p.polymarket_yes_token, claim.pair.polymarket_yes_token);
  EXPECT_EQ(p.polymarket_no_token, claim.pair.polymarket_no_token);
  EXPECT_EQ(p.kalshi_resolution_source, claim.pair.kalshi_resolution_source);
  EXPECT_EQ(p.kalshi_resolution_date, claim.pair.kalshi_resolution_date);
  EXPECT_EQ(p.polymarket_resolution_date, claim.pair.polymarket_resolution_date);
  ASSERT_EQ(mapping.refused.size(), 1u);
  EXPECT_EQ(mapping.refused[0].name, "not the same");
}

}  // namespace
}  // namespace pmx
