// bench_shm: what publishing into the shared-memory state plane costs the hot path.
//
//   BM_publish_top        one top-of-book row under its seqlock
//   BM_counter_increment  one single-writer counter
//   BM_histogram_record   one latency sample
//   BM_tape_append        one 200-byte raw message onto a feed's tape
//   BM_hot_loop/readers:N a stand-in strategy loop (update a book row, two counters, a latency
//                         sample, a tape append every 4th iteration) with N reader threads
//                         attached. The readers run on the other CPU and each takes a full
//                         snapshot (every counter, histogram, book row, the account, recent
//                         orders) 100 times a second: ten times shm-top's rate. The loop is
//                         pinned to the first CPU, so what differs is only the cost readers
//                         impose through the cache lines they share with the writer.
//
// Run: build/release/bench/bench_shm --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "pmx/core/clock.h"
#include "pmx/core/thread.h"
#include "pmx/shm/segment.h"

namespace {

using namespace pmx::shm;

constexpr uint32_t kInstruments = 1024;

Geometry bench_geometry() {
  Geometry g;
  g.max_instruments = kInstruments;
  g.tape_entries = 1 << 14;
  g.tape_bytes = 1 << 22;
  return g;
}

// One segment for the whole run, as in the engine.
struct Fixture {
  std::string instance = "bench-shm-" + std::to_string(::getpid());
  StateWriter writer{instance, bench_geometry(), TradingMode::paper};
  Counter messages = writer.add_counter("bench.messages");
  Counter decisions = writer.add_counter("bench.decisions");
  TapeWriter tape = writer.tape(0, 0);
  std::string frame = std::string(200, 'x');
  Fixture() {
    for (uint32_t i = 0; i < kInstruments; ++i)
      writer.add_instrument(i, 0, "BENCH-" + std::to_string(i));
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

const std::vector<int>& cpus() {
  static const std::vector<int> list = pmx::allowed_cpus().cpus();
  return list;
}

void pin_main(benchmark::State& state) {
  if (const auto status = pmx::pin_current_thread(cpus().front()); !status.ok())
    state.SkipWithError(status.message.c_str());
}

void BM_publish_top(benchmark::State& state) {
  pin_main(state);
  Fixture& f = fixture();
  BookTop top;
  uint32_t i = 0;
  for (auto _ : state) {
    top.bid_ticks = static_cast<int32_t>(4800 + (i & 7));
    top.updated_ns = i;
    f.writer.publish_top(i & (kInstruments - 1), top);
    ++i;
  }
}

void BM_counter_increment(benchmark::State& state) {
  pin_main(state);
  Fixture& f = fixture();
  for (auto _ : state) {
    f.messages.add();
    benchmark::ClobberMemory();
  }
}

void BM_histogram_record(benchmark::State& state) {
  pin_main(state);
  Fixture& f = fixture();
  uint64_t v = 0;
  for (auto _ : state) {
    f.writer.histogram(Stage::feed_parse).record(150 + (v++ & 1023));
  }
}

void BM_tape_append(benchmark::State& state) {
  pin_main(state);
  Fixture& f = fixture();
  int64_t ts = 0;
  for (auto _ : state)
    f.tape.append(f.frame, ts++);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * f.frame.size()));
}

// A full snapshot, as a tool takes it: returns a checksum so nothing is optimised away.
uint64_t read_everything(const StateReader& reader) {
  uint64_t sum = 0;
  for (size_t i = 0; i < kMaxCounters; ++i)
    if (reader.counters()[i].registered.load(std::memory_order_acquire))
      sum += reader.counters()[i].value.load();
  for (size_t s = 0; s < kStageCount; ++s)
    sum += reader.histogram(static_cast<Stage>(s)).stats().p99;
  for (uint32_t i = 0; i < kInstruments; ++i)
    sum += static_cast<uint64_t>(reader.books()[i].top.load().bid_ticks);
  sum += static_cast<uint64_t>(reader.account().account.load().capital_micros);
  reader.recent_orders(64, [&](const OrderRow& row) { sum += row.client_order_id; });
  sum += static_cast<uint64_t>(reader.header().heartbeat_ns.load());
  return sum;
}

void BM_hot_loop(benchmark::State& state) {
  const auto readers = static_cast<int>(state.range(0));
  if (cpus().size() < 2) {
    state.SkipWithError("needs two CPUs");
    return;
  }
  pin_main(state);
  Fixture& f = fixture();
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> snapshots{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < readers; ++r) {
    threads.emplace_back([&] {
      (void)pmx::pin_current_thread(cpus()[1]);
      StateReader reader(f.instance);
      uint64_t sink = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        sink += read_everything(reader);
        snapshots.fetch_add(1, std::memory_order_relaxed);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // 100 snapshots per second
      }
      benchmark::DoNotOptimize(sink);
    });
  }
  BookTop top;
  uint64_t i = 0;
  for (auto _ : state) {
    const uint32_t instrument = static_cast<uint32_t>(i * 2654435761u) & (kInstruments - 1);
    top.bid_ticks = static_cast<int32_t>(4000 + (i & 255));
    top.ask_ticks = top.bid_ticks + 100;
    top.bid_size = static_cast<int64_t>(i);
    top.updated_ns = static_cast<int64_t>(i);
    f.writer.publish_top(instrument, top);
    f.messages.add();
    f.decisions.add();
    f.writer.histogram(Stage::strategy_decision).record(100 + (i & 511));
    if ((i & 3) == 0) f.tape.append(f.frame, static_cast<int64_t>(i));
    f.writer.heartbeat(static_cast<int64_t>(i));
    ++i;
  }
  stop.store(true);
  for (auto& t : threads)
    t.join();
  state.SetItemsProcessed(static_cast<int64_t>(i));
  state.counters["snapshots"] = static_cast<double>(snapshots.load());
}

BENCHMARK(BM_publish_top);
BENCHMARK(BM_counter_increment);
BENCHMARK(BM_histogram_record);
BENCHMARK(BM_tape_append);
BENCHMARK(BM_hot_loop)->Arg(0)->Arg(3)->ArgName("readers")->UseRealTime()->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
