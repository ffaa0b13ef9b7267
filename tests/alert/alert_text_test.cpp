#include "pmx/alert/alert_text.h"

#include <climits>

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(AlertText, MoneyKeepsTwoDecimalsAndGroupsThousands) {
  EXPECT_EQ(money_text(Money::from_micros(1'234'560'000)), "$1,234.56");
  EXPECT_EQ(money_text(Money::from_micros(310'000)), "$0.31");
  EXPECT_EQ(money_text(Money{}), "$0.00");
  EXPECT_EQ(money_text(Money::dollars(1'000'000)), "$1,000,000.00");
}

TEST(AlertText, MoneyShowsSubCentDigitsExactly) {
  EXPECT_EQ(money_text(Money::from_micros(312'345)), "$0.312345");
  EXPECT_EQ(money_text(Money::from_micros(-310'500)), "-$0.3105");
  EXPECT_EQ(money_text(Money::from_micros(1)), "$0.000001");
}

TEST(AlertText, MoneyPrintsTheMostNegativeValueWithoutOverflow) {
  EXPECT_EQ(money_text(Money::from_micros(INT64_MIN)), "-$9,223,372,036,854.775808");
}

TEST(AlertText, SignedMoneyMarksGainsWithPlus) {
  EXPECT_EQ(signed_money_text(Money::from_micros(5'700'000)), "+$5.70");
  EXPECT_EQ(signed_money_text(Money::from_micros(-1'200'000)), "-$1.20");
  EXPECT_EQ(signed_money_text(Money{}), "+$0.00");
}

TEST(AlertText, PricesShowCentsAndFinerTicks) {
  EXPECT_EQ(price_text(Price::from_ticks(4200)), "$0.42");
  EXPECT_EQ(price_text(Price::from_ticks(4250)), "$0.425");
  EXPECT_EQ(price_text(Price::from_ticks(1)), "$0.0001");
  EXPECT_EQ(price_text(Price::from_ticks(10'000)), "$1.00");
}

TEST(AlertText, QuantitiesDropTrailingZeros) {
  EXPECT_EQ(qty_text(Qty::contracts(10)), "10");
  EXPECT_EQ(qty_text(Qty::from_units(10'500'000)), "10.5");
  EXPECT_EQ(qty_text(Qty::from_units(1)), "0.000001");
  EXPECT_EQ(qty_text(Qty::contracts(12'345)), "12,345");
}

}  // namespace
}  // namespace pmx
