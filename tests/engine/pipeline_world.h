// The whole in-process pipeline for tests and the tick-to-trade benchmark:
//
//   frame text ─KalshiFeed/PolymarketFeed::handle_frame─► rings ─► StrategyStage ─►
//   GatewayStage<RecordingBackend<PaperExchange>>
//                                                                  ▲                 │
//                                                                  └──── reports ────┘
//
// The universe holds the markets of the real recordings in ../shared/data/venues (Kalshi
// orderbook capture, Polymarket market-channel capture) plus a synthetic mutually exclusive Kalshi
// event PMXT-BUN of three markets. Its frames are written in Kalshi's wire format: a snapshot whose
// YES asks (1 - best NO bid) are 0.30 each, a bundle at $0.90 + fees, and a pair of deltas that
// withdraw and restore B0's best NO bid, so each restore is a fresh bundle below $1 and the
// strategy trades it (the real recordings carry no edge: they exercise the path, not the trade).
//
// Risk limits are opened wide (huge capital, no cooldown, no throttle) so that every restore is
// traded; the paper exchange answers after `paper_latency_ns` of simulated time.
// No gtest here: the benchmark includes it too.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/engine/engine_rings.h"
#include "pmx/engine/gateway_stage.h"
#include "pmx/engine/recording_backend.h"
#include "pmx/engine/stage_runner.h"
#include "pmx/engine/strategy_engine.h"
#include "pmx/engine/strategy_stage.h"
#include "pmx/feed/kalshi/kalshi_feed.h"
#include "pmx/feed/polymarket/polymarket_feed.h"
#include "pmx/gateway/order_gateway.h"
#include "pmx/gateway/paper_exchange.h"

namespace pmx::test {

inline const std::string kKalshiCapture =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/kalshi/ws_orderbook_2026-09-16_sid1_seq1-12.jsonl";
inline const std::string kPolymarketCapture =
    std::string(PMX_SHARED_DATA_DIR) + "/venues/polymarket/ws_market_frames_2026-05-24.jsonl";

inline bool have_recordings() {
  return std::filesystem::exists(kKalshiCapture) && std::filesystem::exists(kPolymarketCapture);
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

// Every distinct value of "key":"..." in the lines, first-seen order.
inline std::vector<std::string> distinct_values(const std::vector<std::string>& lines,
                                                const std::string& key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + key + "\":\"";
  for (const std::string& line : lines) {
    for (size_t at = line.find(needle); at != std::string::npos; at = line.find(needle, at + 1)) {
      const size_t begin = at + needle.size();
      const std::string value = line.substr(begin, line.find('"', begin) - begin);
      if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(value);
    }
  }
  return out;
}

// Kalshi frames of the synthetic bundle, subscription sid 7.
struct BundleFrames {
  static constexpr int kSid = 7;
  static inline const std::string kTickers[3] = {"PMXT-BUN-B0", "PMXT-BUN-B1", "PMXT-BUN-B2"};

  uint64_t seq = 0;

  static std::string subscribed() {
    return R"({"id":7,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":7}})";
  }
  // YES bid 0.25 x1000; NO bids 0.60 x1000 and 0.70 x1000: YES ask 0.30.
  std::string snapshot(int leg) {
    char text[512];
    std::snprintf(text, sizeof text,
                  R"({"type":"orderbook_snapshot","sid":7,"seq":%llu,"msg":{"market_ticker":"%s",)"
                  R"("market_id":"pmxt-%d","yes_dollars_fp":[["0.2500","1000.00"]],)"
                  R"("no_dollars_fp":[["0.6000","1000.00"],["0.7000","1000.00"]]}})",
                  static_cast<unsigned long long>(++seq), kTickers[leg].c_str(), leg);
    return text;
  }
  // B0's NO bid at 0.70 withdrawn (YES ask 0.40: no edge) or restored (YES ask 0.30: a bundle).
  std::string b0_best_no_bid(bool restore) {
    char text[512];
    std::snprintf(text, sizeof text,
                  R"({"type":"orderbook_delta","sid":7,"seq":%llu,"msg":{"market_ticker":"%s",)"
                  R"("market_id":"pmxt-0","price_dollars":"0.7000","delta_fp":"%s","side":"no",)"
                  R"("ts":"2026-11-24T12:00:00.000000Z","ts_ms":1795521600000}})",
                  static_cast<unsigned long long>(++seq), kTickers[0].c_str(),
                  restore ? "1000.00" : "-1000.00");
    return text;
  }
};

struct PipelineWorldOptions {
  int64_t paper_latency_ns = 0;
  EngineRingSizes rings{};
  shm::StateWriter* shm = nullptr;
  OpsQueue* ops = nullptr;
  ClientOrderIdAllocator* ids = nullptr;
  bool record_latencies = true;
  uint64_t run_epoch = 0;        // begin_run()'s value, for the stages' own ids
  uint64_t first_intent_id = 1;  // the engine's first id (a restart continues after the last run's)
};

// 2026-11-24 12:00:00 UTC.
inline constexpr WallNanos kWorldStart{1'795'521'600LL * 1'000'000'000};

class PipelineWorld {
 public:
  explicit PipelineWorld(PipelineWorldOptions options = {})
      : kalshi_lines(have_recordings() ? read_lines(kKalshiCapture) : std::vector<std::string>{}),
        polymarket_lines(have_recordings() ? read_lines(kPolymarketCapture) : std::vector<std::string>{}),
        universe(make_universe(kalshi_lines, polymarket_lines)),
        config(make_config()),
        rings(options.rings),
        engine(universe, config, nullptr, engine_options(options)),
        paper(universe, paper_options(options.paper_latency_ns)),
        recording(paper, gateway_options().max_parents),
        gateway(recording, universe, gateway_options()),
        kalshi_feed(universe.instruments(), rings.kalshi_events, kalshi_options(kalshi_lines)),
        polymarket_feed(universe.instruments(), rings.polymarket_events,
                        polymarket_options(polymarket_lines)),
        strategy(engine, rings, universe, options.shm, options.ops, strategy_options(options)),
        gateway_stage(gateway, recording, rings, options.shm, options.ops, options.ids,
                      gateway_stage_options(options)) {
    engine.on_feed_connected(Venue::kalshi, now);
    engine.on_feed_connected(Venue::polymarket, now);
    loop.add(strategy);
    loop.add(gateway_stage);
  }

  // One frame into a feed (received at `mono`), then one round of every stage.
  void kalshi(std::string_view frame) {
    kalshi_feed.handle_frame(frame, next_mono());
    round();
  }
  void polymarket(std::string_view frame) {
    polymarket_feed.handle_frame(0, frame, next_mono());
    round();
  }
  // 1 ms of simulated time per round, on both clocks the stages are given (strategy/paper time
  // and the publish/rate-limit cadence), so every round publishes to shm and the test is
  // deterministic. Receive timestamps and latency stamps stay on the real monotonic clock.
  bool round() {
    now = WallNanos{now.ns + 1'000'000};
    cadence = MonoNanos{cadence.ns + 1'000'000};
    return loop.run_once(now, cadence);
  }
  // Rounds until nothing moves (the paper exchange's latency is simulated time, so this advances).
  void settle(int max_rounds = 1000) {
    for (int i = 0; i < max_rounds; ++i)
      if (!round() && gateway_stage.open_orders() == 0 && rings.intents.empty_approx() &&
          rings.reports.empty_approx())
        return;
  }

  // The recordings and the bundle's subscription and snapshots.
  void replay_recordings() {
    kalshi(R"({"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}})");
    for (const std::string& line : kalshi_lines)
      kalshi(line);
    for (const std::string& line : polymarket_lines)
      polymarket(line);
  }
  void open_bundle() {
    kalshi(BundleFrames::subscribed());
    for (int leg = 0; leg < 3; ++leg)
      kalshi(bundle.snapshot(leg));  // the third snapshot completes a bundle below $1
  }

  MonoNanos next_mono() {
    mono_ = MonoNanos{std::max(mono_.ns + 1, mono_now().ns)};
    return mono_;
  }

  std::vector<std::string> kalshi_lines;
  std::vector<std::string> polymarket_lines;
  MarketUniverse universe;
  Config config;
  EngineRings rings;
  StrategyEngine engine;
  PaperExchange paper;
  RecordingBackend<PaperExchange> recording;  // records the gateway's own orders (unwinds)
  OrderGateway<RecordingBackend<PaperExchange>> gateway;
  KalshiFeed kalshi_feed;
  PolymarketFeed polymarket_feed;
  StrategyStage strategy;
  GatewayStage<RecordingBackend<PaperExchange>> gateway_stage;
  StageLoop loop;
  BundleFrames bundle;
  WallNanos now = kWorldStart;
  MonoNanos cadence{1'000'000'000};  // the stages' mono argument: simulated, 1 ms per round
  std::vector<InstrumentId> bundle_ids;

 private:
  static MarketUniverse make_universe(const std::vector<std::string>& kalshi_lines,
                                      const std::vector<std::string>& polymarket_lines) {
    MarketUniverse u;
    const WallNanos far{kWorldStart.ns + 30LL * 24 * 3'600 * 1'000'000'000};
    for (const std::string& ticker : distinct_values(kalshi_lines, "market_ticker")) {
      MarketInfo m;
      m.venue = Venue::kalshi;
      m.key = ticker;
      m.market_key = ticker;
      m.event_key = ticker.substr(0, ticker.rfind('-'));
      m.close_time = far;
      m.tick = Price::from_ticks(10);
      u.add_market(m);
    }
    for (const std::string& asset : distinct_values(polymarket_lines, "asset_id")) {
      MarketInfo m;
      m.venue = Venue::polymarket;
      m.key = asset;
      m.close_time = far;
      m.tick = Price::from_ticks(10);
      u.add_market(m);
    }
    EventInfo event{Venue::kalshi, "PMXT-BUN", "synthetic bundle", true, {}};
    for (const std::string& ticker : BundleFrames::kTickers) {
      MarketInfo m;
      m.venue = Venue::kalshi;
      m.key = ticker;
      m.market_key = ticker;
      m.event_key = "PMXT-BUN";
      m.close_time = far;
      m.tick = Price::from_ticks(100);
      event.members.push_back(u.add_market(m));
    }
    u.add_event(event);
    return u;
  }
  static Config make_config() {
    Config c;
    c.risk.starting_capital = Money::dollars(1'000'000'000);
    c.risk.max_position_pct = 50;
    c.risk.max_total_exposure_pct = 90;
    c.risk.max_correlated_exposure_pct = 90;
    c.risk.max_concurrent_positions = 10'000;
    c.risk.trade_cooldown_s = 0;
    c.risk.max_orders_per_minute = 100'000;
    c.risk.stale_feed_ms = 86'400'000;
    return c;
  }
  static StrategyEngineOptions engine_options(const PipelineWorldOptions& w) {
    StrategyEngineOptions o;
    o.first_intent_id = w.first_intent_id;
    o.decision_interval_ns = 0;
    return o;
  }
  static PaperExchangeOptions paper_options(int64_t latency) {
    PaperExchangeOptions o;
    o.latency_min_ns = o.latency_max_ns = latency;
    o.max_slippage_pct = 0;
    o.max_open_orders = 256;
    return o;
  }
  static OrderGatewayOptions gateway_options() {
    OrderGatewayOptions o;
    o.max_parents = 256;
    o.max_pending_children = 1024;
    for (int v = 0; v < kVenueCount; ++v) {  // no rate limit: the pipeline's cost, not the venue's budget
      o.write_tokens_per_second[v] = 1'000'000'000;
      o.write_capacity[v] = 1'000'000'000;
    }
    return o;
  }
  static KalshiFeedOptions kalshi_options(const std::vector<std::string>& lines) {
    KalshiFeedOptions o;
    o.url = "ws://127.0.0.1:1/trade-api/ws/v2";  // never connected: frames come through handle_frame
    o.market_tickers = distinct_values(lines, "market_ticker");
    for (const std::string& ticker : BundleFrames::kTickers)
      o.market_tickers.push_back(ticker);
    return o;
  }
  static PolymarketFeedOptions polymarket_options(const std::vector<std::string>& lines) {
    PolymarketFeedOptions o;
    o.url = "ws://127.0.0.1:1/ws/market";
    o.asset_ids = distinct_values(lines, "asset_id");
    if (o.asset_ids.empty()) o.asset_ids.push_back("0");
    o.assets_per_connection = 100'000;  // one connection: handle_frame(0, ...)
    return o;
  }
  static StrategyStageOptions strategy_options(const PipelineWorldOptions& w) {
    StrategyStageOptions o;
    o.record_latencies = w.record_latencies;
    o.price_sample_interval_ns = 0;
    o.daily_snapshot_hour_utc = -1;
    o.run_epoch = w.run_epoch;
    o.control.config = make_config();  // what `set` changes: the engine's own configuration
    return o;
  }
  static GatewayStageOptions gateway_stage_options(const PipelineWorldOptions& w) {
    GatewayStageOptions o;
    o.run_epoch = w.run_epoch;
    return o;
  }

  MonoNanos mono_{1};
};

}  // namespace pmx::test
