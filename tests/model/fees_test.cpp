#include "pmx/model/fees.h"

#include <gtest/gtest.h>

#include "model_test_util.h"

namespace pmx {
namespace {

using model_test::dollars;

TEST(KalshiFee, SpecWorkedExampleTenAtFiftyCents) {
  FeeParams fees;
  fees.kalshi_maker_fees = true;
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::contracts(10), Liquidity::taker, fees),
            Money::from_micros(180'000));
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::contracts(10), Liquidity::maker, fees),
            Money::from_micros(50'000));
}

TEST(KalshiFee, MakerFreeUnlessTheSeriesChargesMakers) {
  FeeParams fees;  // kalshi_maker_fees = false
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::contracts(10), Liquidity::maker, fees), Money{});
}

TEST(KalshiFee, RoundsUpToTheCent) {
  FeeParams fees;
  // 1 x 0.07 x 0.99 x 0.01 = 0.000693 -> $0.01
  EXPECT_EQ(kalshi_fee(dollars(0.99), Qty::contracts(1), Liquidity::taker, fees), Money::from_micros(10'000));
  // 100 x 0.07 x 0.25 = 1.75 exactly -> $1.75
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::contracts(100), Liquidity::taker, fees),
            Money::from_micros(1'750'000));
  // fractional contracts (2 decimals): 0.5 x 0.07 x 0.25 = 0.00875 -> $0.01
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::from_units(500'000), Liquidity::taker, fees),
            Money::from_micros(10'000));
}

TEST(KalshiFee, MultiplierScalesTheCoefficient) {
  FeeParams fees;
  fees.kalshi_multiplier = 0.5;  // 10 x 0.035 x 0.25 = 0.0875 -> $0.09
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::contracts(10), Liquidity::taker, fees),
            Money::from_micros(90'000));
}

TEST(KalshiFee, ZeroAtTheEdgesAndForNothing) {
  FeeParams fees;
  EXPECT_EQ(kalshi_fee(dollars(1.0), Qty::contracts(10), Liquidity::taker, fees), Money{});
  EXPECT_EQ(kalshi_fee(dollars(0.0), Qty::contracts(10), Liquidity::taker, fees), Money{});
  EXPECT_EQ(kalshi_fee(dollars(0.5), Qty{}, Liquidity::taker, fees), Money{});
  EXPECT_EQ(kalshi_fee(dollars(0.5), Qty::contracts(-3), Liquidity::taker, fees), Money{});
}

TEST(KalshiFee, LargeSizesDoNotOverflow) {
  FeeParams fees;
  // 10^6 contracts at $0.50: 0.07 x 10^6 x 0.25 = $17,500
  EXPECT_EQ(kalshi_fee(dollars(0.50), Qty::contracts(1'000'000), Liquidity::taker, fees),
            Money::dollars(17'500));
}

TEST(PolymarketFee, ZeroWithoutARate) {
  FeeParams fees;
  EXPECT_EQ(polymarket_fee(dollars(0.40), Qty::contracts(100), Liquidity::taker, fees), Money{});
}

TEST(PolymarketFee, RateTimesVarianceToTheExponentPerShare) {
  FeeParams fees;
  fees.polymarket_rate = 0.02;
  fees.polymarket_exponent = 1.0;
  // 100 shares x 0.02 x (0.4 x 0.6) = $0.48
  EXPECT_EQ(polymarket_fee(dollars(0.40), Qty::contracts(100), Liquidity::taker, fees),
            Money::from_micros(480'000));
  fees.polymarket_exponent = 2.0;  // 100 x 0.02 x 0.0576 = $0.1152
  EXPECT_EQ(polymarket_fee(dollars(0.40), Qty::contracts(100), Liquidity::taker, fees),
            Money::from_micros(115'200));
  EXPECT_EQ(polymarket_fee(dollars(0.40), Qty::contracts(100), Liquidity::maker, fees), Money{});
}

TEST(TradingFee, DispatchesByVenue) {
  FeeParams fees;
  fees.polymarket_rate = 0.02;
  EXPECT_EQ(trading_fee(Venue::kalshi, dollars(0.5), Qty::contracts(10), Liquidity::taker, fees),
            Money::from_micros(180'000));
  EXPECT_EQ(trading_fee(Venue::polymarket, dollars(0.5), Qty::contracts(10), Liquidity::taker, fees),
            Money::from_micros(50'000));
}

}  // namespace
}  // namespace pmx
