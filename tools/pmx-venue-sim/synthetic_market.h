// A seeded synthetic market for both venues: pure and deterministic (same options, same bytes), no
// I/O. Each venue connection of pmx-venue-sim runs its own instance and pulls frames from it.
//
// The universe it lists (sim_universe.h), for `markets` = N Kalshi markets:
//   ladder     a Kalshi event "above X" for increasing X (strike_type greater, floor_strike),
//              whose probabilities follow one mean-reverting underlying through a normal CDF:
//              monotone in the strike, except for briefly injected violations (violates_ladder)
//   exclusive  mutually exclusive events (Kalshi mutually_exclusive = true; Polymarket neg-risk
//              events, tick 0.001): outcome logits mean-revert, probabilities are their softmax,
//              so they sum to 1, times (1 - d) where d is a dislocation that now and then opens
//              (mostly below 1, so bundle arbitrage has something to find; sometimes above)
//   expiring   binaries closing 1-6 hours after start_ms, drifting towards 0 or 1 as close nears
//   binary     plain binaries closing in days to weeks
// Every market but the ladder's is also listed on Polymarket (a cross-venue pair) at the Kalshi
// probability plus a small mean-reverting divergence in logit space with occasional jumps; every
// fifth plain binary's Polymarket side closes 30 days later (a pair with equivalent = false).
// Probabilities follow Ornstein-Uhlenbeck processes in logit space, advanced exactly over the
// virtual time elapsed since that driver last moved.
//
// Books: YES bids below and asks above the fair value on the market's tick (Kalshi 1¢; Polymarket
// 0.01, or 0.001 for neg-risk and expiring markets), several levels a side, sizes decaying away
// from the top; a level keeps its size across requotes unless refreshed, so updates are small.
//
// Frames (REFERENCES.md §1.6, §1.7, §3.3, §3.4), with virtual receive times (ts_ns):
//   step 1     Kalshi: one orderbook_snapshot per market (yes_dollars_fp / no_dollars_fp, NO bids
//              at 1 - YES ask); Polymarket: per market one JSON array of the two tokens' `book`s
//              (the NO book mirrors the YES book)
//   later      one driver moves; Kalshi: one orderbook_delta per changed level (removals first,
//              so no intermediate book is crossed); Polymarket: one price_change per market with
//              an entry per changed level for each token (absolute new size, best_bid/best_ask
//              after that entry; "0"/"1" for an empty side, as the venue sends)
// Kalshi frames carry "sid":1 and a running "seq" as placeholders that VenueProtocol rewrites
// per subscription.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim_frame.h"
#include "sim_universe.h"

namespace pmx::sim {

struct SyntheticOptions {
  uint64_t seed = 1;
  int markets = 24;      // Kalshi markets, 1..10000; Polymarket lists all but the ladder's
  int64_t start_ms = 0;  // virtual clock origin (wall-clock epoch ms); close times follow it
  int64_t step_ms = 50;  // virtual time between two steps, >= 1
};

enum class SyntheticRole : uint8_t { binary, expiring, exclusive, ladder };

// One side of a YES book: price ($0.0001) -> size (0.01 units).
using SimLevels = std::map<int64_t, int64_t>;

class SyntheticMarket {
 public:
  // Throws std::invalid_argument when an option is out of range.
  explicit SyntheticMarket(const SyntheticOptions& options);
  ~SyntheticMarket();
  SyntheticMarket(SyntheticMarket&&) noexcept;
  SyntheticMarket& operator=(SyntheticMarket&&) noexcept;

  const Universe& universe() const noexcept;
  SyntheticRole role(size_t market) const;

  // Appends the next step's frames for both venues (see above).
  void step(std::vector<SimFrame>& out);
  uint64_t steps_taken() const noexcept;
  int64_t now_ms() const noexcept;  // virtual time of the last step

  // Current state of universe().markets[market].
  int64_t fair(size_t market) const;  // the model's YES probability in $0.0001 (not on tick)
  const SimLevels& yes_bids(size_t market) const;
  const SimLevels& yes_asks(size_t market) const;
  bool violates_ladder(size_t market) const;  // an injected ladder violation is priced in

  // The current `book` event (object, not array) of a Polymarket token; "" for an unknown id.
  std::string polymarket_book_frame(std::string_view asset_id) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Formats a signed fixed-point value with exactly `scale` decimals: (4800, 4) -> "0.4800".
std::string format_fixed(int64_t value, int scale);
// UTC RFC 3339 with a Z suffix, seconds precision: 0 -> "1970-01-01T00:00:00Z".
std::string rfc3339_utc(int64_t epoch_ms);

}  // namespace pmx::sim
