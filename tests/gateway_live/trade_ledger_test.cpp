// TradeLedger: each (trade, order) pair found again, distinct pairs kept apart, oldest evicted.
#include "pmx/gateway/live/trade_ledger.h"

#include <string>

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

TEST(TradeLedger, FindsAPairItRecorded) {
  TradeLedger ledger(8);
  TradeRecord* r = ledger.add("t1", "0xa");
  ASSERT_NE(r, nullptr);
  r->qty = Qty::contracts(3);
  ASSERT_NE(ledger.find("t1", "0xa"), nullptr);
  EXPECT_EQ(ledger.find("t1", "0xa")->qty, Qty::contracts(3));
}

TEST(TradeLedger, OneTradeWithTwoOrdersIsTwoRecords) {
  TradeLedger ledger(8);
  ledger.add("t1", "0xa");
  EXPECT_EQ(ledger.find("t1", "0xb"), nullptr);
  EXPECT_EQ(ledger.find("t2", "0xa"), nullptr);
}

TEST(TradeLedger, ForgetsTheOldestPairWhenFull) {
  TradeLedger ledger(4);
  for (int i = 0; i < 6; ++i)
    ledger.add("t" + std::to_string(i), "0xa");
  EXPECT_EQ(ledger.find("t0", "0xa"), nullptr);
  EXPECT_EQ(ledger.find("t1", "0xa"), nullptr);
  for (int i = 2; i < 6; ++i)
    EXPECT_NE(ledger.find("t" + std::to_string(i), "0xa"), nullptr) << i;
  EXPECT_EQ(ledger.size(), 4u);
  EXPECT_EQ(ledger.evicted(), 2u);
}

TEST(TradeLedger, RefusesAnIdTooLongToKeep) {
  TradeLedger ledger(4);
  EXPECT_EQ(ledger.add(std::string(kMaxTradeIdChars + 1, 'x'), "0xa"), nullptr);
}

}  // namespace
}  // namespace pmx::gateway
