// The coarse backtest path: the engine's SQLite `price_history` table (top of book sampled every
// strategy.price_sample_interval, 60 s by default) turned into market events.
//
// Each sample becomes one book snapshot holding only its top of book: for a Kalshi market the YES
// bid level and the NO bid level at $1 - ask (Kalshi books hold bids of both outcomes); for a
// Polymarket token a bid and an ask level. The events go straight onto the feed rings (there is no
// venue frame to parse), then through the same books, strategies, risk and paper exchange.
//
// Limits, stated rather than hidden: one level per side, so depth beyond the top is unknown (a
// walk past the top finds nothing, sizes are capped by the top's size); nothing happens between
// samples (no trades, so volatility sees no volume and resting orders only fill when a later
// sample's book crosses them); a missing side (NULL column) is an empty side; the sample time
// (ts_ns, wall clock) is the replay's clock for both the strategy and the paper latency model.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "pmx/feed/market_event.h"
#include "pmx/feed/market_info.h"

namespace pmx {

struct PriceSample {
  Venue venue = Venue::kalshi;
  std::string ticker;
  WallNanos ts{};
  Price bid = kNoPrice;  // kNoPrice: no bid
  Price ask = kNoPrice;
  Qty bid_size{};
  Qty ask_size{};
};

// Every row, by time (then row order). Throws std::runtime_error (path and SQLite's message).
std::vector<PriceSample> load_price_history(const std::filesystem::path& database);

// A universe of every sampled instrument (ticks of $0.0001, no events, no close time) for a
// database whose markets are not otherwise known.
MarketUniverse universe_from_price_history(const std::vector<PriceSample>& samples);

// The snapshot events of one sample of `instrument` (begin, levels, end); returns how many.
size_t top_of_book_events(const PriceSample& sample, InstrumentId instrument,
                          std::array<MarketEvent, 4>& out) noexcept;

}  // namespace pmx
