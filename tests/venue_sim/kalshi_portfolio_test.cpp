// The simulated Kalshi account: positions, exposure, realized P&L, fees and cash, exactly.
#include "kalshi_portfolio.h"

#include <gtest/gtest.h>

namespace {

using pmx::BookSide;
using pmx::sim::kalshi_taker_fee_micros;
using pmx::sim::KalshiPortfolio;

TEST(KalshiPortfolio, TakerFeeIsRoundedUpToATenThousandthOfADollar) {
  EXPECT_EQ(kalshi_taker_fee_micros(5'000, 1'000), 175'000);  // 10 @ $0.50: $0.175
  EXPECT_EQ(kalshi_taker_fee_micros(550, 100), 3'700);        // 1 @ $0.055: $0.0036378... -> $0.0037
}

TEST(KalshiPortfolio, AskWithoutYesOpensNoAtOneMinusThePrice) {
  KalshiPortfolio p(100'000'000);
  const auto r = p.apply_fill("T", BookSide::ask, 7'000, 1'000, false, 1);
  EXPECT_EQ(r.post_position, -1'000);
  EXPECT_EQ(p.balance(), 100'000'000 - 3'000 * 1'000);
  EXPECT_EQ(p.positions().at("T").exposure, 3'000'000);
}

TEST(KalshiPortfolio, BidClosesNoFirstAndRealizesItsProfit) {
  KalshiPortfolio p(100'000'000);
  (void)p.apply_fill("T", BookSide::ask, 7'000, 1'000, false, 1);  // long 10 NO at $0.30
  const auto r =
      p.apply_fill("T", BookSide::bid, 6'000, 1'500, false, 2);  // close 10 NO at $0.40, open 5 YES
  EXPECT_EQ(r.post_position, 500);
  const auto& pos = p.positions().at("T");
  EXPECT_EQ(pos.realized_pnl, 1'000'000);  // 10 × ($0.40 - $0.30)
  EXPECT_EQ(pos.exposure, 6'000 * 500);    // 5 YES at $0.60
  EXPECT_EQ(p.balance(), 100'000'000 - 3'000'000 + 4'000'000 - 3'000'000);
}

TEST(KalshiPortfolio, BalanceStaysOnTenThousandthsAndTheRemainderIsAFee) {
  KalshiPortfolio p(0);
  const auto r = p.apply_fill("T", BookSide::ask, 5'001, 1, false, 1);  // 0.01 NO at $0.4999: $0.004999
  EXPECT_EQ(p.balance(), -5'000);                                       // floored to $0.0001
  EXPECT_EQ(r.fee, 1);
}

}  // namespace
