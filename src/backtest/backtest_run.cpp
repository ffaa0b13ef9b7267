#include "pmx/backtest/backtest_run.h"

#include <array>
#include <initializer_list>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "pmx/backtest/backtest_ledger.h"
#include "pmx/backtest/price_history.h"
#include "pmx/feed/kalshi/kalshi_feed.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/polymarket/polymarket_feed.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

namespace pmx {
namespace {

// Appends named counts to the report, in the order given (the report keeps that order).
void add_counts(BacktestReport& report, std::initializer_list<std::pair<const char*, uint64_t>> counts) {
  for (const auto& [name, value] : counts)
    report.counts.emplace_back(name, value);
}

void add_capture_counts(const CaptureCounters& c, BacktestReport& report) {
  add_counts(report, {{"capture.records", c.records},
                      {"capture.bad_lines", c.bad_lines},
                      {"capture.malformed_line", c.error_count(FeedError::malformed_line)},
                      {"capture.bad_venue", c.error_count(FeedError::bad_venue)},
                      {"capture.line_too_long", c.error_count(FeedError::line_too_long)},
                      {"capture.comment_lines", c.comment_lines},
                      {"capture.bad_headers", c.bad_headers}});
}

void add_pipeline_counts(const ReplayPipeline& pipeline, BacktestReport& report) {
  const ReplayCounters& r = pipeline.counters();
  const StrategyEngineCounters& e = pipeline.engine().counters();
  const PaperExchangeCounters& p = pipeline.paper().counters();
  const KalshiFeed* kalshi = pipeline.kalshi_feed();
  const PolymarketFeed* polymarket = pipeline.polymarket_feed();
  add_counts(report,
             {{"feed.frames", r.frames},
              {"feed.frames_without_instruments", r.frames_no_feed},
              {"feed.events_injected", r.events_injected},
              {"feed.kalshi_rejected_frames", kalshi != nullptr ? kalshi->counters().errors : 0},
              {"feed.polymarket_rejected_frames", polymarket != nullptr ? polymarket->counters().errors : 0},
              {"engine.events", e.events},
              {"engine.book_changes", e.book_changes},
              {"engine.stale_books", e.stale_books},
              {"engine.decisions", e.decisions},
              {"engine.throttled", e.throttled},
              {"engine.sized_out", e.sized_out},
              {"engine.groups_refused", e.groups_refused},
              {"engine.exits", e.exits},
              {"engine.thesis_invalidations", e.thesis_invalidations},
              {"paper.submitted", p.submitted},
              {"paper.rejected_no_book", p.rejected_no_book},
              {"paper.rejected_full", p.rejected_full},
              {"replay.rounds", r.rounds},
              {"replay.time_steps", r.steps},
              {"replay.ops_dropped", r.ops_dropped},
              {"replay.observer_failures", r.observer_failures},
              {"replay.events_dropped", r.events_dropped},
              {"replay.orders_working_at_end", pipeline.gateway_stage().open_orders()}});
}

void add_common_notes(const BacktestOptions& options, BacktestReport& report) {
  report.notes.push_back(
      "sharpe_ratio: mean / sample standard deviation of daily returns (one per UTC day with data, each "
      "day's closing equity over the previous close), annualized by sqrt(365) because prediction markets "
      "trade every day; no risk-free rate; null with fewer than two days");
  report.notes.push_back(
      "money: the engine's fixed-point Portfolio (micro-dollars); equity = cash + positions marked at mid");
  report.notes.push_back(
      "win_rate, avg_win, avg_loss: per round trip of a position (opened from flat, closed to flat), net of "
      "fees; positions still open at the end count at the final mid mark");
  report.notes.push_back(
      "fills: the paper exchange's seeded latency, slippage and fill model (config paper.*, seed " +
      std::to_string(report.seed) +
      "); the clock stops at each time the latency model makes an order or cancel due, so fills carry "
      "those exact times; the gateway's own timed work (TWAP chunks, limit timeouts) runs on " +
      std::to_string(options.time_step_ns / 1000) + " us clock steps");
}

}  // namespace

MarketUniverse universe_from_captures(const std::vector<CaptureInput>& captures) {
  MarketUniverse universe;
  {
    KalshiParser kalshi(universe.instruments(), ParserOptions{.register_unknown = true});
    PolymarketParser polymarket(universe.instruments(), ParserOptions{.register_unknown = true});
    for (const CaptureInput& input : captures) {
      CaptureReader reader;
      CaptureReader::Options options;
      options.bare_venue = input.bare_venue;
      if (reader.open(input.path, options) != FeedError::ok)
        throw std::runtime_error(input.path + ": cannot open the capture file");
      CaptureRecord record;
      while (reader.next(record)) {
        if (record.venue == Venue::kalshi) {
          (void)kalshi.parse(record.frame, record.recv_ts);
        } else {
          (void)polymarket.parse(record.frame, record.recv_ts);
        }
      }
    }
  }
  const InstrumentTable& table = universe.instruments();
  const size_t n = table.size();
  for (uint32_t i = 0; i < n; ++i) {
    MarketInfo m;
    m.venue = table.venue(InstrumentId{i});
    m.status = MarketStatus::open;
    m.key = std::string(table.key(InstrumentId{i}));
    if (m.venue == Venue::kalshi) m.market_key = m.key;
    m.tick = Price::from_ticks(1);
    (void)universe.add_market(std::move(m));
  }
  return universe;
}

uint64_t count_capture_records(const std::vector<CaptureInput>& captures) {
  uint64_t n = 0;
  for (const CaptureInput& input : captures) {
    CaptureReader reader;
    CaptureReader::Options options;
    options.bare_venue = input.bare_venue;
    if (reader.open(input.path, options) != FeedError::ok) continue;
    CaptureRecord record;
    while (reader.next(record))
      ++n;
  }
  return n;
}

BacktestReport run_backtest(const Config& config, const MarketUniverse& universe,
                            const std::vector<CrossVenuePair>* cross_venue_pairs,
                            const BacktestOptions& options) {
  BacktestReport report;
  report.seed = options.seed.value_or(config.paper.seed);
  BacktestLedger ledger(universe, config.risk.starting_capital);
  ReplayPipelineOptions pipeline_options;
  pipeline_options.seed = report.seed;
  pipeline_options.time_step_ns = options.time_step_ns;
  pipeline_options.latency_clock = options.latency_clock;
  uint64_t done = 0;
  auto progress = [&] {
    if (options.progress && ++done % options.progress_every == 0)
      options.progress(done, options.progress_total);
  };

  if (!options.price_history_db.empty()) {
    report.source = "price_history";
    const std::vector<PriceSample> samples = load_price_history(options.price_history_db);
    pipeline_options.wall_minus_mono_ns = 0;  // sample times are wall times
    ReplayPipeline pipeline(universe, config, cross_venue_pairs, ledger, pipeline_options);
    uint64_t unknown = 0;
    std::array<MarketEvent, 4> events;
    for (const PriceSample& sample : samples) {
      progress();
      const InstrumentId id = universe.find(sample.venue, sample.ticker);
      if (universe.market(id) == nullptr) {
        ++unknown;
        continue;
      }
      const size_t n = top_of_book_events(sample, id, events);
      pipeline.events(sample.venue, std::span<const MarketEvent>(events.data(), n), MonoNanos{sample.ts.ns});
    }
    pipeline.finish(options.finish_horizon_ns);
    ledger.finish(pipeline.engine().portfolio(), report);
    if (options.trail != nullptr)
      *options.trail = trail_from_records(ledger.opportunities(), ledger.intents(), universe);
    report.counts.emplace_back("price_history.samples", samples.size());
    report.counts.emplace_back("price_history.unknown_instruments", unknown);
    add_pipeline_counts(pipeline, report);
    add_common_notes(options, report);
    report.notes.push_back(
        "price_history mode: each sample is a one-level book per side (no depth beyond the top, no trades "
        "between samples, so volatility sees no volume and resting orders fill only when a later sample "
        "crosses them); the sample time drives both clocks");
    if (options.progress) options.progress(done, options.progress_total);
    return report;
  }

  report.source = "capture";
  CaptureMerge merge(options.captures);
  std::string clock_note;
  if (options.wall_minus_mono_ns) {
    pipeline_options.wall_minus_mono_ns = *options.wall_minus_mono_ns;
    clock_note = "clock: wall = receive time + " + std::to_string(*options.wall_minus_mono_ns) +
                 " ns (--wall-minus-mono-ns)";
  } else if (merge.wall_minus_mono_ns()) {
    pipeline_options.wall_minus_mono_ns = *merge.wall_minus_mono_ns();
    clock_note = "clock: wall = receive time + " + std::to_string(*merge.wall_minus_mono_ns()) +
                 " ns (the capture header's wall_minus_mono_ns)";
  } else {
    clock_note =
        "clock: no capture header and no --wall-minus-mono-ns: wall time = receive time (times to expiry are "
        "not the live ones)";
  }
  ReplayPipeline pipeline(universe, config, cross_venue_pairs, ledger, pipeline_options);
  MergedRecord record;
  while (merge.next(record)) {
    progress();
    pipeline.frame(record.venue, record.frame, record.received);
  }
  pipeline.finish(options.finish_horizon_ns);
  ledger.finish(pipeline.engine().portfolio(), report);
  if (options.trail != nullptr)
    *options.trail = trail_from_records(ledger.opportunities(), ledger.intents(), universe);
  add_capture_counts(merge.counters(), report);
  report.counts.emplace_back("capture.headers_disagree", merge.headers_disagree());
  add_pipeline_counts(pipeline, report);
  add_common_notes(options, report);
  report.notes.push_back(clock_note);
  if (const std::string error = merge.error(); !error.empty())
    report.notes.push_back("input ended early: " + error);
  if (options.progress) options.progress(done, options.progress_total);
  return report;
}

}  // namespace pmx
