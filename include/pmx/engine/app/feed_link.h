// FeedLink: tells the strategy thread when a venue's feed connects and disconnects.
//
// A feed handler runs on its own loop (maybe its own thread); the circuit breakers that must
// hear about its connection live on the strategy thread (StrategyStage::on_feed_connected), and
// block a venue until its first connect. So each feed is wrapped in a FeedStage, which after every
// poll() stores whether the feed has a live connection (one relaxed load, and a release store only
// on a change), and the strategy's loop runs a FeedWatch first, which turns a changed flag into
// on_feed_connected / on_feed_disconnected on its own thread (one acquire load per venue per
// round). Nothing else crosses threads here: the flag carries no data.
//
// Pausing: at shutdown the engine stops a feed on its own thread by setting `paused`; the stage
// then stops polling (intake stops) and reports disconnected.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "pmx/core/types.h"
#include "pmx/feed/kalshi/kalshi_feed.h"
#include "pmx/feed/polymarket/polymarket_feed.h"

namespace pmx::app {

// One venue's connection flag, written by the feed's thread, read by the strategy's.
struct FeedLink {
  alignas(64) std::atomic<bool> connected{false};
};

inline bool feed_connected(const KalshiFeed& feed) noexcept {
  return feed.state() == KalshiFeedState::open;
}
// Polymarket shards connect independently; the venue counts as connected while any shard is:
// a shard that drops marks its own instruments stale, which blocks them one by one.
inline bool feed_connected(const PolymarketFeed& feed) noexcept {
  for (size_t i = 0; i < feed.connection_count(); ++i)
    if (feed.connection_state(i) == PolymarketConnectionState::open) return true;
  return false;
}

template <typename Feed>
class FeedStage {
 public:
  FeedStage(Feed& feed, FeedLink& link) noexcept : feed_(feed), link_(link) {}

  // The feed's round, then its connection state into the link. Not noexcept: the feed's poll()
  // may throw on a socket error path; StageLoop counts that.
  size_t poll() {
    if (paused_.load(std::memory_order_relaxed)) return 0;
    const size_t work = feed_.poll();
    const bool now_connected = feed_connected(feed_);
    if (now_connected != last_) {
      last_ = now_connected;
      link_.connected.store(now_connected, std::memory_order_release);
    }
    return work;
  }

  // From any thread: stop polling (the engine's shutdown stops intake this way).
  void pause() noexcept { paused_.store(true, std::memory_order_relaxed); }

  Feed& feed() noexcept { return feed_; }

 private:
  Feed& feed_;
  FeedLink& link_;
  bool last_ = false;
  std::atomic<bool> paused_{false};
};

// The strategy thread's view of every venue's link; Strategy has on_feed_connected /
// on_feed_disconnected(Venue, WallNanos).
template <typename Strategy>
class FeedWatch {
 public:
  FeedWatch(Strategy& strategy, std::array<FeedLink*, kVenueCount> links) noexcept
      : strategy_(strategy), links_(links) {}

  bool poll(WallNanos now, MonoNanos) noexcept {
    bool changed = false;
    for (size_t v = 0; v < links_.size(); ++v) {
      if (links_[v] == nullptr) continue;
      const bool connected = links_[v]->connected.load(std::memory_order_acquire);
      if (connected == seen_[v]) continue;
      seen_[v] = connected;
      changed = true;
      if (connected)
        strategy_.on_feed_connected(static_cast<Venue>(v), now);
      else
        strategy_.on_feed_disconnected(static_cast<Venue>(v), now);
    }
    return changed;
  }

 private:
  Strategy& strategy_;
  std::array<FeedLink*, kVenueCount> links_;
  std::array<bool, kVenueCount> seen_{};
};

}  // namespace pmx::app
