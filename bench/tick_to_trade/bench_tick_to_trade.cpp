// bench_tick_to_trade: tick-to-trade of the whole pipeline in one process, on the paper gateway.
//
//   frame text ─handle_frame─► Kalshi parser ─ring─► StrategyStage (book, fair value, detectors,
//   sizing, risk) ─ring─► GatewayStage (client id, router, PaperExchange::submit) = request ready
//
// Tick-to-trade = request ready (the gateway's clock after the paper venue took the child order)
// minus the frame's receive timestamp (taken just before the parser ran), as recorded by the
// GatewayStage into its histogram (0.78% bucket resolution). The frames are Kalshi wire-format
// orderbook_delta messages of tests/engine/pipeline_world.h: each iteration withdraws and then
// restores the best NO bid of one leg of a three-market bundle, and each restore is a bundle below
// $1 that the strategy trades (three FOK legs), so every iteration yields three tick-to-trade
// samples. The real recordings replay first (warm-up, books of real markets in the same tables).
//
//   one_thread   feed, strategy and gateway in one StageLoop round (the backtest layout)
//   two_threads  feed + strategy pinned on CPU 0, the gateway's StageLoop pinned on CPU 1; each
//                restore waits until the gateway has taken its intents (one market move at a time)
//   polymarket_recording  the real Polymarket capture through the whole pipeline, ns per frame
//                (no edge in it: the common path's cost, no tick-to-trade)
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>

#include "pmx/core/clock.h"
#include "pmx/core/thread.h"

#include "pipeline_world.h"

namespace pmx {
namespace {

void report(benchmark::State& state, const shm::LatencyHistogram& histogram, std::vector<int64_t>& strategy) {
  const shm::LatencyHistogram::Stats s = histogram.stats();
  state.counters["p50_ns"] = static_cast<double>(s.p50);
  state.counters["p99_ns"] = static_cast<double>(s.p99);
  state.counters["p999_ns"] = static_cast<double>(s.p999);
  state.counters["samples"] = static_cast<double>(s.count);
  if (!strategy.empty()) {
    std::sort(strategy.begin(), strategy.end());
    state.counters["feed_strategy_p50_ns"] = static_cast<double>(strategy[strategy.size() / 2]);
  }
}

// Puts the calling thread's CPU affinity back when it leaves scope: the two-thread run pins the
// benchmark's own thread, and the next repetition must again see both CPUs.
class AffinityRestorer {
 public:
  AffinityRestorer() { ok_ = pthread_getaffinity_np(pthread_self(), sizeof(saved_), &saved_) == 0; }
  ~AffinityRestorer() {
    if (ok_) (void)pthread_setaffinity_np(pthread_self(), sizeof(saved_), &saved_);
  }
  AffinityRestorer(const AffinityRestorer&) = delete;
  AffinityRestorer& operator=(const AffinityRestorer&) = delete;

 private:
  cpu_set_t saved_{};
  bool ok_ = false;
};

std::vector<std::string> restore_cycles(test::PipelineWorld& world, int64_t n) {
  std::vector<std::string> frames;
  frames.reserve(static_cast<size_t>(2 * n));
  for (int64_t i = 0; i < n; ++i) {
    frames.push_back(world.bundle.b0_best_no_bid(false));
    frames.push_back(world.bundle.b0_best_no_bid(true));
  }
  return frames;
}

void one_thread(benchmark::State& state) {
  test::PipelineWorldOptions options;
  options.record_latencies = false;  // the shm histograms are off (no segment); keep the clock reads out
  test::PipelineWorld world(options);
  world.replay_recordings();
  world.open_bundle();
  const auto iterations = static_cast<int64_t>(state.max_iterations);
  const std::vector<std::string> frames = restore_cycles(world, iterations + 64);
  size_t next = 0;
  for (int i = 0; i < 64; ++i) {  // warm-up: the trading path's first orders
    world.kalshi(frames[next++]);
    world.kalshi(frames[next++]);
  }
  world.settle();
  std::vector<int64_t> strategy;
  strategy.reserve(static_cast<size_t>(iterations));
  const uint64_t samples_before = world.gateway_stage.tick_to_trade().stats().count;
  for (auto _ : state) {
    world.kalshi(frames[next++]);
    // The restore: feed and strategy timed alone (the ratio's reference), then the gateway.
    const MonoNanos received = world.next_mono();
    world.kalshi_feed.handle_frame(frames[next++], received);
    world.now = WallNanos{world.now.ns + 1'000'000};
    world.cadence = MonoNanos{world.cadence.ns + 1'000'000};
    world.strategy.poll(world.now, world.cadence);
    strategy.push_back(mono_now().ns - received.ns);
    world.gateway_stage.poll(world.now, world.cadence);
    world.round();  // the paper exchange's answers flow back
  }
  if (world.gateway_stage.tick_to_trade().stats().count - samples_before !=
      3 * static_cast<uint64_t>(iterations))
    state.SkipWithError("not every restore was traded: the figure would be wrong");
  report(state, world.gateway_stage.tick_to_trade(), strategy);
}

void two_threads(benchmark::State& state) {
  const AffinityRestorer restore_affinity;
  const CpuSet cpus = allowed_cpus();
  if (!cpus.contains(0) || !cpus.contains(1)) {
    state.SkipWithError("needs CPUs 0 and 1");
    return;
  }
  test::PipelineWorldOptions options;
  options.record_latencies = false;
  test::PipelineWorld world(options);
  world.replay_recordings();
  world.open_bundle();
  world.settle();
  const auto iterations = static_cast<int64_t>(state.max_iterations);
  const std::vector<std::string> frames = restore_cycles(world, iterations + 64);

  std::atomic<bool> stop{false};
  StageLoop gateway_loop({.name = "pmx-b-gateway", .cpu = 1});
  gateway_loop.add(world.gateway_stage);
  std::thread gateway([&] { (void)gateway_loop.run(stop); });
  if (!pin_current_thread(0).ok()) state.SkipWithError("cannot pin to CPU 0");

  size_t next = 0;
  const auto market_move = [&] {
    for (int k = 0; k < 2; ++k) {
      world.kalshi_feed.handle_frame(frames[next++], world.next_mono());
      world.now = WallNanos{world.now.ns + 1'000'000};
      world.strategy.poll(world.now, world.cadence);
    }
    while (!world.rings.intents.empty_approx())  // the gateway took the legs
      world.strategy.poll(world.now, world.cadence);
    world.strategy.poll(world.now, world.cadence);  // reports of the previous move
  };
  for (int i = 0; i < 64; ++i)
    market_move();
  std::vector<int64_t> strategy;
  for (auto _ : state)
    market_move();
  stop.store(true, std::memory_order_release);
  gateway.join();
  report(state, world.gateway_stage.tick_to_trade(), strategy);
  state.counters["traded"] = static_cast<double>(world.gateway_stage.counters().sent_at_once);
}

void polymarket_recording(benchmark::State& state) {
  test::PipelineWorldOptions options;
  options.record_latencies = false;
  test::PipelineWorld world(options);
  if (world.polymarket_lines.empty()) {
    state.SkipWithError("no Polymarket recording");
    return;
  }
  world.replay_recordings();
  size_t frames = 0;
  for (auto _ : state) {
    for (const std::string& line : world.polymarket_lines)
      world.polymarket(line);
    frames += world.polymarket_lines.size();
  }
  state.counters["ns_per_frame"] = benchmark::Counter(
      static_cast<double>(frames), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["events_per_frame"] = static_cast<double>(world.polymarket_feed.counters().events) /
                                       static_cast<double>(frames + world.polymarket_lines.size());
}

}  // namespace
}  // namespace pmx

// PMX_BENCH_ITERATIONS (default 100,000) sets the market moves per tick-to-trade run, so perf/ and
// callgrind can run a shorter pass.
int main(int argc, char** argv) {
  const char* env = std::getenv("PMX_BENCH_ITERATIONS");
  const int64_t iterations = env != nullptr ? std::max<int64_t>(1, std::atoll(env)) : 100'000;
  benchmark::RegisterBenchmark("tick_to_trade/kalshi/one_thread", pmx::one_thread)
      ->Iterations(iterations)
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("tick_to_trade/kalshi/two_threads", pmx::two_threads)
      ->Iterations(iterations)
      ->Unit(benchmark::kNanosecond)
      ->UseRealTime();
  benchmark::RegisterBenchmark("pipeline/polymarket_recording", pmx::polymarket_recording)
      ->Unit(benchmark::kMicrosecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
