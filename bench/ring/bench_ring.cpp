// bench_ring: pmx::SpscRing against boost::lockfree::spsc_queue and
// moodycamel::ReaderWriterQueue, two threads on two different CPUs.
//
//   throughput  producer (benchmark thread, CPU A) pushes; consumer (CPU B) drains. One
//               iteration = one record; items_per_second is the figure to read.
//   rtt         ping thread (CPU A) pushes into ring 1 and waits for the echo on ring 2;
//               echo thread (CPU B) pops ring 1, pushes ring 2. Time per iteration = one
//               round trip, the latency a pipeline stage hand-off feels twice.
//
// Each implementation is driven through a small adapter using its best consumer API:
// batched in-place consumption for pmx (consume_batch) and Boost (consume_all); moodycamel
// has none, so it pops one record at a time. `pmx_pop1` shows pmx without batching.
// Every record carries its sequence number and the consumer checks it, so a broken ring
// fails the benchmark rather than reporting a fast wrong answer.
//
// Polling policy, the same for every peer: a consumer (or the ping thread waiting for its echo)
// that finds its ring empty executes pmx::spin_pause() before polling again, exactly as the
// engine's StageLoop does after an idle round. The spacing of empty polls decides how often the
// consumer steals the producer's index line, so it moves every result; measuring all three
// rings under the pipeline's own policy is what makes them comparable with the pipeline. A
// producer that finds its ring full retries at once. Timing starts only once the other thread
// is pinned and polling, so thread start-up is not in the figures.
//
// Run: scripts/bench-ring.sh (release build, 10 repetitions, random interleaving,
//      aggregates only); extra arguments are passed to the benchmark.
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>

// Moodycamel's supported knob for its index padding; see the adapters below.
#define MOODYCAMEL_CACHE_LINE_SIZE 128

#include <benchmark/benchmark.h>
#include <boost/lockfree/spsc_queue.hpp>
#include <pthread.h>
#include <readerwriterqueue/readerwriterqueue.h>
#include <sched.h>

#include "pmx/core/thread.h"
#include "pmx/ring/spsc_ring.h"

namespace {

constexpr size_t kCapacity = 4096;

struct alignas(64) Event64 {
  uint64_t sequence;
  uint64_t payload[7];
};
static_assert(sizeof(Event64) == 64, "the 64-byte case is one cache line, like a pipeline event");

template <typename T>
T make_record(uint64_t seq) {
  if constexpr (std::is_same_v<T, int>) {
    return static_cast<int>(seq);
  } else {
    T e{};
    e.sequence = seq;
    return e;
  }
}
template <typename T>
uint64_t sequence_of(const T& record) {
  if constexpr (std::is_same_v<T, int>) {
    return static_cast<uint32_t>(record);
  } else {
    return record.sequence;
  }
}
// int records wrap at 2^32; compare in that width.
template <typename T>
bool same_sequence(const T& record, uint64_t expected) {
  if constexpr (std::is_same_v<T, int>) {
    return sequence_of(record) == static_cast<uint32_t>(expected);
  } else {
    return sequence_of(record) == expected;
  }
}

// ---- adapters: push one, consume what is there -------------------------------------------
//
// Each peer runs in its best configuration. Boost and moodycamel pad their two indices 64
// bytes apart; when both lines fall in one 128-byte pair, the adjacent-line prefetcher
// false-shares them, and throughput swung 5x between runs with the placement. So Boost's
// queue object (which holds both indices inline) is placed at 64 mod 128, putting them in
// different pairs, and moodycamel is built with MOODYCAMEL_CACHE_LINE_SIZE=128, its own knob
// for this. pmx's ring pads to 128 by itself, wherever it is placed.

template <typename T>
struct PmxRing {
  static constexpr size_t kPlacement = 0;
  pmx::SpscRingBuffer<T> ring{kCapacity};
  bool push(const T& v) { return ring->try_push(v); }
  template <typename F>
  size_t consume(F&& f) {
    return ring->consume_batch(f);
  }
};

template <typename T>
struct PmxRingPopOne {
  static constexpr size_t kPlacement = 0;
  pmx::SpscRingBuffer<T> ring{kCapacity};
  bool push(const T& v) { return ring->try_push(v); }
  template <typename F>
  size_t consume(F&& f) {
    T v;
    if (!ring->try_pop(v)) return 0;
    f(v);
    return 1;
  }
};

template <typename T>
struct BoostRing {
  static constexpr size_t kPlacement = 64;  // write_index at 64, read_index at 128 mod 128
  boost::lockfree::spsc_queue<T> queue{kCapacity};
  bool push(const T& v) { return queue.push(v); }
  template <typename F>
  size_t consume(F&& f) {
    return queue.consume_all(f);
  }
};

template <typename T>
struct MoodycamelRing {
  static constexpr size_t kPlacement = 0;
  moodycamel::ReaderWriterQueue<T> queue{kCapacity};
  bool push(const T& v) { return queue.try_enqueue(v); }  // try_: never allocates
  template <typename F>
  size_t consume(F&& f) {
    T v;
    if (!queue.try_dequeue(v)) return 0;
    f(v);
    return 1;
  }
};

// Owns an Adapter constructed Adapter::kPlacement bytes past a 128-byte boundary, on the
// heap: nothing another thread touches shares a line with the benchmark's stack frame.
template <typename Adapter>
class Placed {
  static_assert(alignof(Adapter) <= pmx::kFalseSharingRange && Adapter::kPlacement % alignof(Adapter) == 0,
                "the placement offset must keep the adapter aligned");

 public:
  Placed()
      : memory_(static_cast<std::byte*>(::operator new (Adapter::kPlacement + sizeof(Adapter),
                                                        std::align_val_t{pmx::kFalseSharingRange}))),
        adapter_(::new (memory_ + Adapter::kPlacement) Adapter()) {}
  ~Placed() {
    adapter_->~Adapter();
    ::operator delete (memory_, std::align_val_t{pmx::kFalseSharingRange});
  }
  Placed(const Placed&) = delete;
  Placed& operator=(const Placed&) = delete;

  Adapter* operator->() noexcept { return adapter_; }

 private:
  std::byte* memory_;
  Adapter* adapter_;
};

// ---- CPUs -----------------------------------------------------------------------------------

struct CpuPair {
  int a = -1;
  int b = -1;
};

// The first two CPUs this process may run on; the benchmark is meaningless on one. Read
// once, before the first benchmark pins the main thread (which narrows its own mask).
CpuPair pick_cpus() {
  static const CpuPair pair = [] {
    const pmx::CpuSet allowed = pmx::allowed_cpus();
    const std::vector<int>& cpus = allowed.cpus();
    return cpus.size() < 2 ? CpuPair{} : CpuPair{cpus[0], cpus[1]};
  }();
  return pair;
}

// Pins the calling thread; false (and the benchmark marked skipped) if the kernel refused.
bool pin(benchmark::State& state, int cpu) {
  const pmx::ThreadStatus status = pmx::pin_current_thread(cpu);
  if (!status.ok()) state.SkipWithError(status.message.c_str());
  return status.ok();
}

// ---- drivers --------------------------------------------------------------------------------

// Spins until the other thread has pinned itself and is about to poll.
void wait_until_ready(const std::atomic<bool>& ready) {
  while (!ready.load(std::memory_order_acquire))
    pmx::spin_pause();
}

// What the two threads of a driver share lives on the heap, each piece in its own 128-byte
// block. On the stack, the adapters and the stop flag sat on lines beside each other and
// beside the producer's frame, and that false sharing made the results bimodal.
template <typename T>
struct alignas(pmx::kFalseSharingRange) SharedFlag {
  std::atomic<T> value;
  explicit SharedFlag(T initial) : value(initial) {}
};

template <template <typename> class Ring, typename T>
void BM_throughput(benchmark::State& state) {
  const CpuPair cpus = pick_cpus();
  if (cpus.b < 0) {
    state.SkipWithError("needs two CPUs");
    return;
  }
  if (!pin(state, cpus.a)) return;
  auto ring = std::make_unique<Placed<Ring<T>>>();
  auto total = std::make_unique<SharedFlag<uint64_t>>(UINT64_MAX);  // set when the producer stops
  auto ready = std::make_unique<SharedFlag<bool>>(false);           // set once the consumer is pinned
  uint64_t errors = 0;                                              // written by the consumer before join()
  bool consumer_pinned = false;                                     // likewise
  std::thread consumer([&] {
    consumer_pinned = pmx::pin_current_thread(cpus.b).ok();
    ready->value.store(true, std::memory_order_release);
    uint64_t expected = 0;
    uint64_t bad = 0;
    auto check = [&](const T& record) {
      bad += !same_sequence(record, expected);
      ++expected;
    };
    // `total` only says when to stop; the records carry their own ordering through the ring
    // under test, so acquire here is for the final count alone.
    while (expected != total->value.load(std::memory_order_acquire))
      if ((*ring)->consume(check) == 0) pmx::spin_pause();
    errors = bad;
  });

  wait_until_ready(ready->value);
  uint64_t seq = 0;
  for (auto _ : state) {
    const T record = make_record<T>(seq);
    while (!(*ring)->push(record)) {
    }
    ++seq;
  }
  total->value.store(seq, std::memory_order_release);
  consumer.join();  // orders the consumer's plain writes before the reads below
  if (!consumer_pinned) state.SkipWithError("could not pin the consumer");
  if (errors != 0) state.SkipWithError("consumer saw records out of order");
  state.SetItemsProcessed(static_cast<int64_t>(seq));
  state.SetBytesProcessed(static_cast<int64_t>(seq * sizeof(T)));
}

template <template <typename> class Ring, typename T>
void BM_rtt(benchmark::State& state) {
  const CpuPair cpus = pick_cpus();
  if (cpus.b < 0) {
    state.SkipWithError("needs two CPUs");
    return;
  }
  if (!pin(state, cpus.a)) return;
  auto ping = std::make_unique<Placed<Ring<T>>>();
  auto pong = std::make_unique<Placed<Ring<T>>>();
  auto stop = std::make_unique<SharedFlag<bool>>(false);
  auto ready = std::make_unique<SharedFlag<bool>>(false);  // set once the echo thread is pinned
  bool echo_pinned = false;                                // written by the echo thread before join()
  std::thread echo([&] {
    echo_pinned = pmx::pin_current_thread(cpus.b).ok();
    ready->value.store(true, std::memory_order_release);
    auto bounce = [&](const T& record) {
      while (!(*pong)->push(record)) {
      }
    };
    while (!stop->value.load(std::memory_order_acquire))
      if ((*ping)->consume(bounce) == 0) pmx::spin_pause();
  });

  wait_until_ready(ready->value);
  uint64_t seq = 0;
  uint64_t errors = 0;
  for (auto _ : state) {
    while (!(*ping)->push(make_record<T>(seq))) {
    }
    while ((*pong)->consume([&](const T& record) { errors += !same_sequence(record, seq); }) == 0)
      pmx::spin_pause();
    ++seq;
  }
  stop->value.store(true, std::memory_order_release);
  echo.join();
  if (!echo_pinned) state.SkipWithError("could not pin the echo thread");
  if (errors != 0) state.SkipWithError("echo returned the wrong record");
  state.SetItemsProcessed(static_cast<int64_t>(seq));
}

#define PMX_RING_BENCH(driver, impl, Ring, T, label) \
  BENCHMARK_TEMPLATE(driver, Ring, T)->Name(#driver "/" impl "/" label)->UseRealTime()->MinTime(0.2)

// Names: BM_throughput/<impl>/<record>, BM_rtt/<impl>/<record>; impl is pmx, boost or moodycamel.
PMX_RING_BENCH(BM_throughput, "pmx", PmxRing, int, "int");
PMX_RING_BENCH(BM_throughput, "pmx_pop1", PmxRingPopOne, int, "int");
PMX_RING_BENCH(BM_throughput, "boost", BoostRing, int, "int");
PMX_RING_BENCH(BM_throughput, "moodycamel", MoodycamelRing, int, "int");
PMX_RING_BENCH(BM_throughput, "pmx", PmxRing, Event64, "event64");
PMX_RING_BENCH(BM_throughput, "pmx_pop1", PmxRingPopOne, Event64, "event64");
PMX_RING_BENCH(BM_throughput, "boost", BoostRing, Event64, "event64");
PMX_RING_BENCH(BM_throughput, "moodycamel", MoodycamelRing, Event64, "event64");

PMX_RING_BENCH(BM_rtt, "pmx", PmxRing, int, "int");
PMX_RING_BENCH(BM_rtt, "boost", BoostRing, int, "int");
PMX_RING_BENCH(BM_rtt, "moodycamel", MoodycamelRing, int, "int");
PMX_RING_BENCH(BM_rtt, "pmx", PmxRing, Event64, "event64");
PMX_RING_BENCH(BM_rtt, "boost", BoostRing, Event64, "event64");
PMX_RING_BENCH(BM_rtt, "moodycamel", MoodycamelRing, Event64, "event64");

}  // namespace

BENCHMARK_MAIN();
