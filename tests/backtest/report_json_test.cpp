// The JSON report's format: stable keys, exact decimals, null where undefined.
#include "pmx/backtest/report_json.h"

#include <string>

#include <gtest/gtest.h>

namespace pmx {
namespace {

BacktestReport small_report() {
  BacktestReport r;
  r.source = "capture";
  r.seed = 42;
  r.start = WallNanos{1'795'521'600LL * 1'000'000'000};
  r.end = WallNanos{r.start.ns + 1'500'000'123};
  r.starting_capital = Money::dollars(10'000);
  r.final_capital = Money::from_micros(10'012'345'678);
  r.total_return_pct = 0.12345678;
  r.fees_paid = Money::from_micros(70'000);
  TradeRow t;
  t.time = r.start;
  t.instrument = "KX\"Q\"";
  t.price = Price::from_ticks(4'250);
  t.size = Qty::from_units(12'500'000);
  t.fee = Money::from_micros(10'000);
  t.strategy = "grinding";
  r.trades.push_back(t);
  r.counts = {{"opportunities", 3}, {"intents", 2}};
  r.notes = {"a note"};
  return r;
}

TEST(ReportJson, MoneyIsAnExactDecimalWithSixPlaces) {
  const std::string json = report_to_json(small_report());
  EXPECT_NE(json.find("\"final_capital\":10012.345678,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"starting_capital\":10000.000000,"), std::string::npos);
}

TEST(ReportJson, TradeHasTimeVenueInstrumentSidePriceSizeFeeStrategy) {
  const std::string json = report_to_json(small_report());
  EXPECT_NE(json.find(R"({"time":"2026-11-24T12:00:00.000000000Z","venue":"kalshi","instrument":"KX\"Q\"",)"
                      R"("side":"buy","outcome":"yes","price":0.4250,"size":12.500000,"fee":0.010000,)"
                      R"("strategy":"grinding","liquidity":"taker","intent_id":0})"),
            std::string::npos)
      << json;
}

TEST(ReportJson, UndefinedSharpeIsNull) {
  EXPECT_NE(report_to_json(small_report()).find("\"sharpe_ratio\":null,\"sharpe_days\":0,"),
            std::string::npos);
}

TEST(ReportJson, RatiosHaveSixDecimals) {
  BacktestReport r = small_report();
  r.sharpe_ratio = 1.0 / 3.0;
  const std::string json = report_to_json(r);
  EXPECT_NE(json.find("\"total_return_pct\":0.123457,"), std::string::npos);
  EXPECT_NE(json.find("\"sharpe_ratio\":0.333333,"), std::string::npos);
}

TEST(ReportJson, KeysComeInAFixedOrder) {
  const std::string json = report_to_json(small_report());
  const char* keys[] = {
      "\"report\"",        "\"source\"",           "\"seed\"",         "\"start\"",        "\"end\"",
      "\"final_capital\"", "\"total_return_pct\"", "\"sharpe_ratio\"", "\"max_drawdown\"", "\"win_rate\"",
      "\"avg_win\"",       "\"avg_loss\"",         "\"fees_paid\"",    "\"counts\"",       "\"strategies\"",
      "\"daily_returns\"", "\"equity_curve\"",     "\"trades\"",       "\"notes\""};
  size_t at = 0;
  for (const char* key : keys) {
    const size_t found = json.find(key);
    ASSERT_NE(found, std::string::npos) << key;
    EXPECT_GT(found, at) << key << " out of order";
    at = found;
  }
}

TEST(ReportJson, UtcTimeKeepsNanoseconds) {
  EXPECT_EQ(format_utc_nanos(WallNanos{1'795'521'601LL * 1'000'000'000 + 5}),
            "2026-11-24T12:00:01.000000005Z");
}

}  // namespace
}  // namespace pmx
