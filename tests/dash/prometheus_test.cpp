#include "prometheus.h"

#include <gtest/gtest.h>

#include "exposition_checker.h"

namespace pmx::dash {
namespace {

shm::Snapshot sample_snapshot() {
  shm::Snapshot s;
  s.instance = "demo";
  s.engine.pid = 42;
  s.engine.heartbeat_age_ns = 1'500'000;
  s.counters = {{"kalshi.messages_in", 1200}, {"weird \"name\"\\with\nnewline", 7}};
  s.latency[0] = {100, 850, 12'300, 45'600, 99'000};
  s.rings = {{"feed->strategy", 1024, 3, 17}};
  s.threads = {{"strategy", 1, 5000, 123'456'789}};
  s.account.capital_micros = 10'000'500'000;
  s.account.drawdown_pct = 1.25;
  s.risk.breakers = shm::kBreakerKillSwitch;
  return s;
}

std::string text_of(const shm::Snapshot* s) {
  return metrics_text(s, "demo", DashGauges{});
}

TEST(Metrics, ParsesAsPrometheusTextWithAnEngine) {
  const shm::Snapshot s = sample_snapshot();
  const test::Exposition e = test::check_exposition(text_of(&s));
  EXPECT_TRUE(e.problems.empty()) << ::testing::PrintToString(e.problems);
  EXPECT_EQ(e.types.at("pmx_latency_seconds"), "summary");
  EXPECT_EQ(e.types.at("pmx_counter_total"), "counter");
}

TEST(Metrics, ParsesAsPrometheusTextWithoutAnEngine) {
  const test::Exposition e = test::check_exposition(text_of(nullptr));
  EXPECT_TRUE(e.problems.empty()) << ::testing::PrintToString(e.problems);
  EXPECT_EQ(e.series.at("pmx_engine_up{instance=\"demo\"}"), "0");
  EXPECT_FALSE(e.types.count("pmx_capital_dollars"));
}

TEST(Metrics, CounterNamesFromSharedMemoryAreEscapedLabelValues) {
  const shm::Snapshot s = sample_snapshot();
  const test::Exposition e = test::check_exposition(text_of(&s));
  EXPECT_EQ(e.series.at(R"(pmx_counter_total{instance="demo",name="weird \"name\"\\with\nnewline"})"), "7");
}

TEST(Metrics, LatenciesAreExactSecondsFromNanoseconds) {
  const shm::Snapshot s = sample_snapshot();
  const test::Exposition e = test::check_exposition(text_of(&s));
  EXPECT_EQ(e.series.at(R"(pmx_latency_seconds{instance="demo",stage="feed_parse",quantile="0.99"})"),
            "0.0000123");
  EXPECT_EQ(e.series.at(R"(pmx_latency_seconds_count{instance="demo",stage="feed_parse"})"), "100");
}

TEST(Metrics, MoneyIsExactDollarsAndBreakersAreFlags) {
  const shm::Snapshot s = sample_snapshot();
  const test::Exposition e = test::check_exposition(text_of(&s));
  EXPECT_EQ(e.series.at(R"(pmx_capital_dollars{instance="demo"})"), "10000.5");
  EXPECT_EQ(e.series.at(R"(pmx_circuit_breaker_tripped{instance="demo",breaker="kill_switch"})"), "1");
  EXPECT_EQ(e.series.at(R"(pmx_circuit_breaker_tripped{instance="demo",breaker="drawdown"})"), "0");
}

TEST(ExpositionChecker, CatchesASampleWithoutType) {
  EXPECT_FALSE(test::check_exposition("# HELP x y\nx 1\n").problems.empty());
}

TEST(ExpositionChecker, CatchesABadEscapeAndABadValue) {
  EXPECT_FALSE(test::check_exposition("# HELP x y\n# TYPE x gauge\nx{a=\"\\q\"} 1\n").problems.empty());
  EXPECT_FALSE(test::check_exposition("# HELP x y\n# TYPE x gauge\nx one\n").problems.empty());
}

}  // namespace
}  // namespace pmx::dash
