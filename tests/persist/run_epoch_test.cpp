#include "pmx/persist/run_epoch.h"

#include <gtest/gtest.h>

#include "pmx/persist/client_order_id.h"
#include "pmx/persist/event_writer.h"

#include "persist_test_support.h"

namespace pmx {
namespace {

constexpr uint64_t kStageBit = uint64_t{1} << 61;

TEST(RunEpoch, FirstStartIsEpochOne) {
  test::ScratchDir dir;
  Database db(dir.file("pmx.db"));
  EXPECT_EQ(begin_run(db), 1u);
}

TEST(RunEpoch, EveryRestartGetsTheNextEpoch) {
  test::ScratchDir dir;
  {
    Database db(dir.file("pmx.db"));
    begin_run(db);
  }
  Database reopened(dir.file("pmx.db"));
  EXPECT_EQ(begin_run(reopened), 2u);
}

TEST(RunEpoch, RefusesAStoredEpochThatIsNotANumber) {
  test::ScratchDir dir;
  Database db(dir.file("pmx.db"));
  db.store_state("run_epoch", "seven", WallNanos{});
  EXPECT_THROW(begin_run(db), DatabaseError);
}

TEST(RunEpoch, ScopedIdKeepsFlagEpochAndSequenceApart) {
  const uint64_t id = run_scoped_id(kStageBit, 5, 9);
  EXPECT_EQ(id & kStageBit, kStageBit);
  EXPECT_EQ((id & ~kStageBit) >> kRunEpochShift, 5u);
  EXPECT_EQ(id & kRunSequenceMask, 9u);
}

// The bug this guards: two runs each made close id "stage bit | 1"; the second run's fill then
// updated the first run's order row as well.
TEST(RunEpoch, SameSequenceInTwoRunsUpdatesOnlyItsOwnOrderRow) {
  test::ScratchDir dir;
  Database db(dir.file("pmx.db"));
  EventWriter writer(db, test::test_namer());
  for (uint64_t run = 0; run < 2; ++run) {
    const uint64_t epoch = begin_run(db);
    OrderIntent close;
    close.intent_id = run_scoped_id(kStageBit, epoch, 1);
    close.qty = Qty::contracts(3);
    ASSERT_EQ(writer.write(OpsEvent::of(
                  OrderSubmittedRecord{close, format_client_order_id(1, 10 + run), WallNanos{1}})),
              WriteResult::ok);
  }
  ExecReport fill;
  fill.intent_id = run_scoped_id(kStageBit, 2, 1);
  fill.type = ExecType::fill;
  fill.fill_qty = Qty::contracts(3);
  fill.cumulative_qty = Qty::contracts(3);
  fill.fill_price = Price::from_ticks(5000);
  ASSERT_EQ(writer.write(OpsEvent::of(fill)), WriteResult::ok);
  EXPECT_EQ(test::query_int(db, "SELECT count(*) FROM orders WHERE status = 'filled'"), 1);
  EXPECT_EQ(test::query_text(db, "SELECT client_order_id FROM orders WHERE status = 'filled'"), "pmx-1-11");
}

}  // namespace
}  // namespace pmx
