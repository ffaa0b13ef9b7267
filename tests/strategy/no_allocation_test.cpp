// Detectors run on the strategy thread's hot path: after construction they must not allocate.
// This binary links the counting global operator new of tests/common.
#include <random>

#include <gtest/gtest.h>

#include "pmx/strategy/exit_policy.h"

#include "../common/counting_allocator.h"
#include "random_world.h"

namespace pmx {
namespace {

TEST(StrategyAllocation, DetectorsAllocateNothingAfterConstruction) {
  test::RandomWorld world;
  ArbitrageParams config;
  config.min_leg_liquidity = Money::dollars(1);
  BundleArbitrage bundles(world.universe, config);
  CrossVenueArbitrage cross(world.universe, {CrossVenuePair{"X", "X", "1001", "1002", "", "", {}, {}}},
                            config);
  MonotonicityArbitrage ladders(world.universe, config);
  GrindingDetector grinding(GrindingConfig{});
  const MarketInfo& grind = *world.universe.market(world.grind);
  std::mt19937_64 rng(7);

  uint64_t emitted = 0;
  const uint64_t before = test::allocation_count();
  for (int i = 0; i < 500; ++i) {
    world.randomize(rng);
    Opportunity o;
    emitted += bundles.detect(0, world.books, world.kNow, o) == Verdict::emitted;
    emitted += cross.detect(0, world.books, world.kNow, o) == Verdict::emitted;
    for (const InstrumentId id : world.ladder)
      emitted += ladders.detect_for(id, world.books, world.kNow, o) == Verdict::emitted;
    emitted += grinding.detect(world.books, grind, Outcome::yes, 0.999, Money::dollars(10'000), world.kNow,
                               o) == Verdict::emitted;
    emitted += decide_exit(Price{5000}, world.books.best_bid(world.grind), world.kNow, world.kNow, i % 2 == 0,
                           ExitPolicy{})
                   .action == ExitAction::exit;
    for (const InstrumentId id : world.all)
      emitted += bundles.bundles_containing(id).size();
  }
  const uint64_t allocations = test::allocation_count() - before;
  EXPECT_EQ(allocations, 0u);
  EXPECT_GT(emitted, 100u);  // the loop really went through the emitting paths
}

}  // namespace
}  // namespace pmx
