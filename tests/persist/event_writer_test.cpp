#include "pmx/persist/event_writer.h"

#include <gtest/gtest.h>

#include "persist_test_support.h"

namespace pmx {
namespace {

using test::query_int;
using test::query_text;
using test::ScratchDir;

class EventWriterTest : public ::testing::Test {
 protected:
  ScratchDir dir_;
  Database db_{dir_.file("pmx.db")};
  EventWriter writer_{db_, test::test_namer()};

  OrderSubmittedRecord order(uint64_t sequence, uint32_t instrument = 0) {
    OrderSubmittedRecord r;
    r.intent.intent_id = sequence;
    r.intent.instrument = InstrumentId{instrument};
    r.intent.side = Side::buy;
    r.intent.outcome = Outcome::yes;
    r.intent.tif = TimeInForce::ioc;
    r.intent.limit_price = Price::from_ticks(4200);
    r.intent.decision_price = Price::from_ticks(4150);
    r.intent.qty = Qty::contracts(10);
    r.intent.strategy = StrategyKind::grinding;
    r.intent.expected_value = Money::from_micros(310'000);
    r.client_order_id = format_client_order_id(1795000000, sequence);
    r.submitted_ts = WallNanos{1000};
    return r;
  }

  ExecReport report(uint64_t sequence, ExecType type, Qty fill, Qty cumulative) {
    ExecReport r;
    r.intent_id = sequence;
    r.instrument = InstrumentId{0};
    r.type = type;
    r.fill_price = Price::from_ticks(4200);
    r.fill_qty = fill;
    r.cumulative_qty = cumulative;
    r.fee = fill.is_zero() ? Money{} : Money::from_micros(70'000);
    r.ts = WallNanos{2000};
    return r;
  }

  PositionRecord position(int64_t contracts, int64_t ts) {
    PositionRecord p;
    p.instrument = InstrumentId{1};
    p.outcome = Outcome::no;
    p.strategy = StrategyKind::grinding;
    p.average_price = Price::from_ticks(9500);
    p.qty = Qty::contracts(contracts);
    p.ts = WallNanos{ts};
    return p;
  }
};

TEST_F(EventWriterTest, RecordsASubmittedOrderWithItsClientOrderId) {
  ASSERT_EQ(writer_.write(OpsEvent::of(order(7))), WriteResult::ok);
  EXPECT_EQ(query_text(db_, "SELECT client_order_id FROM orders WHERE intent_id = 7"), "pmx-1795000000-7");
  EXPECT_EQ(query_text(db_, "SELECT ticker || ' ' || side || ' ' || outcome || ' ' || status FROM orders"),
            "KXFOO-26 buy yes submitted");
  EXPECT_EQ(query_int(db_, "SELECT limit_price_ticks FROM orders"), 4200);
  EXPECT_EQ(query_int(db_, "SELECT qty_units FROM orders"), 10'000'000);
}

TEST_F(EventWriterTest, RefusesASecondOrderWithTheSameClientOrderId) {
  ASSERT_EQ(writer_.write(OpsEvent::of(order(7))), WriteResult::ok);
  EXPECT_EQ(writer_.write(OpsEvent::of(order(7))), WriteResult::failed);
  EXPECT_EQ(writer_.counters().failed, 1u);
  EXPECT_NE(writer_.last_error().find("UNIQUE"), std::string::npos) << writer_.last_error();
}

TEST_F(EventWriterTest, AFillUpdatesTheOrderAndAddsAFillRow) {
  writer_.write(OpsEvent::of(order(7)));
  writer_.write(OpsEvent::of(report(7, ExecType::partial_fill, Qty::contracts(4), Qty::contracts(4))));
  writer_.write(OpsEvent::of(report(7, ExecType::fill, Qty::contracts(6), Qty::contracts(10))));
  EXPECT_EQ(query_text(db_, "SELECT status FROM orders WHERE intent_id = 7"), "filled");
  EXPECT_EQ(query_int(db_, "SELECT filled_qty_units FROM orders"), 10'000'000);
  EXPECT_EQ(query_int(db_, "SELECT fees_micros FROM orders"), 140'000);
  EXPECT_EQ(query_int(db_, "SELECT count(*) FROM fills WHERE client_order_id = 'pmx-1795000000-7'"), 2);
  EXPECT_EQ(query_int(db_, "SELECT sum(qty_units) FROM fills"), 10'000'000);
}

TEST_F(EventWriterTest, ALateNonTerminalReportDoesNotReopenATerminalOrder) {
  writer_.write(OpsEvent::of(order(7)));
  writer_.write(OpsEvent::of(report(7, ExecType::cancelled, Qty{}, Qty{})));
  writer_.write(OpsEvent::of(report(7, ExecType::accepted, Qty{}, Qty{})));
  EXPECT_EQ(query_text(db_, "SELECT status FROM orders"), "cancelled");
}

TEST_F(EventWriterTest, ARejectRecordsItsReason) {
  writer_.write(OpsEvent::of(order(7)));
  ExecReport r = report(7, ExecType::rejected, Qty{}, Qty{});
  r.reason = RejectReason::slippage;
  writer_.write(OpsEvent::of(r));
  EXPECT_EQ(query_text(db_, "SELECT status || '/' || reject_reason FROM orders"), "rejected/slippage");
}

TEST_F(EventWriterTest, CountsAReportWhoseOrderWasNeverRecorded) {
  EXPECT_EQ(writer_.write(OpsEvent::of(report(99, ExecType::fill, Qty::contracts(1), Qty::contracts(1)))),
            WriteResult::ok);
  EXPECT_EQ(writer_.counters().orphan_exec_reports, 1u);
  EXPECT_EQ(query_int(db_, "SELECT count(*) FROM fills WHERE client_order_id IS NULL"), 1);
}

TEST_F(EventWriterTest, APositionOpensUpdatesAndCloses) {
  writer_.write(OpsEvent::of(position(5, 100)));
  writer_.write(OpsEvent::of(position(8, 200)));
  EXPECT_EQ(query_int(db_, "SELECT qty_units FROM positions WHERE status = 'open'"), 8'000'000);
  EXPECT_EQ(query_int(db_, "SELECT opened_ts_ns FROM positions WHERE status = 'open'"), 100);
  writer_.write(OpsEvent::of(position(0, 300)));
  EXPECT_EQ(query_int(db_, "SELECT count(*) FROM positions WHERE status = 'open'"), 0);
  EXPECT_EQ(query_int(db_, "SELECT closed_ts_ns FROM positions WHERE status = 'closed'"), 300);
}

TEST_F(EventWriterTest, AReopenedPositionIsANewRow) {
  writer_.write(OpsEvent::of(position(5, 100)));
  writer_.write(OpsEvent::of(position(0, 200)));
  writer_.write(OpsEvent::of(position(3, 300)));
  EXPECT_EQ(query_int(db_, "SELECT count(*) FROM positions"), 2);
  EXPECT_EQ(query_int(db_, "SELECT qty_units FROM positions WHERE status = 'open'"), 3'000'000);
}

TEST_F(EventWriterTest, AnOpportunityStoresItsLegsAsJson) {
  OpportunityRecord r;
  r.strategy = StrategyKind::bundle_arb;
  r.leg_count = 2;
  r.instruments[0] = InstrumentId{0};
  r.instruments[1] = InstrumentId{2};
  r.outcomes[1] = Outcome::no;
  r.prices[0] = Price::from_ticks(4200);
  r.prices[1] = Price::from_ticks(5500);
  r.expected_value = Money::from_micros(30'000);
  r.size = Qty::contracts(10);
  writer_.write(OpsEvent::of(r));
  EXPECT_EQ(query_text(db_, "SELECT legs FROM opportunities"),
            R"([{"venue":"kalshi","ticker":"KXFOO-26","outcome":"yes","price_ticks":4200},)"
            R"({"venue":"kalshi","ticker":"KXBAZ-26","outcome":"no","price_ticks":5500}])");
  EXPECT_EQ(query_text(db_, "SELECT json_extract(legs, '$[1].ticker') FROM opportunities"), "KXBAZ-26");
}

TEST_F(EventWriterTest, AuditReasonsWithQuotesAndUnicodeAreStoredIntact) {
  AuditRecord r;
  r.kind = AuditKind::refusal;
  r.instrument = InstrumentId{0};
  const std::string reason = "max 'position' \"10%\"; DROP TABLE audit;-- é 🟢";
  copy_text(r.reason, reason);
  writer_.write(OpsEvent::of(r));
  EXPECT_EQ(query_text(db_, "SELECT reason FROM audit"), reason);
  EXPECT_EQ(query_text(db_, "SELECT kind || ' ' || ticker FROM audit"), "refusal KXFOO-26");
}

TEST_F(EventWriterTest, AnUnknownInstrumentIsWrittenByItsIdAndCounted) {
  PositionRecord p = position(1, 1);
  p.instrument = InstrumentId{77};
  writer_.write(OpsEvent::of(p));
  EXPECT_EQ(query_text(db_, "SELECT ticker FROM positions"), "#77");
  EXPECT_EQ(writer_.counters().unknown_instruments, 1u);
}

TEST_F(EventWriterTest, APriceSampleStoresAMissingSideAsNull) {
  PriceSampleRecord r;
  r.instrument = InstrumentId{0};
  r.bid = Price::from_ticks(4100);
  r.fair_value = Price::from_ticks(4150);
  r.ts = WallNanos{5};
  writer_.write(OpsEvent::of(r));
  EXPECT_EQ(query_int(db_, "SELECT count(*) FROM price_history WHERE ask_ticks IS NULL AND bid_ticks = 4100"),
            1);
}

TEST_F(EventWriterTest, AHaltSetsTheFlagAndReasonAndIsAudited) {
  SystemStateRecord r;
  r.halted = true;
  copy_text(r.reason, "pmx-ctl kill");
  writer_.write(OpsEvent::of(r));
  EXPECT_EQ(db_.load_state("trading_halted"), "1");
  EXPECT_EQ(db_.load_state("halt_reason"), "pmx-ctl kill");
  EXPECT_EQ(db_.load_state("trading_mode"), "paper");
  EXPECT_EQ(query_text(db_, "SELECT kind FROM audit"), "halted");
}

TEST_F(EventWriterTest, ADailySnapshotReplacesTheSameDaysRow) {
  DailySnapshotRecord r;
  r.date_yyyymmdd = 20261124;
  r.equity = Money::dollars(10'000);
  writer_.write(OpsEvent::of(r));
  r.equity = Money::dollars(10'050);
  writer_.write(OpsEvent::of(r));
  EXPECT_EQ(query_int(db_, "SELECT count(*) FROM daily_snapshots"), 1);
  EXPECT_EQ(query_int(db_, "SELECT equity_micros FROM daily_snapshots WHERE date = '2026-11-24'"),
            10'050'000'000);
}

}  // namespace
}  // namespace pmx
