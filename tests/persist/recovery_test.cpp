#include "pmx/persist/recovery.h"

#include <gtest/gtest.h>

#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/event_writer.h"

#include "persist_test_support.h"

namespace pmx {
namespace {

using test::ScratchDir;

class RecoveryTest : public ::testing::Test {
 protected:
  ScratchDir dir_;
  std::filesystem::path path_ = dir_.file("pmx.db");

  void write(const OpsEvent& event) {
    Database db(path_);
    EventWriter writer(db, test::test_namer());
    ASSERT_EQ(writer.write(event), WriteResult::ok) << writer.last_error();
  }

  RecoveredState reopen_and_load() {
    Database db(path_);
    return load_recovery_state(db);
  }

  static OpsEvent order(uint64_t sequence) {
    OrderSubmittedRecord r;
    r.intent.intent_id = sequence;
    r.intent.instrument = InstrumentId{1};
    r.intent.side = Side::sell;
    r.intent.outcome = Outcome::no;
    r.intent.limit_price = Price::from_ticks(3100);
    r.intent.qty = Qty::contracts(4);
    r.client_order_id = format_client_order_id(1, sequence);
    return OpsEvent::of(r);
  }

  static OpsEvent report(uint64_t sequence, ExecType type) {
    ExecReport r;
    r.intent_id = sequence;
    r.type = type;
    r.cumulative_qty = type == ExecType::partial_fill ? Qty::contracts(1) : Qty{};
    r.fill_qty = r.cumulative_qty;
    return OpsEvent::of(r);
  }

  static OpsEvent halt(bool halted, const char* reason) {
    SystemStateRecord r;
    r.halted = halted;
    copy_text(r.reason, reason);
    return OpsEvent::of(r);
  }
};

TEST_F(RecoveryTest, LoadsOpenPositionsOnly) {
  PositionRecord open;
  open.instrument = InstrumentId{0};
  open.qty = Qty::contracts(3);
  open.average_price = Price::from_ticks(9600);
  write(OpsEvent::of(open));
  PositionRecord closed = open;
  closed.instrument = InstrumentId{2};
  write(OpsEvent::of(closed));
  closed.qty = Qty{};
  write(OpsEvent::of(closed));

  const RecoveredState state = reopen_and_load();
  ASSERT_EQ(state.open_positions.size(), 1u);
  EXPECT_EQ(state.open_positions[0].ticker, "KXFOO-26");
  EXPECT_EQ(state.open_positions[0].qty, Qty::contracts(3));
  EXPECT_EQ(state.open_positions[0].average_price, Price::from_ticks(9600));
}

TEST_F(RecoveryTest, LoadsOrdersThatAreNotTerminal) {
  write(order(1));  // submitted, never acknowledged
  write(order(2));
  write(report(2, ExecType::partial_fill));
  write(order(3));
  write(report(3, ExecType::cancelled));
  write(order(4));
  write(report(4, ExecType::accepted));

  const RecoveredState state = reopen_and_load();
  ASSERT_EQ(state.open_orders.size(), 3u);
  EXPECT_EQ(state.open_orders[0].client_order_id, "pmx-1-1");
  EXPECT_EQ(state.open_orders[0].status, "submitted");
  EXPECT_EQ(state.open_orders[1].status, "partially_filled");
  EXPECT_EQ(state.open_orders[1].filled_qty, Qty::contracts(1));
  EXPECT_EQ(state.open_orders[2].status, "open");
  EXPECT_EQ(state.open_orders[0].ticker, "KXBAR-26");
  EXPECT_EQ(state.open_orders[0].side, Side::sell);
  EXPECT_EQ(state.open_orders[0].outcome, Outcome::no);
  EXPECT_EQ(state.open_orders[0].limit_price, Price::from_ticks(3100));
}

TEST_F(RecoveryTest, AHaltSurvivesARestartWithItsReason) {
  write(halt(true, "daily loss limit 5% hit"));
  const RecoveredState state = reopen_and_load();
  EXPECT_TRUE(state.trading_halted);
  EXPECT_EQ(state.halt_reason, "daily loss limit 5% hit");
}

TEST_F(RecoveryTest, AResumeClearsTheHaltForTheNextStart) {
  write(halt(true, "pmx-ctl kill"));
  write(halt(false, "pmx-ctl resume"));
  EXPECT_FALSE(reopen_and_load().trading_halted);
}

TEST_F(RecoveryTest, AFreshDatabaseIsNotHaltedAndHasNoOpenState) {
  const RecoveredState state = reopen_and_load();
  EXPECT_FALSE(state.trading_halted);
  EXPECT_TRUE(state.open_positions.empty());
  EXPECT_TRUE(state.open_orders.empty());
  EXPECT_GT(state.database_epoch, 0u);
}

TEST_F(RecoveryTest, ReportsTheReservedClientOrderIdHighWaterMark) {
  {
    ClientOrderIdAllocator allocator(path_, 1000);
    allocator.next();
  }
  const RecoveredState state = reopen_and_load();
  EXPECT_EQ(state.client_order_id_next, 1001u);
}

}  // namespace
}  // namespace pmx
