// The HTML report: self-contained, tables without Chart.js, and charts drawn in headless Chromium.
#include "pmx/backtest/report_html.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "pmx/backtest/backtest_run.h"

#include "../common/scratch_dir.h"
#include "synthetic_session.h"

namespace pmx {
namespace {

namespace fs = std::filesystem;

const char* kChromium = "/usr/bin/chromium";

BacktestReport session_report(const fs::path& dir) {
  const fs::path capture = dir / "session.capture";
  test::write_capture(capture, test::bundle_session(8, 6LL * 3'600 * 1'000'000'000));
  const MarketUniverse universe = test::bundle_universe();
  BacktestOptions options;
  options.captures = {{capture.string(), std::nullopt}};
  return run_backtest(test::bundle_config(), universe, nullptr, options);
}

// Runs a shell command; its stdout.
std::string run(const std::string& command) {
  std::string out;
  if (std::FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;)
      out.append(buf, n);
    ::pclose(pipe);
  }
  return out;
}

class ReportHtml : public ::testing::Test {
 protected:
  test::ScratchDir scratch_{"pmx-backtest"};
  const fs::path dir_ = scratch_.path();
};

TEST_F(ReportHtml, WithoutChartJsThePageSaysSoAndKeepsTheTables) {
  const std::string html = report_to_html(session_report(dir_), "");
  EXPECT_NE(html.find("chart library is missing"), std::string::npos);
  EXPECT_NE(html.find("<td>bundle_arb</td>"), std::string::npos);
  EXPECT_NE(html.find("PMXT-BUN-B0"), std::string::npos) << "the trades table";
  EXPECT_EQ(html.find("<canvas"), std::string::npos);
}

TEST_F(ReportHtml, PageIsSelfContained) {
  const std::string html = report_to_html(session_report(dir_), "/* chart.js */");
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos) << "no external script";
}

TEST_F(ReportHtml, InlinedScriptCannotCloseItsElement) {
  const std::string html = report_to_html(BacktestReport{}, "var s = '</script><b>';");
  EXPECT_NE(html.find("var s = '<\\/script><b>';"), std::string::npos);
}

TEST_F(ReportHtml, HeadlessChromiumDrawsTheFourCharts) {
  const std::optional<fs::path> chart = find_chart_js();
  if (!chart) GTEST_SKIP() << "Chart.js not installed (npm ci in tools/pmx-dash/web)";
  if (!fs::exists(kChromium)) GTEST_SKIP() << "no " << kChromium;
  const fs::path page = dir_ / "report.html";
  std::ofstream(page) << report_to_html(session_report(dir_), read_chart_js(*chart));
  const std::string flags = std::string(kChromium) +
                            " --headless --no-sandbox --disable-gpu --disable-background-networking "
                            "--user-data-dir=" +
                            (dir_ / "profile").string() + " --virtual-time-budget=5000 ";

  const std::string dom = run(flags + "--dump-dom file://" + page.string() + " 2>/dev/null");
  EXPECT_NE(dom.find("data-charts=\"4\""), std::string::npos) << "Chart.js ran and drew every chart";

  // Screenshot: the report's, against a blank page's of the same size.
  const fs::path shot = dir_ / "report.png";
  const fs::path blank_page = dir_ / "blank.html";
  const fs::path blank_shot = dir_ / "blank.png";
  std::ofstream(blank_page) << "<!DOCTYPE html><html><body></body></html>";
  run(flags + "--window-size=1280,1600 --screenshot=" + shot.string() + " file://" + page.string() +
      " 2>/dev/null");
  run(flags + "--window-size=1280,1600 --screenshot=" + blank_shot.string() + " file://" +
      blank_page.string() + " 2>/dev/null");
  ASSERT_TRUE(fs::exists(shot));
  ASSERT_TRUE(fs::exists(blank_shot));
  EXPECT_GT(fs::file_size(shot), 20'000u);
  EXPECT_GT(fs::file_size(shot), 5 * fs::file_size(blank_shot))
      << "the screenshot shows more than a blank page";
}

}  // namespace
}  // namespace pmx
