// Whole backtests: determinism (byte-identical reports), trades from a session with an edge, the
// real recordings, malformed capture lines, and no clock on the path.
#include "pmx/backtest/backtest_run.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/backtest/report_json.h"

#include "../common/scratch_dir.h"
#include "synthetic_session.h"

namespace pmx {
namespace {

namespace fs = std::filesystem;

class BacktestRun : public ::testing::Test {
 protected:
  // A session of `toggles` deltas 10 minutes apart (a restore every 20 minutes: over a day with 150).
  std::string session_capture(int toggles = 12, const std::string& name = "session.capture.zst") {
    const fs::path path = dir_ / name;
    test::write_capture(path, test::bundle_session(toggles, 600LL * 1'000'000'000));
    return path.string();
  }

  static std::string run_json(const std::vector<CaptureInput>& captures, uint64_t seed = 7) {
    const MarketUniverse universe = test::bundle_universe();
    BacktestOptions options;
    options.captures = captures;
    options.seed = seed;
    return report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options));
  }

  test::ScratchDir scratch_{"pmx-backtest"};
  const fs::path dir_ = scratch_.path();
};

uint64_t count(const BacktestReport& report, const std::string& name) {
  for (const auto& [key, value] : report.counts)
    if (key == name) return value;
  ADD_FAILURE() << "no count " << name;
  return 0;
}

TEST_F(BacktestRun, SessionWithABundleEdgeTrades) {
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{session_capture(), std::nullopt}};
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);

  EXPECT_GE(report.trades.size(), 3u * 7) << "the opening bundle and six restores, three legs each";
  EXPECT_EQ(report.strategies[static_cast<size_t>(StrategyKind::bundle_arb)].trades, report.trades.size());
  EXPECT_GT(count(report, "opportunities"), 0u);
  EXPECT_EQ(count(report, "intents"), count(report, "decisions"));
  EXPECT_GT(report.fees_paid, Money{});
  EXPECT_EQ(report.final_capital,
            report.starting_capital + report.realized_pnl + report.unrealized_pnl - report.fees_paid)
      << "the Portfolio identity";
}

TEST_F(BacktestRun, TwoRunsOfTheSameSessionGiveByteIdenticalReports) {
  const std::vector<CaptureInput> inputs = {{session_capture(), std::nullopt}};
  const std::string first = run_json(inputs);
  const std::string second = run_json(inputs);
  EXPECT_NE(first.find("\"strategy\":\"bundle_arb\",\"liquidity\""), std::string::npos)
      << "the report has trades";
  EXPECT_EQ(first, second);
}

TEST_F(BacktestRun, AnotherSeedChangesTheFills) {
  // The paper exchange's latency and slippage are seeded: a different seed, different fill times.
  const std::vector<CaptureInput> inputs = {{session_capture(), std::nullopt}};
  EXPECT_NE(run_json(inputs, 7), run_json(inputs, 8));
}

TEST_F(BacktestRun, FillsComeAfterTheLatencyModelsDelay) {
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{session_capture(2), std::nullopt}};
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);
  ASSERT_FALSE(report.trades.empty());
  // The opening bundle is decided on the third snapshot (received at start + 3 ms); config paper
  // latency is 5..50 ms, and a fill is stamped at exactly the time it came due.
  const int64_t decided = test::kWallStart + 3'000'000;
  const int64_t delay = report.trades.front().time.ns - decided;
  EXPECT_GE(delay, 5'000'000);
  EXPECT_LE(delay, 50'000'000);
}

// Paper latency fixed at 20 ms; B0's best NO bid (its YES ask at 0.30) is withdrawn `after_ns`
// after the bundle is decided. Returns the report.
BacktestReport withdraw_after(const fs::path& dir, int64_t after_ns) {
  const fs::path path = dir / ("withdraw_" + std::to_string(after_ns) + ".capture");
  test::write_capture(path, test::bundle_session(1, after_ns));
  Config config = test::bundle_config();
  config.paper.latency_min_ms = config.paper.latency_max_ms = 20;
  config.paper.max_slippage_pct = 0;
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{path.string(), std::nullopt}};
  return run_backtest(config, universe, nullptr, options);
}

TEST_F(BacktestRun, OrdersArrivingBeforeTheNextFrameFillAgainstTheBookBeforeIt) {
  const BacktestReport report = withdraw_after(dir_, 30'000'000);
  EXPECT_EQ(report.trades.size(), 3u);
  EXPECT_EQ(count(report, "orders_cancelled"), 0u);
}

TEST_F(BacktestRun, OrdersArrivingAfterTheNextFrameMeetItsBook) {
  const BacktestReport report = withdraw_after(dir_, 10'000'000);
  EXPECT_GE(count(report, "orders_cancelled"), 1u) << "B0's IOC found no ask at its limit";
  EXPECT_GT(report.strategies.back().trades, 0u) << "the filled legs were unwound";
}

// As in the engine's database (its gateway stage runs behind a RecordingBackend), which the
// live/replay equivalence check compares with.
TEST_F(BacktestRun, UnwindsAreRecordedAsOrdersOfTheUnwindRow) {
  const BacktestReport report = withdraw_after(dir_, 10'000'000);
  ASSERT_EQ(report.strategies.back().strategy, "unwind");
  EXPECT_GT(report.strategies.back().intents, 0u);
}

TEST_F(BacktestRun, CaptureHeaderGivesTheStrategyWallClock) {
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{session_capture(2), std::nullopt}};
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);
  EXPECT_EQ(report.start.ns, test::kWallStart);
  EXPECT_EQ(format_utc_nanos(report.start), "2026-11-24T12:00:00.000000000Z");
}

TEST_F(BacktestRun, SessionOverSeveralDaysHasASharpeRatio) {
  const fs::path path = dir_ / "days.capture";
  test::write_capture(path, test::bundle_session(8, 12LL * 3'600 * 1'000'000'000));  // every 12 hours
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{path.string(), std::nullopt}};
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);
  EXPECT_GE(report.daily_returns.size(), 4u);
  EXPECT_TRUE(report.sharpe_ratio.has_value());
}

TEST_F(BacktestRun, MalformedCaptureLinesAreCountedNotFatal) {
  const fs::path path = dir_ / "broken.capture";
  const std::vector<test::SessionFrame> frames = test::bundle_session(4, 1'000'000'000);
  {
    std::ofstream out(path);
    out << capture_header_line(test::kWallMinusMono);
    for (size_t i = 0; i < frames.size(); ++i) {
      out << frames[i].received << "\tkalshi\t" << frames[i].text << "\n";
      if (i == 1) out << "not a capture line\n";       // malformed_line
      if (i == 2) out << "123\tbinance\t{\"a\":1}\n";  // bad_venue
      if (i == 3)
        out << frames[i].received << "\tkalshi\t{\"type\":\"orderbook_delta\",\"sid\":\n";  // bad frame
    }
  }
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{path.string(), std::nullopt}};
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);
  EXPECT_EQ(count(report, "capture.malformed_line"), 1u);
  EXPECT_EQ(count(report, "capture.bad_venue"), 1u);
  EXPECT_EQ(count(report, "feed.kalshi_rejected_frames"), 1u);
  EXPECT_EQ(count(report, "capture.records"), frames.size() + 1);
  EXPECT_GE(report.trades.size(), 3u) << "the well-formed frames still trade";
}

TEST_F(BacktestRun, FramesSplitAcrossFilesReplayLikeOneFile) {
  const std::vector<test::SessionFrame> frames = test::bundle_session(6, 600LL * 1'000'000'000);
  std::vector<test::SessionFrame> even, odd;
  for (size_t i = 0; i < frames.size(); ++i)
    (i % 2 == 0 ? even : odd).push_back(frames[i]);
  test::write_capture(dir_ / "a.capture", even);
  test::write_capture(dir_ / "b.capture.zst", odd);
  test::write_capture(dir_ / "all.capture", frames);
  // Only the count of header lines differs (one per file).
  const auto without_comment_count = [](const std::string& json) {
    return std::regex_replace(json, std::regex("\"capture.comment_lines\":[0-9]+"), "");
  };
  EXPECT_EQ(without_comment_count(run_json({{(dir_ / "a.capture").string(), std::nullopt},
                                            {(dir_ / "b.capture.zst").string(), std::nullopt}})),
            without_comment_count(run_json({{(dir_ / "all.capture").string(), std::nullopt}})));
}

// ---- no clock on the path ----

std::atomic<int64_t> wild_reads{0};
MonoNanos wild_clock() noexcept {
  // Jumps by a different large amount at every read: anything deciding with it would differ.
  const int64_t n = wild_reads.fetch_add(1, std::memory_order_relaxed);
  return MonoNanos{(n * 7'919 % 104'729) * 1'000'000'007};
}

TEST_F(BacktestRun, InjectedLatencyClockNeverChangesTheReport) {
  const std::vector<CaptureInput> inputs = {{session_capture(), std::nullopt}};
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = inputs;
  const std::string plain = report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options));
  options.latency_clock = wild_clock;
  const std::string first = report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options));
  const std::string second = report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options));
  EXPECT_EQ(first, plain);
  EXPECT_EQ(second, plain);
}

// ---- the real recordings ----

const std::string kKalshiRecording =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";
const std::string kPolymarketRecording =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/polymarket/ws_market_frames_2026-05-24.jsonl";

TEST_F(BacktestRun, RealRecordingsReplayDeterministically) {
  if (!fs::exists(kKalshiRecording) || !fs::exists(kPolymarketRecording))
    GTEST_SKIP() << "no recordings under " PMX_SHARED_DATA_DIR "/venues";
  // The Kalshi file starts after its subscription reply: give the parser the sid first.
  const fs::path subscribed = dir_ / "subscribed.jsonl";
  std::ofstream(subscribed) << R"({"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}})"
                            << "\n";
  const std::vector<CaptureInput> inputs = {parse_capture_argument("kalshi:" + subscribed.string()),
                                            parse_capture_argument("kalshi:" + kKalshiRecording),
                                            parse_capture_argument("polymarket:" + kPolymarketRecording)};
  const MarketUniverse universe = universe_from_captures(inputs);
  ASSERT_GT(universe.size(), 2u);
  BacktestOptions options;
  options.captures = inputs;
  const BacktestReport report = run_backtest(test::bundle_config(), universe, nullptr, options);
  EXPECT_GT(count(report, "engine.events"), 1'000u);
  EXPECT_EQ(count(report, "feed.kalshi_rejected_frames"), 0u);
  EXPECT_EQ(report_to_json(report),
            report_to_json(run_backtest(test::bundle_config(), universe, nullptr, options)));
}

}  // namespace
}  // namespace pmx
