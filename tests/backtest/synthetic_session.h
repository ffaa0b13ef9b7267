// A synthetic recorded session that makes the strategies trade, for the backtest tests.
//
// Universe: a mutually exclusive Kalshi event PMXT-BUN of three markets (tick 1 cent, closing in
// 30 days). Capture: the `subscribed` reply, one snapshot per market whose YES asks (1 - best NO
// bid) are 0.30 each, so the set costs $0.90 + fees (a bundle below $1: the strategy buys it),
// then, every `spacing`, a delta that withdraws or restores B0's best NO bid: each restore is a
// fresh bundle. The frames are Kalshi's wire format and go through the real parser.
//
// Config: risk opened wide (large capital, no cooldown, no stale-feed trip) so each restore is
// traded; everything else is config/paper.toml's defaults (paper latency 5-50 ms, slippage).
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pmx/core/config.h"
#include "pmx/feed/capture.h"
#include "pmx/feed/market_info.h"

namespace pmx::test {

// 2026-11-24 12:00:00 UTC as wall time; receive times start at kMonoStart.
inline constexpr int64_t kWallStart = 1'795'521'600LL * 1'000'000'000;
inline constexpr int64_t kMonoStart = 5'000'000'000'000;  // an uptime of 5000 s
inline constexpr int64_t kWallMinusMono = kWallStart - kMonoStart;
inline const std::string kBundleTickers[3] = {"PMXT-BUN-B0", "PMXT-BUN-B1", "PMXT-BUN-B2"};

inline MarketUniverse bundle_universe() {
  MarketUniverse u;
  EventInfo event{Venue::kalshi, "PMXT-BUN", "synthetic bundle", true, {}};
  for (const std::string& ticker : kBundleTickers) {
    MarketInfo m;
    m.venue = Venue::kalshi;
    m.status = MarketStatus::open;
    m.key = ticker;
    m.market_key = ticker;
    m.event_key = "PMXT-BUN";
    m.close_time = WallNanos{kWallStart + 30LL * 86'400 * 1'000'000'000};
    m.tick = Price::from_ticks(100);
    m.mutually_exclusive = true;
    event.members.push_back(u.add_market(m));
  }
  u.add_event(event);
  return u;
}

inline Config bundle_config() {
  Config c;
  c.risk.starting_capital = Money::dollars(1'000'000);
  c.risk.max_position_pct = 50;
  c.risk.max_total_exposure_pct = 90;
  c.risk.max_correlated_exposure_pct = 90;
  c.risk.max_concurrent_positions = 10'000;
  c.risk.trade_cooldown_s = 0;
  c.risk.max_orders_per_minute = 100'000;
  c.risk.stale_feed_ms = 3'600'000;
  return c;
}

struct SessionFrame {
  int64_t received;  // MonoNanos
  std::string text;
};

// The session's frames: subscription and snapshots at the start, then `toggles` deltas one
// `spacing_ns` apart (odd ones withdraw B0's best NO bid, even ones restore it).
inline std::vector<SessionFrame> bundle_session(int toggles, int64_t spacing_ns) {
  std::vector<SessionFrame> frames;
  int64_t t = kMonoStart;
  uint64_t seq = 0;
  char text[512];
  frames.push_back({t, R"({"id":7,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":7}})"});
  for (int leg = 0; leg < 3; ++leg) {
    std::snprintf(text, sizeof text,
                  R"({"type":"orderbook_snapshot","sid":7,"seq":%llu,"msg":{"market_ticker":"%s",)"
                  R"("market_id":"pmxt-%d","yes_dollars_fp":[["0.2500","1000.00"]],)"
                  R"("no_dollars_fp":[["0.6000","1000.00"],["0.7000","1000.00"]]}})",
                  static_cast<unsigned long long>(++seq), kBundleTickers[leg].c_str(), leg);
    frames.push_back({t += 1'000'000, text});
  }
  for (int i = 0; i < toggles; ++i) {
    const bool restore = i % 2 == 1;
    std::snprintf(text, sizeof text,
                  R"({"type":"orderbook_delta","sid":7,"seq":%llu,"msg":{"market_ticker":"%s",)"
                  R"("market_id":"pmxt-0","price_dollars":"0.7000","delta_fp":"%s","side":"no",)"
                  R"("ts":"2026-11-24T12:00:00.000000Z","ts_ms":1795521600000}})",
                  static_cast<unsigned long long>(++seq), kBundleTickers[0].c_str(),
                  restore ? "1000.00" : "-1000.00");
    frames.push_back({t += spacing_ns, text});
  }
  return frames;
}

// Writes the frames as a capture file with its header (plain or .zst by the name).
inline void write_capture(const std::filesystem::path& path, const std::vector<SessionFrame>& frames,
                          int64_t wall_minus_mono = kWallMinusMono) {
  CaptureWriter writer;
  if (writer.open(path.string()) != FeedError::ok) throw std::runtime_error("cannot write " + path.string());
  (void)writer.write_header(wall_minus_mono);
  for (const SessionFrame& f : frames)
    (void)writer.write(MonoNanos{f.received}, Venue::kalshi, f.text);
  (void)writer.close();
}

}  // namespace pmx::test
