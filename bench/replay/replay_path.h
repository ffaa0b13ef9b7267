// The replay path shared by bench_replay and bench_record_overhead: real venue frames (from
// ../shared/data/venues) in one padded arena, and one thread's parse -> StrategyEngine step.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pmx/engine/strategy_engine.h"
#include "pmx/feed/capture.h"
#include "pmx/feed/kalshi/kalshi_parser.h"
#include "pmx/feed/polymarket/polymarket_parser.h"

namespace pmx::bench {

constexpr WallNanos kStart{1'795'528'800LL * 1'000'000'000};  // 2026-11-24 14:00 UTC
constexpr int64_t kMonthNs = 30LL * 24 * 3'600'000'000'000;
constexpr int64_t kFrameSpacingNs = 1'000'000;  // the replay clock advances 1 ms per frame

struct Frame {
  Venue venue;
  size_t offset;  // into the arena; kFramePadding bytes follow every frame
  size_t size;
};

struct FrameSet {
  std::vector<char> arena;
  std::vector<Frame> frames;
  size_t bytes = 0;

  void add_file(const std::string& path, Venue venue) {
    CaptureReader reader;
    CaptureReader::Options options;
    options.bare_venue = venue;
    if (reader.open(path, options) != FeedError::ok) {
      std::fprintf(stderr, "bench_replay: cannot read %s\n", path.c_str());
      std::exit(1);
    }
    CaptureRecord record;
    while (reader.next(record)) {
      const size_t offset = arena.size();
      arena.insert(arena.end(), record.frame.bytes.begin(), record.frame.bytes.end());
      arena.insert(arena.end(), kFramePadding, ' ');
      frames.push_back(Frame{venue, offset, record.frame.bytes.size()});
      bytes += record.frame.bytes.size();
    }
  }
  PaddedFrame frame(const Frame& f) const {
    return PaddedFrame::in_place(std::string_view(arena.data() + f.offset, f.size));
  }
};

inline std::string data(const char* file) {
  return std::string(PMX_SHARED_DATA_DIR) + "/venues/" + file;
}

inline FrameSet load(const std::string& which) {
  FrameSet set;
  const bool all = which == "all";
  const bool live = which == "live";  // the steady state of both feeds: no initial dump
  if (which == "kalshi" || all || live) {
    for (const char* f :
         {"kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl", "kalshi/ws_trade_2026-09-16_sid2_seq1-4.jsonl",
          "kalshi/ssmd_ws_ticker_2026-02-12.jsonl", "kalshi/ssmd_ws_trade_2026-02-12.jsonl"})
      set.add_file(data(f), Venue::kalshi);
  }
  if (which == "polymarket_updates" || all || live) {
    set.add_file(data("polymarket/ssmd_ws_book_2026-02-12.jsonl"), Venue::polymarket);
    set.add_file(data("polymarket/ssmd_ws_last_trade_price_2026-02-12.jsonl"), Venue::polymarket);
  }
  if (which == "polymarket_updates" || which == "polymarket_dump" || all || live) {
    FrameSet market;
    market.add_file(data("polymarket/ws_market_frames_2026-05-24.jsonl"), Venue::polymarket);
    // The first frame is the 494-book dump; the rest are price_change frames on those books.
    for (size_t i = 0; i < market.frames.size(); ++i) {
      const bool dump = i == 0;
      if (!all && dump != (which == "polymarket_dump")) continue;  // live, updates: no dump
      const Frame& f = market.frames[i];
      const size_t offset = set.arena.size();
      set.arena.insert(set.arena.end(), market.arena.begin() + static_cast<long>(f.offset),
                       market.arena.begin() + static_cast<long>(f.offset + f.size + kFramePadding));
      set.frames.push_back(Frame{f.venue, offset, f.size});
      set.bytes += f.size;
    }
  }
  return set;
}

// Parsers, universe and strategy engine for one frame set.
struct Replay {
  FrameSet set;
  MarketUniverse universe;
  std::unique_ptr<KalshiParser> kalshi;
  std::unique_ptr<PolymarketParser> polymarket;
  std::unique_ptr<StrategyEngine> engine;
  std::unique_ptr<Replay> warm_source;  // polymarket_updates: the dump that builds its books
  uint64_t events = 0, intents = 0, opportunities = 0, rejected = 0;
  int64_t clock_ns = kStart.ns;

  explicit Replay(const std::string& which) : set(load(which)) {
    // Discover every instrument the frames name (a tool's first pass), then register them as
    // the engine's bootstrap would, before anything is timed.
    FrameSet everything = load("all");
    InstrumentTable seen;
    {
      KalshiParser k(seen, {.register_unknown = true});
      PolymarketParser p(seen, {.register_unknown = true});
      for (const Frame& f : everything.frames) {
        if (f.venue == Venue::kalshi) {
          (void)k.parse(everything.frame(f), MonoNanos{0});
        } else {
          (void)p.parse(everything.frame(f), MonoNanos{0});
        }
      }
    }
    for (uint32_t i = 0; i < seen.size(); ++i) {
      MarketInfo m;
      m.venue = seen.venue(InstrumentId{i});
      m.key = std::string(seen.key(InstrumentId{i}));
      m.event_key = m.key;
      m.market_key = m.key;
      m.close_time = WallNanos{kStart.ns + kMonthNs};
      m.tick = Price::from_ticks(1);
      universe.add_market(m);
    }
    kalshi = std::make_unique<KalshiParser>(universe.instruments());
    polymarket = std::make_unique<PolymarketParser>(universe.instruments());
    Config config;
    engine = std::make_unique<StrategyEngine>(universe, config);
    engine->on_feed_connected(Venue::kalshi, kStart);
    engine->on_feed_connected(Venue::polymarket, kStart);
    if (which == "polymarket_updates" || which == "live") {
      // Price changes apply to the books of the dump: build them first (untimed).
      const FrameSet dump = load("polymarket_dump");
      for (const Frame& f : dump.frames)
        step(dump, f);
    }
    events = intents = opportunities = rejected = 0;
  }

  void step(const FrameSet& from, const Frame& f) {
    const MonoNanos received{clock_ns};
    const WallNanos now{clock_ns += kFrameSpacingNs};
    std::span<const MarketEvent> out;
    if (f.venue == Venue::kalshi) {
      if (kalshi->parse(from.frame(f), received) != FeedError::ok) ++rejected;
      out = kalshi->events();
    } else {
      if (polymarket->parse(from.frame(f), received) != FeedError::ok) ++rejected;
      out = polymarket->events();
    }
    for (const MarketEvent& e : out) {
      engine->on_market_event(
          e, now, [&](const OrderIntent&) { ++intents; }, [&](const Opportunity&) { ++opportunities; });
    }
    events += out.size();
  }

  // The start of a cycle: the recorded seq numbers must not read as duplicates of the last one.
  void rewind() {
    for (uint32_t sid = 1; sid <= 4; ++sid)
      kalshi->sequencer().reset_sid(sid);
  }
};

}  // namespace pmx::bench
