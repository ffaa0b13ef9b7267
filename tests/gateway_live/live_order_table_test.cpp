// LiveOrderTable: the verbs the sessions call, and that each order ends exactly once.
#include "pmx/gateway/live/live_order_table.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace pmx::gateway {
namespace {

OrderIntent intent(uint64_t id, int64_t contracts = 10) {
  OrderIntent i;
  i.intent_id = id;
  i.qty = Qty::contracts(contracts);
  i.limit_price = Price::from_ticks(5000);
  return i;
}

VenueFill fill_of(int64_t contracts, int32_t ticks = 5000) {
  return VenueFill{Price::from_ticks(ticks), false, Qty::contracts(contracts), Money::from_micros(10),
                   Liquidity::taker};
}

struct Table {
  LiveOrderTable table{LiveOrderTableOptions{8, 0, 100, 4, 1000}};
  std::vector<ExecReport> reports;
  void drain() {
    table.drain([&](const ExecReport& r) { reports.push_back(r); });
  }
};

TEST(LiveOrderTable, CompleteFillIsTheTerminalReportAndFreesTheSlot) {
  Table t;
  LiveOrder* o = t.table.open(intent(1));
  t.table.accept(*o, 0);
  t.table.fill(*o, fill_of(4), 0);
  t.table.fill(*o, fill_of(6), 0);
  t.drain();
  ASSERT_EQ(t.reports.size(), 3u);
  EXPECT_EQ(t.reports[1].type, ExecType::partial_fill);
  EXPECT_EQ(t.reports[2].type, ExecType::fill);
  EXPECT_EQ(t.reports[2].cumulative_qty, Qty::contracts(10));
  EXPECT_EQ(t.table.open_orders(), 0u);
  EXPECT_EQ(t.table.by_intent(1), nullptr);
}

TEST(LiveOrderTable, FinishWaitsForTheFillsTheVenueCounted) {
  Table t;
  LiveOrder* o = t.table.open(intent(1));
  t.table.finish(*o, Qty::contracts(3), true, 0);
  t.drain();
  EXPECT_TRUE(t.reports.empty());
  t.table.fill(*o, fill_of(3), 1);
  t.drain();
  ASSERT_EQ(t.reports.size(), 2u);
  EXPECT_EQ(t.reports[1].type, ExecType::cancelled);
}

TEST(LiveOrderTable, MissingFillsAreSynthesisedAtTheAveragePriceAfterTheGrace) {
  Table t;
  LiveOrder* o = t.table.open(intent(1));
  o->average_price = Price::from_ticks(4900);
  t.table.finish(*o, Qty::contracts(10), true, 0);
  t.table.expire(99);
  t.drain();
  EXPECT_TRUE(t.reports.empty());
  t.table.expire(100);
  t.drain();
  ASSERT_EQ(t.reports.size(), 1u);
  EXPECT_EQ(t.reports[0].type, ExecType::fill);
  EXPECT_EQ(t.reports[0].fill_price, Price::from_ticks(4900));
}

TEST(LiveOrderTable, WithoutSynthesisTheGraceEndsTheOrderAsItIs) {
  Table t;
  LiveOrder* o = t.table.open(intent(1));
  t.table.fill(*o, fill_of(2), 0);
  t.table.finish(*o, Qty::contracts(10), false, 0);
  t.table.expire(100);
  t.drain();
  ASSERT_EQ(t.reports.size(), 2u);
  EXPECT_EQ(t.reports[1].type, ExecType::cancelled);
  EXPECT_EQ(t.reports[1].cumulative_qty, Qty::contracts(2));
}

TEST(LiveOrderTable, FillBeforeTheOrderIdIsHeldUntilBound) {
  Table t;
  LiveOrder* o = t.table.open(intent(1));
  t.table.fill_by_venue_id("v-1", fill_of(10), 0);
  t.drain();
  EXPECT_TRUE(t.reports.empty());
  t.table.bind_venue_id(*o, "v-1", 1);
  t.drain();
  ASSERT_EQ(t.reports.size(), 1u);
  EXPECT_EQ(t.reports[0].type, ExecType::fill);
}

TEST(LiveOrderTable, HeldFillNeverBoundIsCountedLate) {
  Table t;
  t.table.fill_by_venue_id("v-9", fill_of(1), 0);
  t.table.expire(1000);
  EXPECT_EQ(t.table.counters().late_fills, 1u);
}

TEST(LiveOrderTable, HeldFillOutlivesTheFillGraceUntilItsOwnLifetime) {
  Table t;  // grace 100, held fills 1000
  LiveOrder* o = t.table.open(intent(1));
  t.table.fill_by_venue_id("v-1", fill_of(10), 0);
  t.table.expire(999);  // the order's answer is slow (retries): the fill still waits
  EXPECT_EQ(t.table.counters().late_fills, 0u);
  t.table.bind_venue_id(*o, "v-1", 999);
  t.drain();
  ASSERT_EQ(t.reports.size(), 1u);
  EXPECT_EQ(t.reports[0].type, ExecType::fill);
}

TEST(LiveOrderTable, YesPricedFillIsConvertedForANoOrder) {
  Table t;
  OrderIntent i = intent(1);
  i.outcome = Outcome::no;
  LiveOrder* o = t.table.open(i);
  VenueFill f = fill_of(10, 5600);
  f.price_is_yes = true;
  t.table.fill(*o, f, 0);
  t.drain();
  EXPECT_EQ(t.reports[0].fill_price, Price::from_ticks(4400));
}

TEST(LiveOrderTable, OverfillIsClampedAndCounted) {
  Table t;
  LiveOrder* o = t.table.open(intent(1, 2));
  t.table.fill(*o, fill_of(5), 0);
  t.drain();
  EXPECT_EQ(t.reports[0].fill_qty, Qty::contracts(2));
  EXPECT_EQ(t.table.counters().overfills, 1u);
}

TEST(LiveOrderTable, RefusesWhenFullOrTheIntentIsAlreadyOpen) {
  Table t;
  ASSERT_NE(t.table.open(intent(1)), nullptr);
  EXPECT_EQ(t.table.open(intent(1)), nullptr);
  for (uint64_t id = 2; id <= 8; ++id)
    ASSERT_NE(t.table.open(intent(id)), nullptr);
  EXPECT_EQ(t.table.open(intent(9)), nullptr);
}

TEST(LiveOrderTable, StaleSerialIsNotFoundAfterTheSlotIsReused) {
  Table t;
  LiveOrder* o = t.table.open(intent(1));
  const uint64_t old_serial = o->serial;
  t.table.reject(*o, RejectReason::venue, 0);
  LiveOrder* again = t.table.open(intent(2));
  EXPECT_EQ(t.table.by_serial(old_serial), nullptr);
  EXPECT_EQ(t.table.by_serial(again->serial), again);
}

// Churn through the indexes: every id stays findable while open and gone once released.
TEST(LiveOrderTable, IndexesSurviveHeavyChurn) {
  LiveOrderTable table(LiveOrderTableOptions{64, 100000, 100, 4, 1000});
  std::vector<LiveOrder*> open;
  for (uint64_t id = 1; id <= 5000; ++id) {
    LiveOrder* o = table.open(intent(id * 7919));
    ASSERT_NE(o, nullptr);
    table.bind_venue_id(*o, "v" + std::to_string(id), 0);
    open.push_back(o);
    if (open.size() == 64 || id % 3 == 0) {
      LiveOrder* victim = open[id % open.size()];
      const std::string venue(victim->venue_id.view());
      const uint64_t intent_id = victim->intent.intent_id;
      table.reject(*victim, RejectReason::venue, 0);
      open.erase(open.begin() + static_cast<long>(id % open.size()));
      ASSERT_EQ(table.by_venue_id(venue), nullptr);
      ASSERT_EQ(table.by_intent(intent_id), nullptr);
    }
    for (LiveOrder* x : open) {
      ASSERT_EQ(table.by_intent(x->intent.intent_id), x);
      ASSERT_EQ(table.by_venue_id(x->venue_id.view()), x);
    }
  }
}

}  // namespace
}  // namespace pmx::gateway
