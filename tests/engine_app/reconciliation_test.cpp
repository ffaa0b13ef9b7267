#include "pmx/engine/app/reconciliation.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "scratch_dir.h"

namespace pmx::app {
namespace {

constexpr WallNanos kNow{1'795'000'000'000'000'000};

class Reconciliation : public ::testing::Test {
 protected:
  void fill(std::string_view ticker, std::string_view side, int32_t price_ticks, int64_t contracts,
            std::string_view outcome = "yes") {
    Statement s = db_.prepare(
        "INSERT INTO fills (intent_id, venue, ticker, side, outcome, price_ticks, qty_units, fee_micros, "
        "liquidity, ts_ns) VALUES (1, 'kalshi', ?1, ?2, ?3, ?4, ?5, 0, 'taker', 0)");
    s.bind_text(1, ticker)
        .bind_text(2, side)
        .bind_text(3, outcome)
        .bind_int64(4, price_ticks)
        .bind_int64(5, Qty::contracts(contracts).units);
    ASSERT_EQ(s.execute(), SQLITE_DONE) << db_.last_error();
  }
  void open_position(std::string_view ticker, int64_t contracts) {
    Statement s = db_.prepare(
        "INSERT INTO positions (venue, ticker, outcome, strategy, qty_units, average_price_ticks, status, "
        "opened_ts_ns, updated_ts_ns) VALUES ('kalshi', ?1, 'yes', 'grinding', ?2, 9000, 'open', 0, 0)");
    s.bind_text(1, ticker).bind_int64(2, Qty::contracts(contracts).units);
    ASSERT_EQ(s.execute(), SQLITE_DONE) << db_.last_error();
  }
  int64_t query(const std::string& sql) {
    Statement q = db_.prepare(sql);
    EXPECT_EQ(q.step(), SQLITE_ROW) << sql;
    return q.column_int64(0);
  }
  static VenuePosition held(std::string ticker, int64_t contracts, int32_t price_ticks = 9000) {
    return {Venue::kalshi, std::move(ticker), Outcome::yes, Qty::contracts(contracts),
            Price::from_ticks(price_ticks)};
  }

  test::ScratchDir dir_;
  Database db_{dir_.file("pmx.db")};
};

TEST_F(Reconciliation, PaperVenuePositionsNetBuysAndSellsAtAverageCost) {
  fill("KXA", "buy", 9000, 10);
  fill("KXA", "buy", 9400, 10);
  fill("KXA", "sell", 9900, 5);
  const auto positions = paper_venue_positions(db_);
  ASSERT_EQ(positions.size(), 1u);
  EXPECT_EQ(positions[0].ticker, "KXA");
  EXPECT_EQ(positions[0].qty, Qty::contracts(15));
  EXPECT_EQ(positions[0].average_price, Price::from_ticks(9200));
}

TEST_F(Reconciliation, PaperVenuePositionsLeaveOutWhatWasSoldOff) {
  fill("KXA", "buy", 9000, 10);
  fill("KXA", "sell", 9500, 10);
  EXPECT_TRUE(paper_venue_positions(db_).empty());
}

TEST_F(Reconciliation, PaperVenuePositionsKeepYesAndNoApart) {
  fill("KXA", "buy", 9000, 3, "yes");
  fill("KXA", "buy", 800, 4, "no");
  const auto positions = paper_venue_positions(db_);
  ASSERT_EQ(positions.size(), 2u);
  EXPECT_EQ(positions[0].outcome, Outcome::yes);
  EXPECT_EQ(positions[1].outcome, Outcome::no);
  EXPECT_EQ(positions[1].qty, Qty::contracts(4));
}

TEST_F(Reconciliation, MatchingPositionsAreLeftAlone) {
  open_position("KXA", 10);
  const VenuePosition venue[] = {held("KXA", 10)};
  const ReconciliationReport report = reconcile_positions(db_, venue, kNow);
  EXPECT_EQ(report.unchanged, 1);
  EXPECT_FALSE(report.changed());
  EXPECT_EQ(query("SELECT count(*) FROM audit WHERE kind = 'reconciliation'"), 0);
}

TEST_F(Reconciliation, AQuantityMismatchIsCorrectedToTheVenueAndLogged) {
  open_position("KXA", 10);
  const VenuePosition venue[] = {held("KXA", 7, 9100)};
  const ReconciliationReport report = reconcile_positions(db_, venue, kNow);
  EXPECT_EQ(report.corrected, 1);
  EXPECT_EQ(query("SELECT qty_units FROM positions WHERE ticker = 'KXA' AND status = 'open'"),
            Qty::contracts(7).units);
  EXPECT_EQ(query("SELECT average_price_ticks FROM positions WHERE ticker = 'KXA'"), 9100);
  ASSERT_EQ(report.lines.size(), 1u);
  EXPECT_NE(report.lines[0].find("quantity mismatch"), std::string::npos) << report.lines[0];
  EXPECT_EQ(query("SELECT count(*) FROM audit WHERE kind = 'reconciliation' AND ticker = 'KXA'"), 1);
}

TEST_F(Reconciliation, APositionClosedElsewhereIsMarkedClosed) {
  open_position("KXA", 10);
  const ReconciliationReport report = reconcile_positions(db_, {}, kNow);
  EXPECT_EQ(report.closed, 1);
  EXPECT_EQ(query("SELECT count(*) FROM positions WHERE status = 'open'"), 0);
  EXPECT_EQ(query("SELECT qty_units FROM positions WHERE ticker = 'KXA'"), 0);
  EXPECT_EQ(query("SELECT closed_ts_ns FROM positions WHERE ticker = 'KXA'"), kNow.ns);
  EXPECT_NE(report.lines.at(0).find("closed elsewhere"), std::string::npos) << report.lines[0];
}

TEST_F(Reconciliation, AVenuePositionUnknownToTheDatabaseIsOpened) {
  const VenuePosition venue[] = {held("KXB", 4)};
  const ReconciliationReport report = reconcile_positions(db_, venue, kNow);
  EXPECT_EQ(report.opened, 1);
  EXPECT_EQ(query("SELECT qty_units FROM positions WHERE ticker = 'KXB' AND status = 'open'"),
            Qty::contracts(4).units);
}

TEST_F(Reconciliation, TheFillsOfACrashedRunRepairThePositionsTable) {
  // kill -9 after the fills' batch committed but before the positions' batch: the table lags.
  fill("KXA", "buy", 9000, 10);
  fill("KXA", "buy", 9000, 5);
  open_position("KXA", 10);
  fill("KXC", "buy", 9500, 2);
  reconcile_positions(db_, paper_venue_positions(db_), kNow);
  EXPECT_EQ(paper_venue_positions(db_).size(), 2u);
  EXPECT_EQ(query("SELECT qty_units FROM positions WHERE ticker = 'KXA' AND status = 'open'"),
            Qty::contracts(15).units);
  EXPECT_EQ(query("SELECT qty_units FROM positions WHERE ticker = 'KXC' AND status = 'open'"),
            Qty::contracts(2).units);
}

TEST_F(Reconciliation, WorkingOrdersOfAPreviousPaperRunAreClosedAsCancelled) {
  db_.exec(
      "INSERT INTO orders (client_order_id, intent_id, venue, ticker, side, outcome, time_in_force, "
      "strategy, "
      "limit_price_ticks, decision_price_ticks, qty_units, status, decision_ts_ns, submitted_ts_ns, "
      "updated_ts_ns) "
      "VALUES ('pmx-1-1', 1, 'kalshi', 'KXA', 'buy', 'yes', 'gtc', 'grinding', 9000, 9000, 1000000, 'open', "
      "0, 0, 0), "
      "('pmx-1-2', 2, 'kalshi', 'KXA', 'buy', 'yes', 'ioc', 'grinding', 9000, 9000, 1000000, 'filled', 0, 0, "
      "0)");
  ReconciliationReport report;
  close_orphaned_paper_orders(db_, kNow, report);
  EXPECT_EQ(report.orders_closed, 1);
  EXPECT_EQ(
      query("SELECT count(*) FROM orders WHERE status = 'cancelled' AND reject_reason = 'engine_restart'"),
      1);
  EXPECT_EQ(query("SELECT count(*) FROM orders WHERE status = 'filled'"), 1);
}

}  // namespace
}  // namespace pmx::app
