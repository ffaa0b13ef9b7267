// pmx-engine restarted with an open position in its database: the position is restored with the
// round trip's realized P&L and fees so far (StrategyEngine::restore_position), so the record that
// closes it carries the whole round trip, not only the restarted run's part.
//
// The database is seeded before the first start: one YES contract of a Kalshi market bid in the
// synthetic book (its position row, with P&L and fees from "an earlier run", and the buy in the
// fills table, which is the paper venue's account), and trading halted (so no strategy
// touches the market). `pmx-ctl kill --close-positions` sells it on paper.
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "pmx/net/http_client.h"
#include "pmx/persist/database.h"

#include "engine_processes.h"

namespace pmx::app::test {
namespace {

int64_t query(const std::filesystem::path& database, const std::string& sql) {
  Database db(database);
  Statement q = db.prepare(sql);
  EXPECT_EQ(q.step(), SQLITE_ROW) << sql;
  return q.column_int64(0);
}

// The Kalshi REST origin of the world's configuration ("http://127.0.0.1:<port>").
std::string kalshi_origin(const std::filesystem::path& config) {
  const std::string toml = read_text(config);
  const size_t at = toml.find("http://127.0.0.1:", toml.find("[venues.kalshi]"));
  return toml.substr(at, toml.find('/', at + 7) - at);
}

// The first Kalshi market whose simulated book bids for YES (something a sell fills against).
std::string ticker_with_bids(const std::string& origin) {
  net::HttpClient http;
  const std::string body = http.get(origin + "/trade-api/v2/markets?limit=100").response.body;
  for (size_t at = body.find("\"ticker\":\""); at != std::string::npos;
       at = body.find("\"ticker\":\"", at + 1)) {
    const size_t begin = at + 10;
    const std::string ticker = body.substr(begin, body.find('"', begin) - begin);
    const net::HttpResult book = http.get(origin + "/sim/book?market=" + ticker);
    if (book.response.status == 200 && book.response.body.find("\"yes_bids\":[[") != std::string::npos)
      return ticker;
  }
  return {};
}

constexpr int64_t kEarlierPnl = -1'234'567;  // micro-dollars: P&L net of fees before the restart
constexpr int64_t kEarlierFees = 70'000;
constexpr int64_t kAverageTicks = 5'000;  // $0.50
constexpr int64_t kOneContract = 1'000'000;

TEST(RestartedPosition, ItsClosingRecordCarriesThePnlAndFeesOfTheWholeRoundTrip) {
  EngineWorld world(test_instance("restart"));
  ASSERT_TRUE(world.start_sim());
  const std::string ticker = ticker_with_bids(kalshi_origin(world.config()));
  ASSERT_FALSE(ticker.empty()) << "the synthetic market bids for nothing";
  {
    Database db(world.database());
    db.exec(
        "INSERT INTO positions (venue, ticker, outcome, strategy, qty_units, average_price_ticks, "
        "realized_pnl_micros, fees_micros, status, opened_ts_ns, updated_ts_ns) VALUES ('kalshi', '" +
        ticker + "', 'yes', 'grinding', " + std::to_string(kOneContract) + ", " +
        std::to_string(kAverageTicks) + ", " + std::to_string(kEarlierPnl) + ", " +
        std::to_string(kEarlierFees) + ", 'open', 1, 1)");
    // The paper venue's account is the fills table: the earlier run's buy.
    db.exec(
        "INSERT INTO fills (intent_id, venue, ticker, side, outcome, price_ticks, qty_units, fee_micros, "
        "liquidity, ts_ns) VALUES (1, 'kalshi', '" +
        ticker + "', 'buy', 'yes', " + std::to_string(kAverageTicks) + ", " + std::to_string(kOneContract) +
        ", " + std::to_string(kEarlierFees) + ", 'taker', 1)");
    db.exec("UPDATE system_state SET value = '1', updated_ts_ns = 1 WHERE key = 'trading_halted'");
  }
  ASSERT_TRUE(world.start_engine()) << world.engine_log();
  ASSERT_NE(world.engine_log().find("recovery: 1 open position(s) restored"), std::string::npos)
      << world.engine_log();

  // The paper close needs the feed's book: ask again until a fill comes back.
  const auto closed = [&] { return engine_counters(world.instance())["gateway.fills"] > 0; };
  for (int attempt = 0; attempt < 10 && !closed(); ++attempt) {
    Child ctl({PMX_CTL, "--instance", world.instance(), "kill", "--close-positions"},
              world.config().parent_path() / "ctl.log");
    ASSERT_EQ(ctl.wait(), 0) << read_text(world.config().parent_path() / "ctl.log");
    (void)eventually(closed, 3s);
  }
  ASSERT_TRUE(closed()) << world.engine_log();
  ASSERT_EQ(world.stop_engine(SIGTERM), 0) << world.engine_log();

  const std::string row = " FROM positions WHERE ticker = '" + ticker + "'";
  ASSERT_EQ(query(world.database(), "SELECT count(*)" + row), 1);
  ASSERT_EQ(query(world.database(), "SELECT status = 'closed'" + row), 1) << world.engine_log();
  const std::string sold = " FROM fills WHERE ticker = '" + ticker + "' AND side = 'sell'";
  ASSERT_EQ(query(world.database(), "SELECT sum(qty_units)" + sold), kOneContract);
  const int64_t close_fees = query(world.database(), "SELECT sum(fee_micros)" + sold);
  // Proceeds in micro-dollars: ticks ($0.0001) x units (10^-6 contract) / 10^4.
  const int64_t proceeds = query(world.database(), "SELECT sum(price_ticks * qty_units) / 10000" + sold);
  const int64_t cost = kAverageTicks * kOneContract / 10'000;
  EXPECT_EQ(query(world.database(), "SELECT fees_micros" + row), kEarlierFees + close_fees);
  EXPECT_EQ(query(world.database(), "SELECT realized_pnl_micros" + row),
            kEarlierPnl + proceeds - cost - close_fees);
}

}  // namespace
}  // namespace pmx::app::test
