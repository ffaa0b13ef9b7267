#include "pmx/model/kelly.h"

#include <gtest/gtest.h>

#include "model_test_util.h"

namespace pmx {
namespace {

using model_test::dollars;
Money usd(double d) {
  return Money::from_micros(static_cast<int64_t>(d * 1e6 + 0.5));
}

// A Kalshi taker buy of YES at $0.50 with the shipped KellyConfig.
KellyInputs kalshi_at_50c(double p, double capital) {
  KellyInputs in;
  in.win_probability = p;
  in.venue = Venue::kalshi;
  in.price = dollars(0.50);
  in.liquidity = Liquidity::taker;
  in.capital = usd(capital);
  return in;
}

// ---- full Kelly ----

TEST(FullKelly, WorkedExampleWithTheOneContractKalshiFee) {
  // p = 0.60, price $0.50. Kalshi taker fee on 1 contract: 0.07 x 1 x 0.5 x 0.5 = $0.0175,
  // rounded up to the cent = $0.02. Cost c = $0.52, payout w = $1.
  //   b = (w - c) / c = 0.48 / 0.52 = 12/13,  q = 0.40
  //   f* = (b p - q) / b = (12/13 x 0.6 - 0.4) / (12/13) = (7.2 - 5.2) / 12 = 1/6 = 0.1667
  // Without the fee it would be (0.6 - 0.5) / 0.5 = 0.20.
  EXPECT_NEAR(full_kelly_fraction(0.60, 0.52, 1.0), 1.0 / 6.0, 1e-12);
  EXPECT_NEAR(full_kelly_fraction(0.60, 0.50, 1.0), 0.20, 1e-12);
}

TEST(FullKelly, ASettlementFeeLowersThePayoutAndTheStake) {
  // w = 0.99: (0.6 x 0.99 - 0.52) / (0.99 - 0.52) = 0.074 / 0.47.
  EXPECT_NEAR(full_kelly_fraction(0.60, 0.52, 0.99), 0.074 / 0.47, 1e-12);
}

TEST(FullKelly, IsZeroWithoutAnEdge) {
  EXPECT_EQ(full_kelly_fraction(0.52, 0.52, 1.0), 0.0);
  EXPECT_EQ(full_kelly_fraction(0.40, 0.52, 1.0), 0.0);
  EXPECT_EQ(full_kelly_fraction(0.90, 1.0, 1.0), 0.0);  // costs the whole payout
  EXPECT_EQ(full_kelly_fraction(0.90, 0.0, 1.0), 0.0);
}

TEST(KellyMultiplier, SwitchesToRecoveryAtTheDrawdownThreshold) {
  const KellyConfig config;
  EXPECT_DOUBLE_EQ(kelly_multiplier(config, 0.0), 0.5);
  EXPECT_DOUBLE_EQ(kelly_multiplier(config, 4.99), 0.5);
  EXPECT_DOUBLE_EQ(kelly_multiplier(config, 5.0), 0.1);
  EXPECT_DOUBLE_EQ(kelly_multiplier(config, 12.0), 0.1);
}

TEST(MarginalFee, IsTheKalshiRateWithoutTheCentRounding) {
  EXPECT_NEAR(marginal_fee_per_contract(Venue::kalshi, dollars(0.50), Liquidity::taker, FeeParams{}), 0.0175,
              1e-9);
  EXPECT_EQ(marginal_fee_per_contract(Venue::polymarket, dollars(0.50), Liquidity::taker, FeeParams{}), 0.0);
}

// ---- sizing ----

TEST(KellySize, HalfKellyWorkedExample) {
  // p = 0.55, $0.50, capital $1,000, no drawdown.
  //   marginal fee 0.07 x 0.25 = $0.0175 -> c = $0.5175
  //   f* = (0.55 - 0.5175) / (1 - 0.5175) = 0.0325 / 0.4825 = 0.067358
  //   half Kelly f = 0.033679 (inside [0.001, 0.05]) -> budget $33.678756
  //   33.678756 / 0.5175 = 65.08 -> 65 contracts
  //   exact fee of 65: 0.07 x 65 x 0.25 = 1.1375 -> $1.14; cost 65 x 0.50 + 1.14 = $33.64 <= budget
  //   expected payout 0.55 x 65 = $35.75 > $33.64
  const KellySize size = kelly_size(kalshi_at_50c(0.55, 1000), KellyConfig{});
  ASSERT_EQ(size.reason, KellyReason::ok);
  EXPECT_NEAR(size.full_kelly, 0.0325 / 0.4825, 1e-9);
  EXPECT_NEAR(size.target_fraction, 0.5 * 0.0325 / 0.4825, 1e-9);
  EXPECT_FALSE(size.capped);
  EXPECT_EQ(size.qty, Qty::contracts(65));
  EXPECT_EQ(size.fee, usd(1.14));
  EXPECT_EQ(size.cost, usd(33.64));
}

TEST(KellySize, RecoveryModeStakesATenthOfKelly) {
  // Same trade at a 5% drawdown: f = 0.1 x 0.067358 = 0.0067358 -> budget $6.7358
  //   6.7358 / 0.5175 = 13.02 -> 13 contracts; fee 0.07 x 13 x 0.25 = 0.2275 -> $0.23;
  //   cost 6.50 + 0.23 = $6.73 <= budget.
  KellyInputs in = kalshi_at_50c(0.55, 1000);
  in.drawdown_pct = 5.0;
  const KellySize size = kelly_size(in, KellyConfig{});
  ASSERT_EQ(size.reason, KellyReason::ok);
  EXPECT_EQ(size.qty, Qty::contracts(13));
  EXPECT_EQ(size.fee, usd(0.23));
  EXPECT_EQ(size.cost, usd(6.73));
}

TEST(KellySize, CapsTheStakeAtTheMaximumFractionOfCapital) {
  // p = 0.60: f* = 0.0825 / 0.4825 = 0.170984, half = 0.085492 > 0.05 -> capped: budget $50.
  //   50 / 0.5175 = 96.6 -> 96 contracts; fee 0.07 x 96 x 0.25 = $1.68; cost 48 + 1.68 = $49.68.
  const KellySize size = kelly_size(kalshi_at_50c(0.60, 1000), KellyConfig{});
  ASSERT_EQ(size.reason, KellyReason::ok);
  EXPECT_TRUE(size.capped);
  EXPECT_DOUBLE_EQ(size.target_fraction, 0.05);
  EXPECT_EQ(size.qty, Qty::contracts(96));
  EXPECT_EQ(size.cost, usd(49.68));
}

TEST(KellySize, RefusesAStakeBelowTheMinimumFraction) {
  // p = 0.518: f* = 0.0005 / 0.4825 = 0.001036, half = 0.000518 < 0.001.
  const KellySize size = kelly_size(kalshi_at_50c(0.518, 1'000'000), KellyConfig{});
  EXPECT_EQ(size.reason, KellyReason::below_minimum);
  EXPECT_EQ(size.qty, Qty{});
}

TEST(KellySize, FeesCanRemoveTheEdge) {
  // p = 0.51 at $0.50: a 1c edge without fees, but 0.51 < 0.5175 with the Kalshi fee.
  KellyInputs in = kalshi_at_50c(0.51, 1000);
  EXPECT_EQ(kelly_size(in, KellyConfig{}).reason, KellyReason::no_edge);
  in.venue = Venue::polymarket;  // no fee rate on this market
  EXPECT_EQ(kelly_size(in, KellyConfig{}).reason, KellyReason::ok);
}

TEST(KellySize, ShedsContractsWhenTheRoundedFeeBreaksTheBudget) {
  // p = 0.60 is capped at 5%; capital $20.72 -> budget $1.036.
  //   At the marginal cost 1.036 / 0.5175 = 2.002 -> 2 contracts, but the exact fee of 2 is
  //   0.035 -> $0.04, so they cost $1.04 > $1.036. One contract: 0.50 + $0.02 = $0.52 fits.
  const KellySize size = kelly_size(kalshi_at_50c(0.60, 20.72), KellyConfig{});
  ASSERT_EQ(size.reason, KellyReason::ok);
  EXPECT_EQ(size.qty, Qty::contracts(1));
  EXPECT_EQ(size.fee, usd(0.02));
  EXPECT_EQ(size.cost, usd(0.52));
}

TEST(KellySize, RefusesWhenTheExactFeeLeavesNoExpectedProfit) {
  // p = 0.519: f* = 0.0015 / 0.4825 = 0.0031088, half = 0.0015544 -> budget $0.7772 -> 1 contract.
  //   Its exact fee is $0.02 (not the marginal $0.0175): cost $0.52 > expected payout $0.519.
  const KellySize size = kelly_size(kalshi_at_50c(0.519, 500), KellyConfig{});
  EXPECT_EQ(size.reason, KellyReason::fee_exceeds_edge);
  EXPECT_EQ(size.qty, Qty{});
}

TEST(KellySize, RefusesAStakeSmallerThanOneStep) {
  // Capital $10: budget 0.033679 x 10 = $0.34 < one contract at $0.5175.
  const KellySize size = kelly_size(kalshi_at_50c(0.55, 10), KellyConfig{});
  EXPECT_EQ(size.reason, KellyReason::below_step);
  EXPECT_EQ(size.qty, Qty{});
}

TEST(KellySize, RoundsDownToTheVenueQuantityStep) {
  // Kalshi fractional contracts (0.01): 33.678756 / 0.005175 = 6507.97 -> 65.07 contracts;
  //   fee 0.07 x 65.07 x 0.25 = 1.138725 -> $1.14; cost 32.535 + 1.14 = $33.675 <= budget.
  KellyInputs in = kalshi_at_50c(0.55, 1000);
  in.qty_step = Qty::from_units(10'000);
  const KellySize size = kelly_size(in, KellyConfig{});
  ASSERT_EQ(size.reason, KellyReason::ok);
  EXPECT_EQ(size.qty, Qty::from_units(65'070'000));
  EXPECT_EQ(size.cost, usd(33.675));
}

TEST(KellySize, RefusesNonsenseInputs) {
  const KellyConfig config;
  KellyInputs in = kalshi_at_50c(0.55, 1000);
  in.win_probability = 1.0;
  EXPECT_EQ(kelly_size(in, config).reason, KellyReason::invalid_input);
  in = kalshi_at_50c(0.0, 1000);
  EXPECT_EQ(kelly_size(in, config).reason, KellyReason::invalid_input);
  in = kalshi_at_50c(0.55, 0);
  EXPECT_EQ(kelly_size(in, config).reason, KellyReason::invalid_input);
  in = kalshi_at_50c(0.55, 1000);
  in.price = Price::one_dollar();
  EXPECT_EQ(kelly_size(in, config).reason, KellyReason::invalid_input);
  in = kalshi_at_50c(0.55, 1000);
  in.qty_step = Qty{};
  EXPECT_EQ(kelly_size(in, config).reason, KellyReason::invalid_input);
}

}  // namespace
}  // namespace pmx
