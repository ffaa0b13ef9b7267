#include "pmx/backtest/replay_pipeline.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "pmx/feed/kalshi/kalshi_feed.h"
#include "pmx/feed/polymarket/polymarket_feed.h"
#include "pmx/feed/universe_file.h"

namespace pmx {
namespace {

std::vector<std::string> keys_of(const MarketUniverse& universe, Venue venue) {
  std::vector<std::string> keys;
  for (const MarketInfo& m : universe.markets())
    if (m.id.valid() && m.venue == venue) keys.push_back(m.key);
  return keys;
}

StrategyStageOptions strategy_stage_options(const ReplayPipelineOptions& o) {
  StrategyStageOptions s;
  s.record_latencies = false;
  s.clock = o.latency_clock;
  s.price_sample_interval_ns = 0;  // the ledger samples equity itself
  s.daily_snapshot_hour_utc = -1;
  return s;
}

}  // namespace

MonoNanos replay_latency_clock() noexcept {
  return MonoNanos{0};
}

PaperExchangeOptions paper_exchange_options(const PaperConfig& paper) {
  PaperExchangeOptions o;
  o.seed = paper.seed;
  o.latency_min_ns = int64_t{paper.latency_min_ms} * 1'000'000;
  o.latency_max_ns = int64_t{paper.latency_max_ms} * 1'000'000;
  o.max_slippage_pct = paper.max_slippage_pct;
  return o;
}

OrderGatewayOptions order_gateway_options(const Config& config) {
  OrderGatewayOptions o;
  o.route = RouteOptions::from(config.execution);
  return o;
}

ReplayPipeline::ReplayPipeline(const MarketUniverse& universe, const Config& config,
                               const std::vector<CrossVenuePair>* cross_venue_pairs, ReplayObserver& observer,
                               ReplayPipelineOptions options)
    : universe_(copy_universe(universe)),
      observer_(observer),
      options_(std::move(options)),
      rings_(options_.rings),
      strategy_ops_(options_.ops_capacity, 1),
      gateway_ops_(options_.ops_capacity, 1),
      loop_(StageLoopOptions{.name = "", .cpu = -1, .wall_clock = nullptr, .mono_clock = nullptr}) {
  if (options_.time_step_ns <= 0) throw std::invalid_argument("ReplayPipeline: time_step_ns must be > 0");
  PaperConfig paper = config.paper;
  if (options_.seed) paper.seed = *options_.seed;
  engine_ = std::make_unique<StrategyEngine>(universe_, config, cross_venue_pairs, options_.engine);
  paper_ = std::make_unique<PaperExchange>(universe_, paper_exchange_options(paper));
  const OrderGatewayOptions gateway_options = order_gateway_options(config);
  recording_ = std::make_unique<RecordingBackend<PaperExchange>>(*paper_, gateway_options.max_parents);
  gateway_ = std::make_unique<OrderGateway<RecordingBackend<PaperExchange>>>(*recording_, universe_,
                                                                             gateway_options);

  // The feeds are never connected: frames arrive through handle_frame.
  if (std::vector<std::string> tickers = keys_of(universe_, Venue::kalshi); !tickers.empty()) {
    KalshiFeedOptions o;
    o.url = "ws://127.0.0.1:1" + std::string(kKalshiWsPath);
    o.market_tickers = std::move(tickers);
    kalshi_feed_ = std::make_unique<KalshiFeed>(universe_.instruments(), rings_.kalshi_events, std::move(o));
  }
  if (std::vector<std::string> assets = keys_of(universe_, Venue::polymarket); !assets.empty()) {
    PolymarketFeedOptions o;
    o.url = "ws://127.0.0.1:1" + std::string(kPolymarketMarketWsPath);
    o.assets_per_connection = assets.size();  // one connection: every frame goes to handle_frame(0, ...)
    o.asset_ids = std::move(assets);
    polymarket_feed_ =
        std::make_unique<PolymarketFeed>(universe_.instruments(), rings_.polymarket_events, std::move(o));
  }
  strategy_ = std::make_unique<StrategyStage>(*engine_, rings_, universe_, nullptr, &strategy_ops_,
                                              strategy_stage_options(options_));
  GatewayStageOptions stage_options;
  stage_options.clock = options_.latency_clock;
  gateway_stage_ = std::make_unique<GatewayStage<RecordingBackend<PaperExchange>>>(
      *gateway_, *recording_, rings_, nullptr, &gateway_ops_, nullptr, stage_options);
  loop_.add(*strategy_);
  loop_.add(*gateway_stage_);
  batch_.resize(256);
}

ReplayPipeline::~ReplayPipeline() = default;

void ReplayPipeline::drain(OpsQueue& queue) noexcept {
  for (size_t n; (n = queue.try_pop_bulk(batch_.data(), batch_.size())) > 0;) {
    for (size_t i = 0; i < n; ++i) {
      try {
        observer_.on_ops_event(batch_[i]);
      } catch (...) {  // an observer that cannot record (allocation failure) loses the record
        ++counters_.observer_failures;
      }
    }
  }
}

void ReplayPipeline::drain_ops() noexcept {
  drain(strategy_ops_);
  drain(gateway_ops_);
  counters_.ops_dropped = strategy_ops_.dropped_relaxed() + gateway_ops_.dropped_relaxed();
  try {
    observer_.on_round(wall_now(), engine_->portfolio());
  } catch (...) {
    ++counters_.observer_failures;
  }
}

bool ReplayPipeline::round() noexcept {
  ++counters_.rounds;
  const bool worked = loop_.run_once(wall_now(), mono_);
  drain_ops();
  return worked;
}

bool ReplayPipeline::working() const noexcept {
  return gateway_stage_->open_orders() > 0 || gateway_stage_->report_backlog() > 0 ||
         strategy_->intent_backlog() > 0 || !rings_.intents.empty_approx() || !rings_.reports.empty_approx();
}

void ReplayPipeline::run_until_idle() noexcept {
  // Bounded: a round that does no work ends it; back-pressure resolves within a few rounds.
  for (int i = 0; i < 1'000'000 && round(); ++i) {
  }
}

void ReplayPipeline::advance_to(MonoNanos until) noexcept {
  if (!started_) {
    mono_ = until;
    started_ = true;
    // Live, each feed's first connect clears the disconnected breaker; the replay starts connected.
    strategy_->on_feed_connected(Venue::kalshi, wall_now());
    strategy_->on_feed_connected(Venue::polymarket, wall_now());
    return;
  }
  if (until.ns <= mono_.ns) return;
  // The last stop is 1 ns before `until`, so whatever came due before the next frame is settled
  // against the books that frame has not changed yet.
  step_through(until.ns - 1);
  mono_ = until;
}

int64_t ReplayPipeline::next_stop(int64_t limit) const noexcept {
  int64_t stop = limit;
  if (const std::optional<WallNanos> due = paper_->next_due())
    stop = std::min(stop, std::max(due->ns - options_.wall_minus_mono_ns, mono_.ns + 1));
  if (gateway_->timed_intents() > 0 || gateway_->active_intents() > paper_->open_orders())
    stop = std::min(stop, mono_.ns + options_.time_step_ns);
  return stop;
}

void ReplayPipeline::step_through(int64_t limit) noexcept {
  while (working() && mono_.ns < limit) {
    mono_ = MonoNanos{next_stop(limit)};
    ++counters_.steps;
    run_until_idle();
  }
}

void ReplayPipeline::frame(Venue venue, std::string_view text, MonoNanos received) noexcept {
  advance_to(received);
  if (venue == Venue::kalshi && kalshi_feed_ != nullptr) {
    kalshi_feed_->handle_frame(text, received);
  } else if (venue == Venue::polymarket && polymarket_feed_ != nullptr) {
    polymarket_feed_->handle_frame(0, text, received);
  } else {
    ++counters_.frames_no_feed;
    return;
  }
  ++counters_.frames;
  run_until_idle();
}

void ReplayPipeline::events(Venue venue, std::span<const MarketEvent> events, MonoNanos received) noexcept {
  advance_to(received);
  SpscRing<MarketEvent>& ring = venue == Venue::kalshi ? rings_.kalshi_events : rings_.polymarket_events;
  for (const MarketEvent& e : events) {
    MarketEvent stamped = e;
    stamped.recv_ts = received;
    // The strategy frees room (it drains up to max_events_per_round per round); bounded.
    bool pushed = ring.try_push(stamped);
    for (int i = 0; !pushed && i < 1'000'000; ++i) {
      (void)round();
      pushed = ring.try_push(stamped);
    }
    ++(pushed ? counters_.events_injected : counters_.events_dropped);
  }
  run_until_idle();
}

void ReplayPipeline::finish(int64_t horizon_ns) noexcept {
  run_until_idle();
  step_through(mono_.ns + std::max<int64_t>(horizon_ns, 0));
}

}  // namespace pmx
