#include "pmx/engine/app/live_reconciliation.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "scratch_dir.h"

namespace pmx::app {
namespace {

namespace gw = pmx::gateway;

constexpr WallNanos kNow{1'795'000'000'000'000'000};

MarketUniverse polymarket_pair() {
  MarketUniverse universe;
  MarketInfo yes;
  yes.venue = Venue::polymarket;
  yes.key = "1001";
  const InstrumentId yes_id = universe.add_market(yes);
  MarketInfo no;
  no.venue = Venue::polymarket;
  no.key = "1002";
  no.complement = yes_id;
  const InstrumentId no_id = universe.add_market(no);
  MarketInfo again = *universe.market(yes_id);
  again.complement = no_id;
  universe.add_market(again);
  return universe;
}

gw::AccountSnapshot holding(std::string key, int64_t contracts, int32_t average_ticks = 0) {
  gw::AccountSnapshot s;
  s.positions.push_back(gw::VenuePosition{
      std::move(key), Qty::contracts(contracts), Price::from_ticks(average_ticks), {}, {}, {}});
  return s;
}

RecoveredPosition database_row(Venue venue, std::string ticker, Outcome outcome, int32_t average_ticks) {
  RecoveredPosition p;
  p.venue = venue;
  p.ticker = std::move(ticker);
  p.outcome = outcome;
  p.qty = Qty::contracts(1);
  p.average_price = Price::from_ticks(average_ticks);
  return p;
}

TEST(LiveVenuePositions, AKalshiLongPositionIsYesContracts) {
  const auto v = live_venue_positions(Venue::kalshi, holding("KXA", 5, 4'200), MarketUniverse{}, {});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0],
            (VenuePosition{Venue::kalshi, "KXA", Outcome::yes, Qty::contracts(5), Price::from_ticks(4'200)}));
}

TEST(LiveVenuePositions, AKalshiShortPositionIsNoContracts) {
  const auto v = live_venue_positions(Venue::kalshi, holding("KXA", -3, 6'000), MarketUniverse{}, {});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].outcome, Outcome::no);
  EXPECT_EQ(v[0].qty, Qty::contracts(3));
}

TEST(LiveVenuePositions, AFlatKalshiMarketIsNoPosition) {
  EXPECT_TRUE(live_venue_positions(Venue::kalshi, holding("KXA", 0), MarketUniverse{}, {}).empty());
}

TEST(LiveVenuePositions, PolymarketSharesAreTheTokensYesWithTheDatabasesAveragePrice) {
  const MarketUniverse universe = polymarket_pair();
  const RecoveredPosition row = database_row(Venue::polymarket, "1001", Outcome::yes, 3'100);
  const auto v = live_venue_positions(Venue::polymarket, holding("1001", 7), universe, std::span(&row, 1));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0], (VenuePosition{Venue::polymarket, "1001", Outcome::yes, Qty::contracts(7),
                                 Price::from_ticks(3'100)}));
}

TEST(LiveVenuePositions, PolymarketSharesHeldAsTheComplementsNoStayThere) {
  const MarketUniverse universe = polymarket_pair();
  const RecoveredPosition row = database_row(Venue::polymarket, "1001", Outcome::no, 2'500);
  const auto v = live_venue_positions(Venue::polymarket, holding("1002", 4), universe, std::span(&row, 1));
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0], (VenuePosition{Venue::polymarket, "1001", Outcome::no, Qty::contracts(4),
                                 Price::from_ticks(2'500)}));
}

class LiveReconciliation : public ::testing::Test {
 protected:
  void open_position(std::string_view venue, std::string_view ticker, int64_t contracts) {
    Statement s = db_.prepare(
        "INSERT INTO positions (venue, ticker, outcome, strategy, qty_units, average_price_ticks, status, "
        "opened_ts_ns, updated_ts_ns) VALUES (?1, ?2, 'yes', 'grinding', ?3, 9000, 'open', 0, 0)");
    s.bind_text(1, venue).bind_text(2, ticker).bind_int64(3, Qty::contracts(contracts).units);
    ASSERT_EQ(s.execute(), SQLITE_DONE) << db_.last_error();
  }
  int64_t query(const std::string& sql) {
    Statement q = db_.prepare(sql);
    EXPECT_EQ(q.step(), SQLITE_ROW) << sql;
    return q.column_int64(0);
  }

  test::ScratchDir dir_;
  Database db_{dir_.file("pmx.db")};
};

TEST_F(LiveReconciliation, AVenueNotAskedKeepsItsOpenPositions) {
  open_position("kalshi", "KXA", 2);
  open_position("polymarket", "1001", 3);
  const ReconciliationReport report = reconcile_positions(db_, {}, kNow, {true, false});
  EXPECT_EQ(report.closed, 1);
  EXPECT_EQ(query("SELECT status = 'open' FROM positions WHERE ticker = '1001'"), 1);
  EXPECT_EQ(query("SELECT status = 'closed' FROM positions WHERE ticker = 'KXA'"), 1);
}

TEST_F(LiveReconciliation, AHoldingOfAVenueNotAskedIsNotOpened) {
  const VenuePosition held{Venue::polymarket, "1001", Outcome::yes, Qty::contracts(1), Price{}};
  const ReconciliationReport report = reconcile_positions(db_, std::span(&held, 1), kNow, {true, false});
  EXPECT_EQ(report.opened, 0);
  EXPECT_EQ(query("SELECT count(*) FROM positions"), 0);
}

TEST_F(LiveReconciliation, WorkingOrdersOfThePreviousRunAreClosedAsCancelled) {
  Statement s = db_.prepare(
      "INSERT INTO orders (client_order_id, intent_id, venue, ticker, side, outcome, time_in_force, "
      "strategy, "
      "limit_price_ticks, decision_price_ticks, qty_units, status, decision_ts_ns, submitted_ts_ns, "
      "updated_ts_ns) VALUES ('pmx-1-1', 1, 'kalshi', 'KXA', 'buy', 'yes', 'gtc', 'grinding', 5000, 5000, "
      "1000000, 'open', 0, 0, 0)");
  ASSERT_EQ(s.execute(), SQLITE_DONE) << db_.last_error();
  ReconciliationReport report;
  close_orphaned_live_orders(db_, kNow, report);
  EXPECT_EQ(report.orders_closed, 1);
  EXPECT_EQ(
      query("SELECT count(*) FROM orders WHERE status = 'cancelled' AND reject_reason = 'engine_restart'"),
      1);
}

TEST(ReconciliationSummary, NamesTheOrdersCancelledAtTheVenue) {
  ReconciliationReport report;
  report.orders_cancelled = 2;
  EXPECT_NE(report.summary().find("2 cancelled at the venue"), std::string::npos) << report.summary();
}

}  // namespace
}  // namespace pmx::app
