// MarketSimulator: plausible engine activity for the state segment, from a seeded random walk,
// so the tools have something real-looking to show. Not a market model: books move, fair
// values wander near the mid, and now and then an opportunity becomes an order, a fill and a
// position. Deterministic for a seed and a sequence of step() times.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "pmx/core/types.h"
#include "pmx/shm/segment.h"

namespace pmx::writer {

class MarketSimulator {
 public:
  // Registers counters, threads, rings and `markets` instruments on `writer`.
  MarketSimulator(shm::StateWriter& writer, uint32_t markets, uint64_t seed, Money starting_capital);

  // One engine loop at `mono_ns`: books, latencies, counters, threads, rings; when not
  // `halted`, sometimes an opportunity, an order and its fill; account and risk rows.
  void step(int64_t mono_ns, int64_t wall_ns, bool halted, uint32_t extra_breakers);

  // Flattens every position at the current mid (the kill switch's close-positions flag).
  void close_positions(int64_t wall_ns);

  size_t open_positions() const noexcept;

 private:
  struct Market {
    uint32_t id = 0;
    Venue venue = Venue::kalshi;
    int32_t tick = 100;  // price grid: 1¢ on Kalshi, 0.1¢ on Polymarket
    int32_t mid = 5000;  // ticks
    double fair = 0.5;
  };
  struct Position {
    uint32_t slot = 0;
    shm::PositionRow row;
  };

  void move_book(Market& market, int64_t mono_ns);
  void record_latencies();
  void update_threads_and_rings(int64_t mono_ns);
  void maybe_trade(int64_t wall_ns);
  void close_position(Position& position, int64_t wall_ns);
  void publish_positions_and_account(int64_t wall_ns, uint32_t extra_breakers);
  int32_t mark(uint32_t instrument) const noexcept;
  uint64_t lognormal_ns(double median_ns, double sigma);

  shm::StateWriter& writer_;
  std::mt19937_64 rng_;
  std::vector<Market> markets_;
  std::vector<Position> positions_;
  std::vector<shm::TapeWriter> tapes_;
  shm::Counter kalshi_in_, polymarket_in_, parse_errors_, sequence_gaps_, reconnects_, orders_, fills_,
      rejects_, opportunities_;
  shm::ThreadSlot* threads_[4] = {};
  shm::RingSlot* rings_[3] = {};
  int64_t last_mono_ns_ = 0;
  uint64_t next_order_id_ = 1;
  Money starting_capital_;
  int64_t realized_micros_ = 0;
  int64_t fees_micros_ = 0;
  int64_t peak_micros_ = 0;
  uint32_t trades_ = 0;
  uint32_t consecutive_losses_ = 0;
};

}  // namespace pmx::writer
