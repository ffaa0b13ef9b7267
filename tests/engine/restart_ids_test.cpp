// Ids that reach the database stay unique across restarts: two runs of the pipeline on one
// database, each halting with close_positions, leave one order row per order, each updated only
// by its own reports (the orders table finds a row by intent_id).
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pmx/persist/database.h"
#include "pmx/persist/event_writer.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/persist/run_epoch.h"

#include "../common/scratch_dir.h"
#include "pipeline_world.h"

namespace pmx {
namespace {

int64_t query_int(Database& db, const std::string& sql) {
  Statement q = db.prepare(sql);
  EXPECT_EQ(q.step(), SQLITE_ROW) << sql;
  return q.column_int64(0);
}

// One run: trade the bundle, halt closing every position, write all ops records to `db`.
void run_once(Database& db, uint64_t first_intent_id) {
  OpsQueue ops(8192, 4);
  test::PipelineWorldOptions options;
  options.ops = &ops;
  options.run_epoch = begin_run(db);
  options.first_intent_id = first_intent_id;
  test::PipelineWorld world(options);
  world.open_bundle();
  world.settle();
  world.strategy.halt(true, world.now);
  world.settle();
  ASSERT_EQ(world.strategy.counters().closes_sent, 3u);
  const MarketUniverse& universe = world.universe;
  EventWriter writer(db, [&universe](InstrumentId id) {
    const MarketInfo* m = universe.market(id);
    return m != nullptr ? InstrumentName{m->venue, m->key} : InstrumentName{};
  });
  OpsEvent batch[256];
  for (size_t n; (n = ops.try_pop_bulk(batch, 256)) > 0;)
    for (size_t i = 0; i < n; ++i)
      writer.write(batch[i]);
  EXPECT_EQ(writer.counters().failed, 0u) << writer.last_error();
  EXPECT_EQ(writer.counters().orphan_exec_reports, 0u);
}

TEST(RestartIds, KillSwitchClosesOfTwoRunsKeepTheirOwnOrderRows) {
  test::ScratchDir dir("pmx-restart");
  Database db(dir / "pmx.db");
  run_once(db, 1);
  run_once(db, 1000);  // the engine's own ids continue after the last run's (engine_app)
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM orders WHERE intent_id >= 2305843009213693952"), 6);
  EXPECT_EQ(query_int(db, "SELECT count(DISTINCT intent_id) FROM orders"),
            query_int(db, "SELECT count(*) FROM orders"));
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM orders WHERE status = 'filled'"), 12)
      << "three legs and three closes per run, each filled once";
  EXPECT_EQ(query_int(db, "SELECT count(*) FROM fills"), 12);
}

}  // namespace
}  // namespace pmx
