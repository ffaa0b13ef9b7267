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

TEST(TradeLedger, AttributeNamesTheIntentOfARecordThatWaitedForItsOrder) {
  TradeLedger ledger(8);
  TradeRecord* r = ledger.add("t1", "0xa");
  ledger.await_intent(*r);
  OrderIntent intent;
  intent.intent_id = 7;
  intent.instrument = InstrumentId{3};
  intent.side = Side::sell;
  int failed = 0;
  ledger.attribute("0xa", intent, [&](const TradeRecord&) { ++failed; });
  EXPECT_EQ(r->intent_id, 7u);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(r->instrument, InstrumentId{3});
  EXPECT_EQ(r->side, Side::sell);
}

TEST(TradeLedger, AttributeLeavesTheRecordsOfOtherOrdersAlone) {
  TradeLedger ledger(8);
  TradeRecord* r = ledger.add("t1", "0xa");
  ledger.await_intent(*r);
  OrderIntent intent;
  intent.intent_id = 7;
  ledger.attribute("0xb", intent, [](const TradeRecord&) {});
  EXPECT_EQ(r->intent_id, 0u);
  intent.intent_id = 8;
  ledger.attribute("0xa", intent, [](const TradeRecord&) {});
  EXPECT_EQ(r->intent_id, 8u);
}

TEST(TradeLedger, AttributeHandsOverARecordWhoseTradeFailedMeanwhile) {
  TradeLedger ledger(8);
  TradeRecord* r = ledger.add("t1", "0xa");
  r->counted = true;
  ledger.await_intent(*r);
  r->failed = true;
  OrderIntent intent;
  intent.intent_id = 7;
  uint64_t failed_intent = 0;
  ledger.attribute("0xa", intent, [&](const TradeRecord& x) { failed_intent = x.intent_id; });
  EXPECT_EQ(failed_intent, 7u);
}

}  // namespace
}  // namespace pmx::gateway
