// bench_replay: venue messages per second and bytes per second through what a replay (and the
// live strategy thread) runs per message, on one thread: parse (KalshiParser / PolymarketParser,
// simdjson On-Demand) -> BookSet + models + strategies + risk (StrategyEngine::on_market_event).
//
// Input: the real recordings in ../shared/data/venues (README there), read through the capture
// reader as bare frames, every frame parsed and applied in file order; the set is replayed
// cyclically. Every instrument they name is registered at start-up (as the REST bootstrap does),
// with the finest tick, closing a month after the replay clock's start. Between cycles the Kalshi
// sequencer forgets its sids, so the recorded seq numbers read as a fresh subscription and every
// delta reaches the book again (no cycle is dropped as a duplicate).
//
//   BM_replay/kalshi               36 frames: orderbook snapshots + deltas, trades, tickers
//   BM_replay/polymarket_updates   50 frames: price_change, last_trade_price, small `book`s
//                                  (the steady state of a live market channel)
//   BM_replay/polymarket_dump      the 494-book initial dump (one 900 KB frame): bytes/s
//   BM_replay/live                 kalshi + polymarket_updates: both feeds' steady state
//   BM_replay/all                  every frame of both venues, in file order (dump included)
//
// items_per_second = venue messages (frames) per second; bytes_per_second = frame bytes.
// The counters events_per_frame and intents say the path really ran (events reached the books,
// the strategies decided).
//
// Run: bench_replay --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "replay_path.h"

namespace {

using namespace pmx;
using bench::Frame;
using bench::Replay;

void BM_replay(benchmark::State& state, const char* which) {
  Replay replay(which);
  const auto& frames = replay.set.frames;
  size_t i = 0;
  uint64_t messages = 0, bytes = 0;
  for (auto _ : state) {
    if (i == frames.size()) {
      i = 0;
      replay.rewind();
    }
    const Frame& f = frames[i++];
    replay.step(replay.set, f);
    ++messages;
    bytes += f.size;
  }
  state.SetItemsProcessed(static_cast<int64_t>(messages));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["frames_in_set"] = static_cast<double>(frames.size());
  state.counters["events_per_frame"] =
      messages > 0 ? static_cast<double>(replay.events) / static_cast<double>(messages) : 0.0;
  state.counters["rejected_frames"] = static_cast<double>(replay.rejected);
  state.counters["opportunities"] = static_cast<double>(replay.opportunities);
  state.counters["book_changes"] = static_cast<double>(replay.engine->counters().book_changes);
}

BENCHMARK_CAPTURE(BM_replay, kalshi, "kalshi");
BENCHMARK_CAPTURE(BM_replay, polymarket_updates, "polymarket_updates");
BENCHMARK_CAPTURE(BM_replay, polymarket_dump, "polymarket_dump");
BENCHMARK_CAPTURE(BM_replay, live, "live");
BENCHMARK_CAPTURE(BM_replay, all, "all");

}  // namespace

BENCHMARK_MAIN();
