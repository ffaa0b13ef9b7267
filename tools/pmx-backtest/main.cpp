// pmx-backtest: replays recorded venue frames (or the price_history table) through the engine's own
// parsers, books, strategies, risk and paper gateway on one thread under simulated time, and writes
// a byte-reproducible JSON report (and optionally an HTML one).
//
//   pmx-backtest --config FILE [--set KEY=VALUE]... --capture FILE... [--universe FILE] [--seed N] --report
//   OUT.json
//                [--html OUT.html] [--progress] [--wall-minus-mono-ns N] [--time-step-us N]
//                [--compare-db ENGINE.db [--time-tolerance-ms N]]
//   pmx-backtest --config FILE --price-history DB [--universe FILE] ... --report OUT.json
//
// --capture FILE reads a pmx-record capture (.zst or plain); kalshi:FILE / polymarket:FILE read
// a file of bare frames of that venue. Without --universe the markets are those the parsers see in
// the captures (tick $0.0001, no events, no close time): use the universe file the engine saved
// for a faithful replay. --compare-db prints the live/replay comparison of opportunities and
// intents against the engine's database (exit 3 when they differ).
//
// Exit: 0 done, 1 bad arguments or input, 3 the comparison found a difference.
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "pmx/backtest/audit_trail.h"
#include "pmx/backtest/backtest_ledger.h"
#include "pmx/backtest/backtest_run.h"
#include "pmx/backtest/price_history.h"
#include "pmx/backtest/progress_bar.h"
#include "pmx/backtest/report_html.h"
#include "pmx/backtest/report_json.h"
#include "pmx/core/config.h"
#include "pmx/core/decimal.h"
#include "pmx/feed/bootstrap/universe.h"
#include "pmx/feed/universe_file.h"
#include "pmx/strategy/cross_venue_mapping.h"

namespace {

using namespace pmx;

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw std::runtime_error(path + ": cannot write");
}

struct Arguments {
  std::string config;
  std::vector<std::string> assignments;  // --set KEY=VALUE
  std::vector<std::string> captures;
  std::string universe;
  bool universe_from_venues = false;
  std::string price_history;
  std::optional<uint64_t> seed;
  std::string report;
  std::string html;
  bool progress = false;
  std::optional<int64_t> wall_minus_mono_ns;
  int64_t time_step_us = 1'000;
  std::string compare_db;
  int64_t time_tolerance_ms = 1'000;
};

int run(const Arguments& a) {
  Config config = load_config(a.config);
  for (const std::string& assignment : a.assignments) {  // as pmx-engine --set: after the file
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos) throw std::runtime_error("--set " + assignment + ": expected KEY=VALUE");
    const ConfigStatus status = set_config_key(config, assignment.substr(0, eq), assignment.substr(eq + 1));
    if (!status.ok()) throw std::runtime_error("--set " + status.error);
  }
  std::optional<CrossVenueMapping> mapping;
  if (!config.arbitrage.cross_venue_pairs.empty()) {
    mapping = load_cross_venue_mapping(config.arbitrage.cross_venue_pairs);
    for (const RefusedPair& refused : mapping->refused)
      std::fprintf(stderr, "pmx-backtest: cross-venue pair %s refused: %s\n", refused.name.c_str(),
                   refused.reason.c_str());
  }

  BacktestOptions options;
  for (const std::string& capture : a.captures)
    options.captures.push_back(parse_capture_argument(capture));
  options.price_history_db = a.price_history;
  options.seed = a.seed;
  options.wall_minus_mono_ns = a.wall_minus_mono_ns;
  options.time_step_ns = a.time_step_us * 1'000;

  MarketUniverse universe;
  if (!a.universe.empty()) {
    universe = load_universe(a.universe);
  } else if (a.universe_from_venues) {
    const BootstrapReport bootstrap = bootstrap_universe(config, universe);
    if (!bootstrap.ok()) throw std::runtime_error("market lists: " + bootstrap.summary());
  } else if (a.price_history.empty()) {
    universe = universe_from_captures(options.captures);
  }

  const bool show_progress = a.progress || ::isatty(STDERR_FILENO) == 1;
  ProgressBar bar(stderr, show_progress);
  if (show_progress && a.price_history.empty())
    options.progress_total = count_capture_records(options.captures);
  if (show_progress) options.progress = [&](uint64_t done, uint64_t total) { bar.update(done, total); };

  AuditTrail replay_trail;
  if (!a.compare_db.empty()) options.trail = &replay_trail;
  BacktestReport report;
  if (!a.price_history.empty() && a.universe.empty()) {
    // The database's own instruments (loaded once more inside run_backtest: start-up cost only).
    const MarketUniverse sampled = universe_from_price_history(load_price_history(a.price_history));
    report = run_backtest(config, sampled, mapping ? &mapping->pairs : nullptr, options);
  } else {
    report = run_backtest(config, universe, mapping ? &mapping->pairs : nullptr, options);
  }
  bar.finish();

  write_file(a.report, report_to_json(report));
  if (!a.html.empty()) {
    const std::optional<std::filesystem::path> chart = find_chart_js();
    const std::string chart_js = chart ? read_chart_js(*chart) : std::string();
    if (chart_js.empty())
      std::fprintf(stderr,
                   "pmx-backtest: Chart.js not found (npm ci in tools/pmx-dash/web): %s has tables only\n",
                   a.html.c_str());
    write_file(a.html, report_to_html(report, chart_js));
  }
  char capital[32];
  std::fprintf(stderr, "pmx-backtest: %zu trades, final capital %s, report %s\n", report.trades.size(),
               std::string(format_money(report.final_capital, 2, capital, sizeof capital)).c_str(),
               a.report.c_str());
  if (a.compare_db.empty()) return 0;

  // Live/replay equivalence: the engine's audit trail against the replay's.
  const AuditTrail live = trail_from_database(a.compare_db);
  const int64_t tolerance = a.time_tolerance_ms * 1'000'000;
  bool equal = true;
  for (const auto& [name, live_entries, replay_entries] :
       {std::tuple{"opportunities", &live.opportunities, &replay_trail.opportunities},
        std::tuple{"intents", &live.intents, &replay_trail.intents}}) {
    const TrailComparison c = compare_trails(*live_entries, *replay_entries, tolerance);
    std::printf("%-13s live %zu  replay %zu  matched in order %zu  max time gap %.3f ms  %s\n", name, c.live,
                c.replay, c.matched, static_cast<double>(c.max_time_gap_ns) / 1e6,
                c.equal() ? "SAME" : "DIFFERENT");
    if (!c.equal()) std::printf("  first difference: %s\n", c.first_difference.c_str());
    equal = equal && c.equal();
  }
  return equal ? 0 : 3;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pmx-backtest: replay captures through the engine's own stages under simulated time"};
  Arguments a;
  app.add_option("--config", a.config, "engine configuration (TOML)")->required()->check(CLI::ExistingFile);
  app.add_option("--set", a.assignments,
                 "KEY=VALUE over the configuration (repeatable), as pmx-engine --set");
  app.add_option("--capture", a.captures, "capture file(s); kalshi:FILE / polymarket:FILE for bare frames");
  app.add_option("--universe", a.universe, "universe file the engine saved (ids, ticks, fees, events)")
      ->check(CLI::ExistingFile);
  app.add_flag("--universe-from-venues", a.universe_from_venues,
               "fetch the universe from the venues' REST lists as pmx-engine does at start-up (only faithful "
               "while they list what they listed then: the seeded venue simulator)");
  app.add_option("--price-history", a.price_history,
                 "backtest from this database's price_history table instead")
      ->check(CLI::ExistingFile);
  app.add_option("--seed", a.seed, "paper exchange seed (default: config paper.seed)");
  app.add_option("--report", a.report, "JSON report to write")->required();
  app.add_option("--html", a.html, "HTML report to write (Chart.js inlined)");
  app.add_flag("--progress", a.progress, "progress bar on stderr even when it is not a terminal");
  app.add_option("--wall-minus-mono-ns", a.wall_minus_mono_ns,
                 "strategy wall clock = receive time + this (default: the capture header's)");
  app.add_option("--time-step-us", a.time_step_us,
                 "clock step for the gateway's own timed work (TWAP chunks, limit timeouts, rate-limit "
                 "waits) between frames; paper fills land at their exact modelled times")
      ->check(CLI::Range(int64_t{1}, int64_t{60'000'000}));
  app.add_option("--compare-db", a.compare_db, "engine database: compare its opportunities and intents")
      ->check(CLI::ExistingFile);
  app.add_option("--time-tolerance-ms", a.time_tolerance_ms, "live/replay time difference allowed per entry");
  CLI11_PARSE(app, argc, argv);
  if (a.captures.empty() == a.price_history.empty()) {
    std::fprintf(stderr, "pmx-backtest: give --capture FILE... or --price-history DB (one of them)\n");
    return 1;
  }
  try {
    return run(a);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pmx-backtest: %s\n", e.what());
    return 1;
  }
}
