// ReplayPipeline: the engine's stages on one thread under simulated time, for backtests and the
// live/replay equivalence check.
//
//   recorded frame ─KalshiFeed/PolymarketFeed::handle_frame─► feed rings ─► StrategyStage ─intents─►
//   GatewayStage<RecordingBackend<PaperExchange>> ─reports─► StrategyStage   (one StageLoop, run_once by
//   hand)
//
// The very objects the engine runs (feeds' handle_frame, StrategyEngine, StrategyStage,
// GatewayStage, OrderGateway, RecordingBackend, PaperExchange with config.paper.* and the replay's
// seed) are wired as in the engine with shm and the database left out (RecordingBackend as live:
// the gateway's own orders, arbitrage unwinds, are recorded as orders the way the engine's database
// has them): the stages' ops records (opportunities,
// decisions, refusals, order submissions, execution reports, positions) go to one OpsQueue per
// stage, which the pipeline drains after every round into a ReplayObserver (the backtest's
// ledger): the strategy stage's records first, then the gateway stage's, each in push order.
//
// Simulated time. No clock is read on the path: `mono` is the frame's receive time and the
// strategy's wall clock is that plus wall_minus_mono_ns (the capture header's offset). Between two
// frames, while orders work, the clock stops at each time the paper venue has work
// (PaperExchange::next_due: an order's arrival, a cancel), so every fill and cancel is stamped at
// exactly the time its latency model says, whether or not a frame arrives in between; and once
// more 1 ns before the next frame, so what came due before that frame is settled against the books
// it has not changed yet. The gateway's own timed work (TWAP chunks, limit timeouts, children
// waiting for the write budget) has no due time to ask for: while there is any, the clock also
// advances in steps of time_step_ns, and that work is at most one step late.
//
// Not thread-safe; one pipeline per thread. Construction allocates and may throw (bad config,
// implausible ticker); frame() and event() do not allocate once warm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/core/types.h"
#include "pmx/engine/engine_rings.h"
#include "pmx/engine/gateway_stage.h"
#include "pmx/engine/recording_backend.h"
#include "pmx/engine/stage_runner.h"
#include "pmx/engine/strategy_engine.h"
#include "pmx/engine/strategy_stage.h"
#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"
#include "pmx/gateway/order_gateway.h"
#include "pmx/gateway/paper_exchange.h"
#include "pmx/persist/ops_event.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/strategy/cross_venue_mapping.h"

namespace pmx {

class KalshiFeed;
class PolymarketFeed;

// What the pipeline reports, in order, after every round.
class ReplayObserver {
 public:
  virtual ~ReplayObserver() = default;
  // Every ops record of the round, the strategy stage's first, then the gateway stage's.
  virtual void on_ops_event(const OpsEvent& event) = 0;
  // After the round's records: the simulated wall clock and the engine's portfolio.
  virtual void on_round(WallNanos now, const Portfolio& portfolio) = 0;
};

// The clock the stages' latency histograms read (they never decide anything): constant zero.
MonoNanos replay_latency_clock() noexcept;

struct ReplayPipelineOptions {
  std::optional<uint64_t> seed;      // overrides config.paper.seed
  int64_t wall_minus_mono_ns = 0;    // strategy wall clock = receive time + this
  int64_t time_step_ns = 1'000'000;  // clock step while the gateway has timed work (> 0)
  EngineRingSizes rings{};
  size_t ops_capacity = 1 << 16;  // records per round at most (more are dropped, counted)
  // Latency-stamp clock for the stages (never decides anything); tests inject a wild one.
  MonoNanos (*latency_clock)() noexcept = replay_latency_clock;
  StrategyEngineOptions engine{};
};

// The engine's mapping from config to the paper venue's and the gateway's options.
PaperExchangeOptions paper_exchange_options(const PaperConfig& paper);
OrderGatewayOptions order_gateway_options(const Config& config);

struct ReplayCounters {
  uint64_t frames = 0;           // frames handed to a feed
  uint64_t frames_no_feed = 0;   // frames of a venue with no instrument in the universe: skipped
  uint64_t events_injected = 0;  // event() calls (price-history mode)
  uint64_t rounds = 0;
  uint64_t steps = 0;              // rounds run only to move the clock through working orders
  uint64_t ops_dropped = 0;        // the stages' ops queues were full (records lost)
  uint64_t observer_failures = 0;  // the observer threw (could not record)
  uint64_t events_dropped = 0;     // event(): the feed ring stayed full (never seen so far)
};

class ReplayPipeline {
 public:
  ReplayPipeline(const MarketUniverse& universe, const Config& config,
                 const std::vector<CrossVenuePair>* cross_venue_pairs, ReplayObserver& observer,
                 ReplayPipelineOptions options = {});
  ~ReplayPipeline();
  ReplayPipeline(const ReplayPipeline&) = delete;
  ReplayPipeline& operator=(const ReplayPipeline&) = delete;

  // One recorded frame received at `received`: the clock first moves up to it (working orders
  // come due), then the venue's feed parses it and the stages run until idle.
  void frame(Venue venue, std::string_view frame, MonoNanos received) noexcept;
  // Already-normalized events (price-history mode): straight onto the venue's feed ring.
  void events(Venue venue, std::span<const MarketEvent> events, MonoNanos received) noexcept;
  // Moves the clock to `until` through the working orders' due times.
  void advance_to(MonoNanos until) noexcept;
  // The end of the replay: up to `horizon_ns` more simulated time until no order is working.
  void finish(int64_t horizon_ns) noexcept;

  WallNanos wall_now() const noexcept { return WallNanos{mono_.ns + options_.wall_minus_mono_ns}; }
  MonoNanos mono_now() const noexcept { return mono_; }
  const MarketUniverse& universe() const noexcept { return universe_; }
  const StrategyEngine& engine() const noexcept { return *engine_; }
  const StrategyStage& strategy_stage() const noexcept { return *strategy_; }
  const GatewayStage<RecordingBackend<PaperExchange>>& gateway_stage() const noexcept {
    return *gateway_stage_;
  }
  const PaperExchange& paper() const noexcept { return *paper_; }
  const ReplayCounters& counters() const noexcept { return counters_; }
  // Parser counters of the feeds (frames rejected and why); null when the venue has no feed.
  const KalshiFeed* kalshi_feed() const noexcept { return kalshi_feed_.get(); }
  const PolymarketFeed* polymarket_feed() const noexcept { return polymarket_feed_.get(); }

 private:
  bool round() noexcept;  // one round at the current clock, then the ops records
  void run_until_idle() noexcept;
  bool working() const noexcept;
  // The next clock stop at or before `limit` (mono ns): the paper venue's next due time, and a
  // time_step_ns step while the gateway has timed work of its own.
  int64_t next_stop(int64_t limit) const noexcept;
  // Stops the clock at each next_stop() up to `limit` while orders work.
  void step_through(int64_t limit) noexcept;
  void drain_ops() noexcept;
  void drain(OpsQueue& queue) noexcept;

  MarketUniverse universe_;  // the feeds register their tickers in its table (already there)
  ReplayObserver& observer_;
  ReplayPipelineOptions options_;
  EngineRings rings_;
  OpsQueue strategy_ops_;
  OpsQueue gateway_ops_;
  std::unique_ptr<StrategyEngine> engine_;
  std::unique_ptr<PaperExchange> paper_;
  std::unique_ptr<RecordingBackend<PaperExchange>> recording_;  // records the gateway's own orders
  std::unique_ptr<OrderGateway<RecordingBackend<PaperExchange>>> gateway_;
  std::unique_ptr<KalshiFeed> kalshi_feed_;
  std::unique_ptr<PolymarketFeed> polymarket_feed_;
  std::unique_ptr<StrategyStage> strategy_;
  std::unique_ptr<GatewayStage<RecordingBackend<PaperExchange>>> gateway_stage_;
  StageLoop loop_;
  std::vector<OpsEvent> batch_;
  MonoNanos mono_{};
  bool started_ = false;
  ReplayCounters counters_;
};

}  // namespace pmx
