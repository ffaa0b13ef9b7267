// The per-sample model code allocates nothing once its containers are built.
#include <vector>

#include <gtest/gtest.h>

#include "pmx/model/kalman_fair_value.h"
#include "pmx/model/kelly.h"
#include "pmx/model/volatility.h"

#include "../common/counting_allocator.h"

namespace pmx {
namespace {

TEST(ModelNoAllocation, UpdatesObservationsFusionAndSizingAllocateNothing) {
  FairValueModels models(8, KalmanConfig{});
  VolatilityStats stats(8, ThesisInvalidationConfig{});
  const KellyConfig kelly;

  double sink = 0.0;
  const uint64_t before = test::allocation_count();
  for (int i = 0; i < 10'000; ++i) {
    const InstrumentId id{static_cast<uint32_t>(i % 8)};
    const double price = 0.3 + 0.001 * (i % 400);
    const auto measurement =
        microprice(Price::from_ticks(static_cast<int32_t>(price * 10'000)), Qty::contracts(5),
                   Price::from_ticks(static_cast<int32_t>(price * 10'000) + 100), Qty::contracts(1 + i % 7));
    models.update(id, *measurement, static_cast<double>(i % 48));
    stats.observe(id, (i % 2 == 0 ? 0.01 : -0.01) * (1 + i % 3), 1.0 + i % 11);
    const FairValue fused = fuse(models.estimate(id), 10.0, models.estimate(InstrumentId{0}), 5.0);

    KellyInputs in;
    in.win_probability = fused.value;
    in.price = Price::from_ticks(static_cast<int32_t>(price * 10'000));
    in.capital = Money::dollars(1000);
    const KellySize size = kelly_size(in, kelly);
    sink += fused.value + static_cast<double>(size.qty.units) + stats.snapshot(id).stddev_change;
  }
  EXPECT_EQ(test::allocation_count() - before, 0U);
  EXPECT_NE(sink, 0.0);

  // The counter does see allocations.
  std::vector<int> probe(16);
  EXPECT_GT(test::allocation_count(), before);
  sink += probe[0];
}

}  // namespace
}  // namespace pmx
