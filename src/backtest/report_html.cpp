#include "pmx/backtest/report_html.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <vector>

#include "pmx/backtest/report_json.h"
#include "pmx/core/decimal.h"
#include "pmx/core/html_escape.h"

#ifndef PMX_CHARTJS_DIR
#define PMX_CHARTJS_DIR ""
#endif

namespace pmx {
namespace {

// Text inlined in a <script>: "</script" would end the element early.
void append_script_text(std::string& out, std::string_view code) {
  for (size_t i = 0; i < code.size(); ++i) {
    if (code[i] == '<' && i + 1 < code.size() && code[i + 1] == '/') {
      out += "<\\/";
      ++i;
    } else {
      out += code[i];
    }
  }
}

std::string money_text(Money m) {
  char buf[kMaxFixedChars + 2];
  return std::string(format_money(m, 2, buf, sizeof buf));
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

void row(std::string& out, std::string_view name, std::string_view value) {
  out += "<tr><th>";
  append_html_escaped(out, name);
  out += "</th><td>";
  append_html_escaped(out, value);
  out += "</td></tr>\n";
}

constexpr std::string_view kStyle = R"css(
body{font-family:system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:right}th{background:#f6f8fa;text-align:left}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:16px}
.chart{border:1px solid #d0d7de;padding:8px;height:260px}
.missing{background:#fff3cd;border:1px solid #e0c060;padding:8px}
.notes li{font-size:13px}
)css";

constexpr std::string_view kChartCode = R"js(
(function () {
  const r = JSON.parse(document.getElementById('report').textContent);
  const t = (s) => s.slice(0, 19).replace('T', ' ');
  const base = {animation: false, responsive: true, maintainAspectRatio: false,
                plugins: {legend: {display: false}}};
  let charts = 0;
  const draw = (id, config) => { new Chart(document.getElementById(id), config); charts++; };
  draw('equity', {type: 'line', options: base, data: {labels: r.equity_curve.map(p => t(p.time)),
    datasets: [{label: 'equity', data: r.equity_curve.map(p => parseFloat(p.equity)),
                borderColor: '#0969da', pointRadius: 0, stepped: true}]}});
  draw('drawdown', {type: 'line', options: base, data: {labels: r.equity_curve.map(p => t(p.time)),
    datasets: [{label: 'drawdown', data: r.equity_curve.map(p => -parseFloat(p.drawdown)),
                borderColor: '#cf222e', backgroundColor: 'rgba(207,34,46,0.2)', fill: true,
                pointRadius: 0, stepped: true}]}});
  draw('per_strategy', {type: 'bar', options: base, data: {labels: r.strategies.map(s => s.strategy),
    datasets: [{label: 'trades', data: r.strategies.map(s => s.trades), backgroundColor: '#8250df'}]}});
  const returns = r.daily_returns.map(d => parseFloat(d.return_pct));
  const bins = 20, lo = Math.min(0, ...returns), hi = Math.max(0, ...returns);
  const width = (hi - lo) / bins || 1, counts = new Array(bins).fill(0);
  for (const x of returns) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  draw('returns', {type: 'bar', options: base, data: {
    labels: counts.map((_, i) => (lo + (i + 0.5) * width).toFixed(3) + '%'),
    datasets: [{label: 'days', data: counts, backgroundColor: '#1a7f37'}]}});
  document.body.dataset.charts = String(charts);
})();
)js";

}  // namespace

std::string report_to_html(const BacktestReport& r, std::string_view chart_js) {
  std::string out;
  out +=
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>pmx "
      "backtest</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head><body>\n<h1>pmx backtest</h1>\n";

  out += "<table>\n";
  row(out, "source", r.source);
  row(out, "period (UTC)",
      format_utc_nanos(r.start).substr(0, 19) + " .. " + format_utc_nanos(r.end).substr(0, 19));
  row(out, "seed", std::to_string(r.seed));
  row(out, "starting capital", money_text(r.starting_capital));
  row(out, "final capital", money_text(r.final_capital));
  row(out, "total return", fixed(r.total_return_pct, 4) + " %");
  row(out, "Sharpe ratio (daily, x sqrt 365)",
      r.sharpe_ratio ? fixed(*r.sharpe_ratio, 4) : "n/a (fewer than 2 days)");
  row(out, "max drawdown",
      money_text(r.drawdown.max_drawdown) + " (" + fixed(r.drawdown.max_drawdown_pct, 4) + " %)");
  row(out, "win rate",
      fixed(100.0 * r.win_loss.win_rate, 2) + " % of " + std::to_string(r.round_trips) + " round trips");
  row(out, "average win / loss", money_text(r.win_loss.avg_win) + " / " + money_text(r.win_loss.avg_loss));
  row(out, "fees paid", money_text(r.fees_paid));
  row(out, "trades (fills)", std::to_string(r.trades.size()));
  out += "</table>\n";

  out += "<h2>Charts</h2>\n";
  if (chart_js.empty()) {
    out +=
        "<p class=\"missing\">The chart library is missing: Chart.js was not found (install it with "
        "<code>npm ci</code> "
        "in tools/pmx-dash/web, or set PMX_CHARTJS to chart.umd.js), so this report has tables only.</p>\n";
  } else {
    out += "<div class=\"charts\">\n";
    const std::pair<const char*, const char*> charts[] = {{"equity", "Equity curve (mid marks)"},
                                                          {"drawdown", "Drawdown"},
                                                          {"per_strategy", "Trades per strategy"},
                                                          {"returns", "Daily returns (histogram)"}};
    for (const auto& [id, title] : charts) {
      out += "<div><h3>";
      out += title;
      out += "</h3><div class=\"chart\"><canvas id=\"";
      out += id;
      out += "\"></canvas></div></div>\n";
    }
    out += "</div>\n";
  }

  out +=
      "<h2>Strategies</h2>\n<table><tr><th>strategy</th><th>opportunities</th><th>intents</th><th>trades</th>"
      "<th>round trips</th><th>P&amp;L</th><th>fees</th><th>win rate</th></tr>\n";
  for (const StrategyBreakdown& s : r.strategies) {
    out += "<tr><td>";
    append_html_escaped(out, s.strategy);
    out += "</td><td>" + std::to_string(s.opportunities) + "</td><td>" + std::to_string(s.intents) +
           "</td><td>" + std::to_string(s.trades) + "</td><td>" + std::to_string(s.round_trips) +
           "</td><td>" + money_text(s.pnl) + "</td><td>" + money_text(s.fees) + "</td><td>" +
           fixed(100.0 * s.win_loss.win_rate, 2) + " %</td></tr>\n";
  }
  out += "</table>\n<h2>Counts</h2>\n<table>\n";
  for (const auto& [name, value] : r.counts)
    row(out, name, std::to_string(value));
  out += "</table>\n<h2>Daily returns</h2>\n<table><tr><th>date</th><th>close</th><th>return</th></tr>\n";
  for (const DailyReturn& d : r.daily_returns) {
    const int32_t date = utc_date_yyyymmdd(d.day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date / 10'000, date / 100 % 100, date % 100);
    out += std::string("<tr><td>") + buf + "</td><td>" + money_text(d.close) + "</td><td>" +
           fixed(100.0 * d.return_fraction, 4) + " %</td></tr>\n";
  }
  constexpr size_t kShownTrades = 2'000;
  out += "</table>\n<h2>Trades</h2>\n";
  if (r.trades.size() > kShownTrades)
    out += "<p>The first " + std::to_string(kShownTrades) + " of " + std::to_string(r.trades.size()) +
           " (all of them are in the JSON report).</p>\n";
  out +=
      "<table><tr><th>time "
      "(UTC)</th><th>venue</th><th>instrument</th><th>side</th><th>outcome</th><th>price</th>"
      "<th>size</th><th>fee</th><th>strategy</th></tr>\n";
  for (size_t i = 0; i < r.trades.size() && i < kShownTrades; ++i) {
    const TradeRow& t = r.trades[i];
    char price[kMaxFixedChars + 2], size[kMaxFixedChars + 2];
    out += "<tr><td>" + format_utc_nanos(t.time).substr(0, 23) + "</td><td>" +
           std::string(to_string(t.venue)) + "</td><td>";
    append_html_escaped(out, t.instrument);
    out += "</td><td>" + std::string(to_string(t.side)) + "</td><td>" + std::string(to_string(t.outcome)) +
           "</td><td>" + std::string(format_price(t.price, 2, price, sizeof price)) + "</td><td>" +
           std::string(format_qty(t.size, 2, size, sizeof size)) + "</td><td>" + money_text(t.fee) +
           "</td><td>";
    append_html_escaped(out, t.strategy);
    out += "</td></tr>\n";
  }
  out += "</table>\n<h2>Notes</h2>\n<ul class=\"notes\">\n";
  for (const std::string& note : r.notes) {
    out += "<li>";
    append_html_escaped(out, note);
    out += "</li>\n";
  }
  out += "</ul>\n<script type=\"application/json\" id=\"report\">";
  append_script_text(out, report_to_json(r));
  out += "</script>\n";
  if (!chart_js.empty()) {
    out += "<script>";
    append_script_text(out, chart_js);
    out += "</script>\n<script>";
    out += kChartCode;
    out += "</script>\n";
  }
  out += "</body></html>\n";
  return out;
}

std::optional<std::filesystem::path> find_chart_js() {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("PMX_CHARTJS"); env != nullptr && *env != '\0')
    candidates.emplace_back(env);
  const std::filesystem::path dir = PMX_CHARTJS_DIR;
  if (!dir.empty()) {
    candidates.push_back(dir / "chart.umd.min.js");
    candidates.push_back(dir / "chart.umd.js");
  }
  for (const std::filesystem::path& p : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p;
  }
  return std::nullopt;
}

std::string read_chart_js(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace pmx
