#include "pmx/gateway/polymarket_amounts.h"

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

constexpr Price kCent{100};

PolymarketAmounts amounts(Side side, int32_t price_ticks, int64_t size_units, int32_t tick_ticks) {
  PolymarketAmounts out;
  EXPECT_EQ(polymarket_limit_amounts(side, Price{price_ticks}, Qty{size_units}, Price{tick_ticks}, out),
            GatewayError::ok);
  return out;
}

TEST(PolymarketAmounts, BuyPaysCollateralForShares) {
  // The published example: BUY 100 shares at 0.50, tick 0.01.
  EXPECT_EQ(amounts(Side::buy, 5000, 100'000'000, 100), (PolymarketAmounts{50'000'000, 100'000'000}));
}

TEST(PolymarketAmounts, SellGivesSharesForCollateral) {
  EXPECT_EQ(amounts(Side::sell, 5000, 100'000'000, 100), (PolymarketAmounts{100'000'000, 50'000'000}));
}

TEST(PolymarketAmounts, RoundsTheSizeDownToHundredthsOfAShare) {
  // 12.3456 shares -> 12.34; at 0.57: 7.0338 collateral.
  EXPECT_EQ(amounts(Side::buy, 5700, 12'345'600, 100), (PolymarketAmounts{7'033'800, 12'340'000}));
}

TEST(PolymarketAmounts, RoundsThePriceHalfUpToTheTickDecimals) {
  // 0.565 with tick 0.01 (2 price decimals) -> 0.57.
  EXPECT_EQ(amounts(Side::buy, 5650, 10'000'000, 100), (PolymarketAmounts{5'700'000, 10'000'000}));
  // 0.5649 -> 0.56.
  EXPECT_EQ(amounts(Side::buy, 5649, 10'000'000, 100), (PolymarketAmounts{5'600'000, 10'000'000}));
}

TEST(PolymarketAmounts, KeepsEveryDigitOfAFineTickProduct) {
  // tick 0.0001: 1.23 shares at 0.0123 -> 0.015129 collateral, exact at 6 decimals.
  EXPECT_EQ(amounts(Side::buy, 123, 1'230'000, 1), (PolymarketAmounts{15'129, 1'230'000}));
}

TEST(PolymarketAmounts, UsesTheHalfCentTickConfig) {
  // tick 0.005 rounds prices to 3 decimals: 0.0525 -> 0.053; 2 shares -> 0.106.
  EXPECT_EQ(amounts(Side::sell, 525, 2'000'000, 50), (PolymarketAmounts{2'000'000, 106'000}));
}

TEST(PolymarketAmounts, RejectsAnUnknownTickSize) {
  PolymarketAmounts out;
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{5000}, Qty{1'000'000}, Price{200}, out),
            GatewayError::unknown_tick_size);
}

TEST(PolymarketAmounts, RejectsPricesOutsideOneTickFromTheEdges) {
  PolymarketAmounts out;
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{99}, Qty{1'000'000}, kCent, out),
            GatewayError::bad_price);
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{9901}, Qty{1'000'000}, kCent, out),
            GatewayError::bad_price);
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{100}, Qty{1'000'000}, kCent, out), GatewayError::ok);
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{9900}, Qty{1'000'000}, kCent, out), GatewayError::ok);
}

TEST(PolymarketAmounts, RejectsASizeThatRoundsToZeroShares) {
  PolymarketAmounts out;
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{5000}, Qty{9'999}, kCent, out), GatewayError::bad_size);
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{5000}, Qty{0}, kCent, out), GatewayError::bad_size);
  EXPECT_EQ(polymarket_limit_amounts(Side::buy, Price{5000}, Qty{-1'000'000}, kCent, out),
            GatewayError::bad_size);
}

TEST(PolymarketAmounts, LeavesTheOutputUntouchedOnError) {
  PolymarketAmounts out{1, 2};
  (void)polymarket_limit_amounts(Side::buy, Price{5000}, Qty{0}, kCent, out);
  EXPECT_EQ(out, (PolymarketAmounts{1, 2}));
}

}  // namespace
}  // namespace pmx::gateway
