// bench_strategy: the strategy thread's decision cost per book update, StrategyEngine::
// on_market_event end to end (book update, Kalman fair value, volatility sample, portfolio marks,
// exit check, and the detectors that involve the instrument), over a synthetic universe of 1,000
// instruments:
//
//   100 bundles   mutually exclusive Kalshi events of 5 markets (500 instruments), asks summing
//                 to about $1.10 (no arbitrage: the common case the engine must make cheap)
//   400 singles   Kalshi markets, 40 of them closing within 24 h (grinding is evaluated)
//   100 tokens    Polymarket tokens
//
// Every book is warmed with a snapshot of 10 levels a side. The stream is pre-generated: pairs
// of level changes (a size added near the touch, then removed; a Polymarket level set, then set
// back), so every book returns to its warm state and the stream can be replayed cyclically.
// One in eight changes improves the touch (a new best level inside the spread), so fair value and
// volatility see real moves.
//
//   BM_decision_per_update        one event per iteration (ns per update = time per iteration)
//   BM_decision_latency_samples   each event timed on its own (steady_clock, its own overhead
//                                 subtracted): p50_ns / p99_ns counters
//
// Run: bench_strategy --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "pmx/engine/strategy_engine.h"

namespace {

using namespace pmx;

constexpr int64_t kMilli = 1'000'000;
constexpr int64_t kHour = 3'600'000'000'000;
constexpr WallNanos kStart{1'772'452'800LL * 1'000'000'000};  // 2026-03-02 12:00 UTC
constexpr size_t kEvents = size_t{1} << 16;
constexpr int kBundles = 100;
constexpr int kLegs = 5;
constexpr int kKalshiSingles = 400;
constexpr int kTokens = 100;
constexpr int kLevels = 10;

struct Bench {
  MarketUniverse universe;
  std::vector<InstrumentId> ids;
  std::vector<int32_t> mid_ticks;  // by instrument: where its warm book is centred (YES terms)
  std::unique_ptr<StrategyEngine> engine;
  std::vector<MarketEvent> stream;
  uint64_t intents = 0;
  uint64_t opportunities = 0;

  Bench() {
    std::mt19937_64 rng(7);
    const WallNanos week{kStart.ns + 168 * kHour};
    for (int b = 0; b < kBundles; ++b) {
      EventInfo event{Venue::kalshi, "BUN" + std::to_string(b), "bundle", true, {}};
      for (int l = 0; l < kLegs; ++l) {
        // Mids around 0.21 -> asks around 0.22: a set costs about $1.10.
        event.members.push_back(
            add(Venue::kalshi, event.key + "-" + std::to_string(l), event.key, week, 2100));
      }
      universe.add_event(event);
    }
    for (int s = 0; s < kKalshiSingles; ++s) {
      const WallNanos close = s % 10 == 0 ? WallNanos{kStart.ns + (1 + s % 20) * kHour} : week;
      add(Venue::kalshi, "S" + std::to_string(s), "SE" + std::to_string(s), close,
          static_cast<int32_t>(1000 + rng() % 800 * 10));
    }
    for (int t = 0; t < kTokens; ++t) {
      add(Venue::polymarket, std::to_string(100000 + t), "pe" + std::to_string(t), week,
          static_cast<int32_t>(1000 + rng() % 800 * 10));
    }

    Config config;
    engine = std::make_unique<StrategyEngine>(universe, config);
    engine->on_feed_connected(Venue::kalshi, kStart);
    engine->on_feed_connected(Venue::polymarket, kStart);
    for (const InstrumentId id : ids)
      warm(id);
    generate(rng);
  }

  InstrumentId add(Venue venue, std::string key, std::string event_key, WallNanos close, int32_t mid) {
    MarketInfo m;
    m.venue = venue;
    m.key = std::move(key);
    m.event_key = std::move(event_key);
    m.close_time = close;
    m.tick = Price{10};
    const InstrumentId id = universe.add_market(m);
    ids.push_back(id);
    if (mid_ticks.size() <= id.value) mid_ticks.resize(id.value + 1);
    mid_ticks[id.value] = mid;
    return id;
  }

  // Level `depth` (0 = best) of a side, in YES terms: bids below the mid, asks above, 1 tick apart
  // from a 2-tick spread.
  int32_t yes_price(InstrumentId id, bool bid, int depth) const {
    return bid ? mid_ticks[id.value] - 10 * (1 + depth) : mid_ticks[id.value] + 10 * (1 + depth);
  }

  MarketEvent level(InstrumentId id, bool bid, int32_t yes_ticks, int64_t units, EventType type) const {
    MarketEvent e;
    e.type = type;
    e.instrument = id;
    e.venue = universe.market(id)->venue;
    e.qty = Qty{units};
    if (e.venue == Venue::kalshi) {  // YES bids, and NO bids at $1 - the YES ask
      e.outcome = bid ? Outcome::yes : Outcome::no;
      e.book_side = BookSide::bid;
      e.price = Price{bid ? yes_ticks : Price::kTicksPerDollar - yes_ticks};
    } else {
      e.book_side = bid ? BookSide::bid : BookSide::ask;
      e.price = Price{yes_ticks};
    }
    return e;
  }

  void apply(const MarketEvent& e, WallNanos now) {
    engine->on_market_event(
        e, now, [&](const OrderIntent&) { ++intents; }, [&](const Opportunity&) { ++opportunities; });
  }

  void warm(InstrumentId id) {
    MarketEvent e;
    e.instrument = id;
    e.venue = universe.market(id)->venue;
    e.type = EventType::snapshot_begin;
    apply(e, kStart);
    for (int side = 0; side < 2; ++side) {
      for (int d = 0; d < kLevels; ++d)
        apply(level(id, side == 0, yes_price(id, side == 0, d), 500'000'000, EventType::snapshot_level),
              kStart);
    }
    e.type = EventType::snapshot_end;
    apply(e, kStart);
  }

  // Pairs that leave the book as it was: Kalshi +q then -q at one level; Polymarket set to q,
  // then back to the warm size (or to 0 for a level inside the spread).
  void generate(std::mt19937_64& rng) {
    stream.reserve(kEvents);
    while (stream.size() < kEvents) {
      const InstrumentId id = ids[rng() % ids.size()];
      const bool bid = rng() % 2 == 0;
      const bool improve = rng() % 8 == 0;
      // Inside the spread: the mid itself (a new best on either side); else one of the top 3.
      const int32_t price = improve ? mid_ticks[id.value] : yes_price(id, bid, static_cast<int>(rng() % 3));
      const int64_t q = static_cast<int64_t>(1 + rng() % 1000) * 1'000'000;
      if (universe.market(id)->venue == Venue::kalshi) {
        stream.push_back(level(id, bid, price, q, EventType::level_delta));
        stream.push_back(level(id, bid, price, -q, EventType::level_delta));
      } else {
        stream.push_back(level(id, bid, price, q, EventType::level_set));
        stream.push_back(level(id, bid, price, improve ? 0 : 500'000'000, EventType::level_set));
      }
    }
  }
};

// Event i of the stream always carries the same time (1 ms apart), so every replay of the stream
// meets the same expiry distances and the figures do not drift with the run's length.
WallNanos time_of(size_t i) {
  return WallNanos{kStart.ns + static_cast<int64_t>(i + 1) * kMilli};
}

Bench& bench() {
  static Bench b;
  return b;
}

void BM_decision_per_update(benchmark::State& state) {
  Bench& b = bench();
  size_t i = 0;
  const uint64_t book_changes = b.engine->counters().book_changes;
  for (auto _ : state) {
    b.apply(b.stream[i], time_of(i));
    i = (i + 1) & (kEvents - 1);
  }
  state.SetItemsProcessed(state.iterations());
  const double changes = static_cast<double>(b.engine->counters().book_changes - book_changes);
  state.counters["book_changes_per_update"] = changes / static_cast<double>(state.iterations());
  state.counters["opportunities"] = static_cast<double>(b.opportunities);
  state.counters["intents"] = static_cast<double>(b.intents);
}
BENCHMARK(BM_decision_per_update);

void BM_decision_latency_samples(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  Bench& b = bench();
  std::vector<int64_t> samples(kEvents);
  std::vector<int64_t> overhead(4096);
  for (int64_t& o : overhead) {
    const auto t0 = Clock::now();
    const auto t1 = Clock::now();
    o = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
  }
  std::nth_element(overhead.begin(), overhead.begin() + overhead.size() / 2, overhead.end());
  const int64_t clock_cost = overhead[overhead.size() / 2];
  for (auto _ : state) {
    for (size_t i = 0; i < kEvents; ++i) {
      const auto t0 = Clock::now();
      b.apply(b.stream[i], time_of(i));
      const auto t1 = Clock::now();
      samples[i] = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() - clock_cost;
    }
  }
  std::sort(samples.begin(), samples.end());
  state.counters["p50_ns"] = static_cast<double>(samples[samples.size() / 2]);
  state.counters["p99_ns"] = static_cast<double>(samples[samples.size() * 99 / 100]);
  state.counters["clock_ns"] = static_cast<double>(clock_cost);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kEvents));
}
BENCHMARK(BM_decision_latency_samples)->Iterations(4);

}  // namespace

BENCHMARK_MAIN();
