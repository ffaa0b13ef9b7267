// From legs to an arbitrage Opportunity: read each leg's buy levels from the books, walk full
// sets (pmx/strategy/set_walk.h), require the minimum liquidity on every leg, and fill the record.
// Bundle, cross-venue and monotonicity arbitrage differ only in which legs make a set.
#pragma once

#include <span>

#include "pmx/book/book_set.h"
#include "pmx/core/config.h"
#include "pmx/core/order.h"
#include "pmx/feed/market_info.h"
#include "pmx/strategy/opportunity.h"
#include "pmx/strategy/set_walk.h"

namespace pmx {

struct ArbitrageLeg {
  InstrumentId instrument{};
  Venue venue = Venue::kalshi;
  Outcome outcome = Outcome::yes;  // Polymarket: always yes (the token bought)
  const FeeParams* fees = nullptr;
};

// Fills `out` (everything but id and detected_at, which the detector stamps) when the legs make
// a profitable set; `scratch` must hold legs.size() x config.max_levels levels. Legs are buy,
// fill-or-kill, flagged kIntentArbitrageLeg: one unfilled leg must unwind the others.
// Never emits a set whose expected value net of fees is not positive.
Verdict find_full_set_arbitrage(std::span<const ArbitrageLeg> legs, const BookSet& books,
                                const ArbitrageParams& config, std::span<Level> scratch,
                                StrategyKind strategy, Opportunity& out) noexcept;

// Throws std::invalid_argument naming the field when the config cannot work (start-up only).
void validate(const ArbitrageParams& config);

// The detectors' parameters from the [arbitrage] section of the configuration (the lot is
// rounded to the nearest millionth of a contract, the Qty resolution; config allows >= 1e-6).
ArbitrageParams arbitrage_params(const ArbitrageConfig& config) noexcept;

}  // namespace pmx
