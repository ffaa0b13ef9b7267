// The pmx-backtest program end to end: a capture, the universe file and a config in, the same
// report bytes out twice, and an HTML report.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "pmx/feed/universe_file.h"

#include "../common/scratch_dir.h"
#include "synthetic_session.h"

namespace pmx {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class PmxBacktestTool : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_capture(dir_ / "session.capture.zst", test::bundle_session(10, 600LL * 1'000'000'000));
    save_universe(test::bundle_universe(), dir_ / "universe.json");
    std::ofstream(dir_ / "backtest.toml")
        << "[risk]\nstarting_capital = 1000000.0\nmax_position_pct = 50.0\n"
           "max_total_exposure_pct = 90.0\nmax_correlated_exposure_pct = 90.0\n"
           "max_concurrent_positions = 10000\ntrade_cooldown_s = 0\n"
           "max_orders_per_minute = 100000\nstale_feed_ms = 3600000\n";
  }

  std::string command(const std::string& report, const std::string& extra = "") const {
    return std::string(PMX_BACKTEST_BIN) + " --config " + (dir_ / "backtest.toml").string() + " --capture " +
           (dir_ / "session.capture.zst").string() + " --universe " + (dir_ / "universe.json").string() +
           " --seed 11 --report " + (dir_ / report).string() + " " + extra + " 2>" +
           (dir_ / "stderr").string();
  }
  test::ScratchDir scratch_{"pmx-backtest"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(PmxBacktestTool, TwoRunsWriteByteIdenticalReports) {
  ASSERT_EQ(run(command("one.json")), 0) << slurp(dir_ / "stderr");
  ASSERT_EQ(run(command("two.json")), 0) << slurp(dir_ / "stderr");
  const std::string one = slurp(dir_ / "one.json");
  EXPECT_NE(one.find("\"strategy\":\"bundle_arb\",\"liquidity\":\"taker\""), std::string::npos)
      << one.substr(0, 400);
  EXPECT_NE(one.find("\"seed\":11,"), std::string::npos);
  EXPECT_EQ(one, slurp(dir_ / "two.json"));
}

TEST_F(PmxBacktestTool, WritesTheHtmlReport) {
  ASSERT_EQ(run(command("r.json", "--html " + (dir_ / "r.html").string())), 0) << slurp(dir_ / "stderr");
  const std::string html = slurp(dir_ / "r.html");
  EXPECT_NE(html.find("<h1>pmx backtest</h1>"), std::string::npos);
  EXPECT_NE(html.find("PMXT-BUN-B1"), std::string::npos);
}

TEST_F(PmxBacktestTool, ProgressFlagShowsNothingForAShortRun) {
  ASSERT_EQ(run(command("r.json", "--progress")), 0);
  EXPECT_EQ(slurp(dir_ / "stderr").find('['), std::string::npos) << "a run under a second has no bar";
}

TEST_F(PmxBacktestTool, MissingCaptureIsAClearError) {
  const std::string cmd = std::string(PMX_BACKTEST_BIN) + " --config " + (dir_ / "backtest.toml").string() +
                          " --capture " + (dir_ / "nope.capture").string() + " --report " +
                          (dir_ / "r.json").string() + " 2>" + (dir_ / "stderr").string();
  EXPECT_EQ(run(cmd), 1);
  EXPECT_NE(slurp(dir_ / "stderr").find("nope.capture: cannot open the capture file"), std::string::npos)
      << slurp(dir_ / "stderr");
}

TEST_F(PmxBacktestTool, NeitherCaptureNorPriceHistoryIsRefused) {
  const std::string cmd = std::string(PMX_BACKTEST_BIN) + " --config " + (dir_ / "backtest.toml").string() +
                          " --report " + (dir_ / "r.json").string() + " 2>/dev/null";
  EXPECT_EQ(run(cmd), 1);
}

}  // namespace
}  // namespace pmx
