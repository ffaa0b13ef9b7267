// EngineRings: every SPSC ring between the engine's stages, allocated once at start-up.
//
//   Kalshi feed ──kalshi_events────►┐
//   Polymarket feed ──polymarket_events──►  StrategyStage ──intents──────►  GatewayStage
//                                           │             ──book_mirror──►  (the backend's books)
//                                           ◄──────────────reports─────────┘
//
// Each ring has exactly one producer and one consumer thread, whatever the thread layout (a
// one-thread loop is both). The intents ring also carries the kill switch's cancel-all message
// (an OrderIntent with kIntentCancelAll set, see pmx/core/order.h).
//
// Sizes must be powers of two. book_mirror gets the market-event size: the strategy forwards
// every event it applied, so the mirror never needs more room than the feeds' rings together,
// and the strategy stops draining a feed while the mirror is full (back-pressure, nothing lost).
#pragma once

#include <cstddef>

#include "pmx/core/order.h"
#include "pmx/feed/market_event.h"
#include "pmx/ring/spsc_ring.h"

namespace pmx {

struct EngineRingSizes {
  size_t market_events = 65536;  // each feed ring and the book mirror
  size_t orders = 4096;          // intents and reports
};

struct EngineRings {
  // Allocates every ring. Throws std::invalid_argument for a size that is not a power of two.
  explicit EngineRings(EngineRingSizes sizes = {})
      : kalshi_storage_(sizes.market_events),
        polymarket_storage_(sizes.market_events),
        mirror_storage_(sizes.market_events),
        intent_storage_(sizes.orders),
        report_storage_(sizes.orders) {}

  EngineRings(const EngineRings&) = delete;
  EngineRings& operator=(const EngineRings&) = delete;

 private:
  // Declared before the references below, so they are built first.
  SpscRingBuffer<MarketEvent> kalshi_storage_;
  SpscRingBuffer<MarketEvent> polymarket_storage_;
  SpscRingBuffer<MarketEvent> mirror_storage_;
  SpscRingBuffer<OrderIntent> intent_storage_;
  SpscRingBuffer<ExecReport> report_storage_;

 public:
  SpscRing<MarketEvent>& kalshi_events = kalshi_storage_.ring();          // Kalshi feed -> strategy
  SpscRing<MarketEvent>& polymarket_events = polymarket_storage_.ring();  // Polymarket feed -> strategy
  SpscRing<MarketEvent>& book_mirror = mirror_storage_.ring();  // strategy -> gateway: every applied event
  SpscRing<OrderIntent>& intents = intent_storage_.ring();      // strategy -> gateway (+ cancel-all)
  SpscRing<ExecReport>& reports = report_storage_.ring();       // gateway -> strategy
};

}  // namespace pmx
