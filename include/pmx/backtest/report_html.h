// The backtest's HTML report: one self-contained file (no network): the summary, the equity
// curve, the drawdown, trades per strategy and the histogram of daily returns drawn with Chart.js,
// then the tables (strategies, counts, daily returns, trades, notes).
//
// Chart.js is inlined from the npm package pmx-dash installs (tools/pmx-dash/web/node_modules/
// chart.js/dist/chart.umd.js, found by find_chart_js()). Without it the page says the chart
// library is missing and still shows every table. The report's JSON is embedded as the charts'
// data (<script type="application/json" id="report">). Once the charts are drawn the page sets
// data-charts="<count>" on <body> (what the headless-browser test looks for).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "pmx/backtest/backtest_report.h"

namespace pmx {

// `chart_js`: the library's source; empty: missing (the page says so).
std::string report_to_html(const BacktestReport& report, std::string_view chart_js);

// Where Chart.js is: $PMX_CHARTJS if set, else the pmx-dash npm package of this source tree.
std::optional<std::filesystem::path> find_chart_js();
// The file's text, or empty if it cannot be read.
std::string read_chart_js(const std::filesystem::path& path);

}  // namespace pmx
