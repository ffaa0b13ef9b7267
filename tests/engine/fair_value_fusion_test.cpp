// StrategyEngine::fair_value: a cross-venue pair's instruments see each other's estimates.
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/engine/strategy_engine.h"

#include "engine_test_util.h"

namespace pmx {
namespace {

using test::contracts;
using test::dollars;
using test::kHour;
using test::kMilli;
using test::kNoon;
using test::Recorder;

// K (Kalshi) is linked to the Polymarket tokens 1001 (YES) and 1002 (NO) of the same event; S is a
// Kalshi market with no partner.
class FairValueFusionTest : public ::testing::Test {
 protected:
  FairValueFusionTest() {
    const WallNanos close{kNoon.ns + 168 * kHour};
    k_ = universe_.add_market(test::kalshi_market("K", "KE", close));
    py_ = universe_.add_market(test::polymarket_token("1001", "PE", close));
    pn_ = universe_.add_market(test::polymarket_token("1002", "PE", close));
    solo_ = universe_.add_market(test::kalshi_market("S", "SE", close));
    CrossVenuePair pair;
    pair.name = "K/P";
    pair.kalshi_ticker = "K";
    pair.polymarket_yes_token = "1001";
    pair.polymarket_no_token = "1002";
    pairs_.push_back(pair);
    EXPECT_TRUE(k_.valid() && py_.valid() && pn_.valid() && solo_.valid());
    engine_ = std::make_unique<StrategyEngine>(universe_, config_, &pairs_);
    engine_->on_feed_connected(Venue::kalshi, now_);
    engine_->on_feed_connected(Venue::polymarket, now_);
  }

  WallNanos tick() { return now_ = WallNanos{now_.ns + kMilli}; }

  void polymarket_book(InstrumentId id, double bid, double ask) {
    MarketEvent e;
    e.venue = Venue::polymarket;
    e.instrument = id;
    e.type = EventType::snapshot_begin;
    e.level_count = 2;
    test::send(*engine_, e, tick(), out_);
    e.type = EventType::snapshot_level;
    e.outcome = Outcome::yes;
    e.book_side = BookSide::bid;
    e.price = dollars(bid);
    e.qty = contracts(500);
    test::send(*engine_, e, now_, out_);
    e.book_side = BookSide::ask;
    e.price = dollars(ask);
    test::send(*engine_, e, now_, out_);
    e.type = EventType::snapshot_end;
    test::send(*engine_, e, now_, out_);
  }

  Config config_;
  MarketUniverse universe_;
  std::vector<CrossVenuePair> pairs_;
  InstrumentId k_{}, py_{}, pn_{}, solo_{};
  std::unique_ptr<StrategyEngine> engine_;
  WallNanos now_ = kNoon;
  Recorder out_;
};

TEST_F(FairValueFusionTest, LinkedInstrumentsFuseBothVenuesEstimates) {
  // K's book centres on 0.60, PY's on 0.70.
  test::kalshi_snapshot(*engine_, k_, {{0.58, 500}}, {{0.38, 500}}, tick(), out_);
  polymarket_book(py_, 0.69, 0.71);

  const double own_k = engine_->fair_values().estimate(k_).value;
  const double own_py = engine_->fair_values().estimate(py_).value;
  ASSERT_LT(own_k, own_py);
  const FairValue fused_k = engine_->fair_value(k_);
  const FairValue fused_py = engine_->fair_value(py_);
  EXPECT_GT(fused_k.value, own_k);
  EXPECT_LT(fused_k.value, own_py);
  EXPECT_GT(fused_py.value, own_k);
  EXPECT_LT(fused_py.value, own_py);
  EXPECT_EQ(fused_k.samples,
            engine_->fair_values().estimate(k_).samples + engine_->fair_values().estimate(py_).samples);
}

TEST_F(FairValueFusionTest, NoTokenFusesWithTheComplementOfTheKalshiEstimate) {
  test::kalshi_snapshot(*engine_, k_, {{0.58, 500}}, {{0.38, 500}}, tick(), out_);  // YES ~0.60
  polymarket_book(pn_, 0.29, 0.31);                                                 // NO ~0.30

  const double own_pn = engine_->fair_values().estimate(pn_).value;
  const double complement_k = 1.0 - engine_->fair_values().estimate(k_).value;  // ~0.40
  ASSERT_LT(own_pn, complement_k);
  const double fused_pn = engine_->fair_value(pn_).value;
  EXPECT_GT(fused_pn, own_pn);
  EXPECT_LT(fused_pn, complement_k);
}

TEST_F(FairValueFusionTest, AnInstrumentWithoutAPartnerKeepsItsOwnEstimate) {
  test::kalshi_snapshot(*engine_, solo_, {{0.58, 500}}, {{0.38, 500}}, tick(), out_);
  const FairValue own = engine_->fair_values().estimate(solo_);
  const FairValue used = engine_->fair_value(solo_);
  EXPECT_EQ(used.value, own.value);
  EXPECT_EQ(used.variance, own.variance);
  EXPECT_EQ(used.samples, own.samples);
}

TEST_F(FairValueFusionTest, APartnerWithNoSamplesLeavesTheOwnEstimate) {
  test::kalshi_snapshot(*engine_, k_, {{0.58, 500}}, {{0.38, 500}}, tick(), out_);
  EXPECT_EQ(engine_->fair_value(k_).value, engine_->fair_values().estimate(k_).value);
}

}  // namespace
}  // namespace pmx
