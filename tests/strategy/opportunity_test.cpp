#include "pmx/strategy/opportunity.h"

#include <cstring>
#include <set>

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(OpportunitySequence, IdsAreUniqueAcrossStrategiesWithoutSharedState) {
  OpportunitySequence grinding(StrategyKind::grinding);
  OpportunitySequence bundle(StrategyKind::bundle_arb);
  std::set<uint64_t> ids;
  for (int i = 0; i < 100; ++i) {
    ids.insert(grinding.next());
    ids.insert(bundle.next());
  }
  EXPECT_EQ(ids.size(), 200u);
  EXPECT_NE(*ids.begin(), 0u);  // 0 means "no id"
}

TEST(Opportunity, CopiesBytewiseLikeARingRecord) {
  Opportunity a;
  a.id = 7;
  a.leg_count = 2;
  a.legs[1].qty = Qty::contracts(3);
  a.expected_value = Money::dollars(1);
  Opportunity b;
  std::memcpy(&b, &a, sizeof a);
  EXPECT_EQ(a, b);
}

TEST(Opportunity, OutlayIsCostPlusFees) {
  Opportunity o;
  o.total_cost = Money::dollars(90);
  o.total_fees = Money::from_micros(1'500'000);
  EXPECT_EQ(o.outlay(), Money::from_micros(91'500'000));
}

TEST(Verdict, FurthestPrefersTheVerdictThatGotFurther) {
  EXPECT_EQ(furthest(Verdict::stale_book, Verdict::no_edge), Verdict::no_edge);
  EXPECT_EQ(furthest(Verdict::below_min_ev, Verdict::no_edge), Verdict::below_min_ev);
  EXPECT_EQ(furthest(Verdict::insufficient_liquidity, Verdict::emitted), Verdict::emitted);
  EXPECT_EQ(furthest(Verdict::bad_input, Verdict::stale_book), Verdict::stale_book);
}

TEST(Verdict, CountersCountEachVerdict) {
  VerdictCounters counters;
  EXPECT_EQ(counters.count(Verdict::no_edge), Verdict::no_edge);
  counters.count(Verdict::no_edge);
  EXPECT_EQ(counters[Verdict::no_edge], 2u);
  EXPECT_EQ(counters[Verdict::emitted], 0u);
  EXPECT_EQ(to_string(Verdict::insufficient_liquidity), "insufficient_liquidity");
}

}  // namespace
}  // namespace pmx
