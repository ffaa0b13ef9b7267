// The position records StrategyStage sends to the ops queue (the positions table): realized P&L
// and fees of the round trip since the position opened, net of fees, still there in the record of
// the fill that closes it, and carried on across a restart that reloads the position from SQLite.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pmx/core/config.h"
#include "pmx/engine/engine_rings.h"
#include "pmx/engine/strategy_engine.h"
#include "pmx/engine/strategy_stage.h"
#include "pmx/persist/database.h"
#include "pmx/persist/event_writer.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/persist/recovery.h"

#include "../common/scratch_dir.h"
#include "engine_test_util.h"

namespace pmx {
namespace {

using test::kNoon;

Money usd(double d) {
  return Money::from_micros(static_cast<int64_t>(d * 1e6 + (d >= 0 ? 0.5 : -0.5)));
}

MarketUniverse one_market() {
  MarketUniverse u;
  u.add_market(test::kalshi_market("KXPNL-26", "KXPNL", WallNanos{kNoon.ns + 30 * test::kHour}));
  return u;
}

ExecReport fill(Side side, double price, double contracts, double fee) {
  ExecReport r;
  r.intent_id = 1;
  r.instrument = InstrumentId{0};
  r.venue = Venue::kalshi;
  r.side = side;
  r.outcome = Outcome::yes;
  r.type = ExecType::fill;
  r.fill_price = test::dollars(price);
  r.fill_qty = test::contracts(contracts);
  r.cumulative_qty = r.fill_qty;
  r.fee = usd(fee);
  return r;
}

// One engine run: a strategy stage over a one-market universe, reports in, ops records out.
struct EngineRun {
  explicit EngineRun(const MarketUniverse& u) : universe(u), engine(universe, Config{}) {}

  // The reports through one round of the stage; what it sent to the ops queue.
  std::vector<OpsEvent> apply(std::initializer_list<ExecReport> reports) {
    for (const ExecReport& r : reports)
      EXPECT_TRUE(rings.reports.try_push(r));
    stage.poll(kNoon, MonoNanos{1});
    return drain();
  }
  // A round trip: buy 10 at 0.40 paying 0.17, then sell the 10 at `close_price` paying
  // `close_fee`. The records of both fills.
  std::vector<PositionRecord> round_trip(double close_price, double close_fee) {
    return positions(apply({fill(Side::buy, 0.40, 10, 0.17), fill(Side::sell, close_price, 10, close_fee)}));
  }
  std::vector<OpsEvent> drain() {
    std::vector<OpsEvent> out;
    OpsEvent batch[64];
    for (size_t n; (n = ops.try_pop_bulk(batch, 64)) > 0;)
      out.insert(out.end(), batch, batch + n);
    return out;
  }
  static std::vector<PositionRecord> positions(const std::vector<OpsEvent>& events) {
    std::vector<PositionRecord> out;
    for (const OpsEvent& e : events)
      if (e.kind == OpsEventKind::position) out.push_back(e.payload.position);
    return out;
  }

  const MarketUniverse& universe;
  StrategyEngine engine;
  EngineRings rings;
  OpsQueue ops{1024, 2};
  StrategyStage stage{engine, rings, universe, nullptr, &ops, [] {
                        StrategyStageOptions o;
                        o.price_sample_interval_ns = 0;
                        o.daily_snapshot_hour_utc = -1;
                        return o;
                      }()};
};

TEST(PositionRecord, ClosedAtAProfitCarriesTheRoundTripNetOfBothFees) {
  const MarketUniverse universe = one_market();
  EngineRun run(universe);
  const std::vector<PositionRecord> records = run.round_trip(0.55, 0.17);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].qty, Qty{});
  EXPECT_EQ(records[1].realized_pnl, usd(1.50 - 0.34));
  EXPECT_EQ(records[1].fees, usd(0.34));
}

TEST(PositionRecord, ClosedAtALossCarriesTheRoundTripNetOfBothFees) {
  const MarketUniverse universe = one_market();
  EngineRun run(universe);
  const std::vector<PositionRecord> records = run.round_trip(0.30, 0.15);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].realized_pnl, usd(-1.00 - 0.32));
  EXPECT_EQ(records[1].fees, usd(0.32));
}

TEST(PositionRecord, OpenPositionCarriesItsOpeningFeeAsANegativeRealizedPnl) {
  const MarketUniverse universe = one_market();
  EngineRun run(universe);
  const std::vector<PositionRecord> records =
      EngineRun::positions(run.apply({fill(Side::buy, 0.40, 10, 0.17)}));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].qty, test::contracts(10));
  EXPECT_EQ(records[0].realized_pnl, usd(-0.17));
  EXPECT_EQ(records[0].fees, usd(0.17));
}

TEST(PositionRecord, ReopenedPositionStartsItsRoundTripFromZero) {
  const MarketUniverse universe = one_market();
  EngineRun run(universe);
  run.round_trip(0.55, 0.17);
  const std::vector<PositionRecord> records =
      EngineRun::positions(run.apply({fill(Side::buy, 0.50, 2, 0.05)}));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].realized_pnl, usd(-0.05));
  EXPECT_EQ(records[0].fees, usd(0.05));
}

TEST(PositionRecord, DailySnapshotCountsAProfitableCloseAsAWin) {
  const MarketUniverse universe = one_market();
  EngineRun run(universe);
  run.round_trip(0.55, 0.17);
  run.stage.write_daily_snapshot(kNoon);
  int64_t wins = -1, losses = -1;
  for (const OpsEvent& e : run.drain()) {
    if (e.kind != OpsEventKind::daily_snapshot) continue;
    wins = e.payload.daily_snapshot.wins;
    losses = e.payload.daily_snapshot.losses;
  }
  EXPECT_EQ(wins, 1);
  EXPECT_EQ(losses, 0);
}

// The database side of a restart: records written by the ops thread's EventWriter, the open
// position loaded back by load_recovery_state and restored with StrategyEngine::restore_position.
class PositionRecordRestart : public ::testing::Test {
 protected:
  void write(const std::vector<OpsEvent>& events) {
    Database db(path_);
    EventWriter writer(db, namer());
    for (const OpsEvent& e : events) {
      if (e.kind != OpsEventKind::position) continue;
      ASSERT_EQ(writer.write(e), WriteResult::ok) << writer.last_error();
    }
  }
  InstrumentNamer namer() const {
    return [this](InstrumentId id) {
      const MarketInfo& m = universe_.markets()[id.value];
      return InstrumentName{m.venue, m.key};
    };
  }
  // The scenario of both tests: buy 10 at 0.40 and sell 4 at 0.45 (round trip so far
  // 0.20 - 0.24 of fees), restart, then sell the other 6 at 0.50. The closing round's ops records.
  std::vector<OpsEvent> close_after_restart() {
    {
      EngineRun before(universe_);
      write(before.apply({fill(Side::buy, 0.40, 10, 0.17), fill(Side::sell, 0.45, 4, 0.07)}));
    }
    EngineRun after(universe_);
    Database db(path_);
    for (const RecoveredPosition& p : load_recovery_state(db).open_positions)
      after.engine.restore_position(universe_.find(p.venue, p.ticker), p.outcome, p.qty, p.average_price,
                                    p.realized_pnl, p.fees, kNoon);
    return after.apply({fill(Side::sell, 0.50, 6, 0.10)});
  }
  int64_t closed_row(const char* column) {
    Database db(path_);
    Statement q = db.prepare(std::string("SELECT ") + column + " FROM positions WHERE status = 'closed'");
    EXPECT_EQ(q.step(), SQLITE_ROW);
    return q.column_int64(0);
  }

  MarketUniverse universe_ = one_market();
  test::ScratchDir dir_{"pmx-position-record"};
  std::filesystem::path path_ = dir_.file("pmx.db");
};

TEST_F(PositionRecordRestart, RoundTripRealizedBeforeTheRestartIsKeptInTheClosingRecord) {
  const std::vector<PositionRecord> records = EngineRun::positions(close_after_restart());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].qty, Qty{});
  EXPECT_EQ(records[0].realized_pnl, usd(0.20 + 0.60 - 0.34));
  EXPECT_EQ(records[0].fees, usd(0.34));
}

TEST_F(PositionRecordRestart, ClosedRowInTheDatabaseShowsTheWholeRoundTrip) {
  write(close_after_restart());
  EXPECT_EQ(closed_row("realized_pnl_micros"), usd(0.20 + 0.60 - 0.34).micros);
  EXPECT_EQ(closed_row("fees_micros"), usd(0.34).micros);
}

}  // namespace
}  // namespace pmx
