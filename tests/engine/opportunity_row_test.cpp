#include "pmx/engine/opportunity_row.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "pmx/shm/segment.h"

namespace pmx {
namespace {

TEST(OpportunityRow, ReachesTheToolsThroughTheSharedMemoryLog) {
  Opportunity o;
  o.strategy = StrategyKind::bundle_arb;
  o.detected_at = WallNanos{1'700'000'000'000'000'000};
  o.expiry = WallNanos{1'700'003'600'000'000'000};
  o.leg_count = 5;
  for (uint32_t i = 0; i < 5; ++i) {
    o.legs[i].instrument = InstrumentId{10 + i};
    o.legs[i].limit_price = Price::from_ticks(static_cast<int32_t>(1'000 + i));
  }
  o.size = Qty::contracts(12);
  o.expected_value = Money::from_micros(345'678);

  const std::string instance = "oppro" + std::to_string(getpid());
  shm::Geometry geometry;
  geometry.max_instruments = 64;
  geometry.tape_entries = 1024;
  geometry.tape_bytes = 1 << 16;
  shm::StateWriter writer(instance, geometry, shm::TradingMode::paper);
  writer.append_opportunity(to_opportunity_row(o, 0.25));
  shm::StateReader reader(instance);
  std::vector<shm::OpportunityRow> rows;
  reader.recent_opportunities(8, [&](const shm::OpportunityRow& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(shm::kStrategyNames[rows[0].strategy], std::string("bundle_arb"));
  EXPECT_EQ(rows[0].legs, 5);  // the count of all legs; the first four are shown
  EXPECT_EQ(rows[0].instrument[3], 13u);
  EXPECT_EQ(rows[0].price_ticks[0], 1'000);
  EXPECT_EQ(rows[0].size_units, 12'000'000);
  EXPECT_EQ(rows[0].ev_micros, 345'678);
  EXPECT_DOUBLE_EQ(rows[0].kelly_fraction, 0.25);
  EXPECT_EQ(rows[0].expiry_wall_ns, o.expiry.ns);
}

}  // namespace
}  // namespace pmx
