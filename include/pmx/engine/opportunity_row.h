// An Opportunity as the shared-memory opportunity log shows it to the tools (shm-top, pmx-dash):
// the first four legs' instruments and limit prices, size, EV net of fees, the Kelly fraction
// the sizer used and the expiry. The strategy thread appends it with
// StateWriter::append_opportunity right after the detector emits it.
#pragma once

#include <algorithm>

#include "pmx/shm/layout.h"
#include "pmx/strategy/opportunity.h"

namespace pmx {

inline shm::OpportunityRow to_opportunity_row(const Opportunity& o, double kelly_fraction) noexcept {
  shm::OpportunityRow row;
  row.wall_ns = o.detected_at.ns;
  row.strategy = static_cast<uint8_t>(o.strategy);
  row.legs = o.leg_count;
  const size_t shown = std::min<size_t>(o.leg_count, 4);
  for (size_t i = 0; i < shown; ++i) {
    row.instrument[i] = o.legs[i].instrument.value;
    row.price_ticks[i] = o.legs[i].limit_price.ticks;
  }
  row.size_units = o.size.units;
  row.ev_micros = o.expected_value.micros;
  row.kelly_fraction = kelly_fraction;
  row.expiry_wall_ns = o.expiry.ns;
  return row;
}

}  // namespace pmx
