// The coarse path: the price_history table as one-level books through the same pipeline.
#include "pmx/backtest/price_history.h"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/backtest/backtest_run.h"
#include "pmx/backtest/report_json.h"
#include "pmx/persist/database.h"

#include "synthetic_session.h"

namespace pmx {
namespace {

namespace fs = std::filesystem;

class PriceHistory : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ =
        fs::temp_directory_path() / ("pmx_price_history_" + std::to_string(::getpid()) + "_" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    Database db(path_);
    // Three legs of PMXT-BUN asking 0.30 (a $0.90 bundle), every minute for ten minutes.
    for (int minute = 0; minute < 10; ++minute) {
      for (const std::string& ticker : test::kBundleTickers) {
        const int64_t ts = test::kWallStart + minute * 60'000'000'000LL;
        db.exec(
            "INSERT INTO price_history (venue, ticker, ts_ns, bid_ticks, ask_ticks, bid_size_units, "
            "ask_size_units) VALUES ('kalshi', '" +
            ticker + "', " + std::to_string(ts) + ", 2500, 3000, 1000000000, 1000000000)");
      }
    }
    db.exec(
        "INSERT INTO price_history (venue, ticker, ts_ns, bid_ticks, ask_ticks) VALUES ('kalshi', "
        "'UNKNOWN-1', " +
        std::to_string(test::kWallStart) + ", NULL, NULL)");
  }
  void TearDown() override { fs::remove(path_); }
  fs::path path_;
};

TEST_F(PriceHistory, RowsLoadInTimeOrderWithNullSidesEmpty) {
  const std::vector<PriceSample> samples = load_price_history(path_);
  ASSERT_EQ(samples.size(), 31u);
  for (size_t i = 1; i < samples.size(); ++i)
    EXPECT_LE(samples[i - 1].ts, samples[i].ts);
  bool saw_unknown = false;
  for (const PriceSample& s : samples) {
    if (s.ticker != "UNKNOWN-1") continue;
    saw_unknown = true;
    EXPECT_EQ(s.bid, kNoPrice);
    EXPECT_EQ(s.ask, kNoPrice);
  }
  EXPECT_TRUE(saw_unknown);
}

TEST_F(PriceHistory, KalshiSampleBecomesAYesBidAndANoBid) {
  PriceSample s;
  s.venue = Venue::kalshi;
  s.bid = Price::from_ticks(2'500);
  s.ask = Price::from_ticks(3'000);
  s.bid_size = s.ask_size = Qty::contracts(10);
  std::array<MarketEvent, 4> events;
  ASSERT_EQ(top_of_book_events(s, InstrumentId{3}, events), 4u);
  EXPECT_EQ(events[0].type, EventType::snapshot_begin);
  EXPECT_EQ(events[0].level_count, 2u);
  EXPECT_EQ(events[1].outcome, Outcome::yes);
  EXPECT_EQ(events[1].price, Price::from_ticks(2'500));
  EXPECT_EQ(events[2].outcome, Outcome::no);
  EXPECT_EQ(events[2].book_side, BookSide::bid);
  EXPECT_EQ(events[2].price, Price::from_ticks(7'000)) << "YES ask 0.30 is a NO bid at 0.70";
  EXPECT_EQ(events[3].type, EventType::snapshot_end);
}

TEST_F(PriceHistory, PolymarketSampleBecomesABidAndAnAsk) {
  PriceSample s;
  s.venue = Venue::polymarket;
  s.bid = Price::from_ticks(2'500);
  s.ask = Price::from_ticks(3'000);
  s.bid_size = s.ask_size = Qty::contracts(10);
  std::array<MarketEvent, 4> events;
  ASSERT_EQ(top_of_book_events(s, InstrumentId{3}, events), 4u);
  EXPECT_EQ(events[2].book_side, BookSide::ask);
  EXPECT_EQ(events[2].price, Price::from_ticks(3'000));
}

TEST_F(PriceHistory, BundleInTheSamplesIsTradedDeterministically) {
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.price_history_db = path_.string();
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);
  EXPECT_EQ(report.source, "price_history");
  EXPECT_GE(report.trades.size(), 3u);
  EXPECT_EQ(report_to_json(report),
            report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options)));
}

TEST_F(PriceHistory, UniverseFromSamplesHasEveryTicker) {
  const MarketUniverse universe = universe_from_price_history(load_price_history(path_));
  EXPECT_EQ(universe.size(), 4u);
  EXPECT_NE(universe.market(universe.find(Venue::kalshi, "UNKNOWN-1")), nullptr);
}

}  // namespace
}  // namespace pmx
