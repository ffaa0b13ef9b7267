#include "pmx/strategy/exit_policy.h"

#include <gtest/gtest.h>

#include "strategy_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;

constexpr WallNanos kEntry{1'800'000'000'000'000'000};
const Level kBid{dollars(0.60), contracts(100)};

ExitDecision decide(Level bid, const ExitPolicy& policy, bool invalidated = false,
                    WallNanos now = WallNanos{kEntry.ns + test::kHour}) {
  return decide_exit(dollars(0.60), bid, kEntry, now, invalidated, policy);
}

TEST(ExitPolicy, HoldsToResolutionByDefault) {
  EXPECT_EQ(decide(Level{dollars(0.01), contracts(1)}, ExitPolicy{}), ExitDecision{});
  EXPECT_EQ(decide(Level{dollars(0.99), contracts(1)}, ExitPolicy{}, false,
                   WallNanos{kEntry.ns + 1000 * test::kHour}),
            ExitDecision{});
}

TEST(ExitPolicy, ExitsAtTheBidWhenTheThesisIsInvalidated) {
  const ExitDecision d = decide(kBid, ExitPolicy{}, true);
  EXPECT_EQ(d.action, ExitAction::exit);
  EXPECT_EQ(d.reason, ExitReason::thesis_invalidated);
  EXPECT_EQ(d.limit_price, dollars(0.60));
  EXPECT_EQ(d.available, contracts(100));
}

TEST(ExitPolicy, WaitsForABidWhenThereIsNothingToSellInto) {
  const ExitDecision d = decide(Level{}, ExitPolicy{}, true);
  EXPECT_EQ(d.action, ExitAction::wait_for_bid);
  EXPECT_EQ(d.reason, ExitReason::thesis_invalidated);
}

TEST(ExitPolicy, StopLossFiresAtEntryMinusTheStopAndNotAbove) {
  const ExitPolicy policy{dollars(0.10), Price{}, 0};
  EXPECT_EQ(decide(Level{dollars(0.51), contracts(1)}, policy).action, ExitAction::hold);
  const ExitDecision d = decide(Level{dollars(0.50), contracts(1)}, policy);
  EXPECT_EQ(d.action, ExitAction::exit);
  EXPECT_EQ(d.reason, ExitReason::stop_loss);
  EXPECT_EQ(d.limit_price, dollars(0.50));
}

TEST(ExitPolicy, TakeProfitFiresAtEntryPlusTheTargetAndNotBelow) {
  const ExitPolicy policy{Price{}, dollars(0.20), 0};
  EXPECT_EQ(decide(Level{dollars(0.79), contracts(1)}, policy).action, ExitAction::hold);
  EXPECT_EQ(decide(Level{dollars(0.80), contracts(1)}, policy).reason, ExitReason::take_profit);
}

TEST(ExitPolicy, TimeoutFiresOnceTheHoldingTimeIsReached) {
  const ExitPolicy policy{Price{}, Price{}, 2 * test::kHour};
  EXPECT_EQ(decide(kBid, policy, false, WallNanos{kEntry.ns + 2 * test::kHour - 1}).action, ExitAction::hold);
  EXPECT_EQ(decide(kBid, policy, false, WallNanos{kEntry.ns + 2 * test::kHour}).reason, ExitReason::timeout);
}

TEST(ExitPolicy, InvalidationTakesPrecedenceOverTheOtherReasons) {
  const ExitPolicy policy{dollars(0.10), dollars(0.10), 1};
  EXPECT_EQ(decide(Level{dollars(0.40), contracts(1)}, policy, true).reason, ExitReason::thesis_invalidated);
  EXPECT_EQ(decide(Level{dollars(0.40), contracts(1)}, policy, false).reason, ExitReason::stop_loss);
}

TEST(ExitPolicy, PoliciesAreKeptPerStrategy) {
  ExitPolicies policies;
  policies[StrategyKind::grinding].stop_loss = dollars(0.05);
  EXPECT_EQ(policies[StrategyKind::grinding].stop_loss, dollars(0.05));
  EXPECT_EQ(policies[StrategyKind::bundle_arb], ExitPolicy{});
}

}  // namespace
}  // namespace pmx
