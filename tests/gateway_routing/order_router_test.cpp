#include "pmx/gateway/order_router.h"

#include <gtest/gtest.h>

#include "gateway_test_util.h"

namespace pmx {
namespace {

using gateway_test::cents;

OrderIntent buy(int limit_cents, int contracts, uint8_t flags = 0) {
  OrderIntent in;
  in.intent_id = 1;
  in.side = Side::buy;
  in.limit_price = cents(limit_cents);
  in.decision_price = cents(limit_cents);
  in.qty = Qty::contracts(contracts);
  in.flags = flags;
  return in;
}

const Level kOffer{cents(40), Qty::contracts(10'000)};
const Money kDeep = Money::dollars(10'000);

TEST(OrderRouter, SmallOrdersGoAsMarketableIoc) {
  const RoutePlan p = plan_route(buy(40, 100), kOffer, kDeep, cents(1), RouteOptions{});  // $40
  EXPECT_EQ(p.kind, RouteKind::marketable_ioc);
  EXPECT_EQ(p.refusal, RejectReason::none);
}

TEST(OrderRouter, UrgentOrdersGoAsIocWhateverTheirSize) {
  EXPECT_EQ(plan_route(buy(40, 10'000, kIntentUrgent), kOffer, kDeep, cents(1), RouteOptions{}).kind,
            RouteKind::marketable_ioc);
}

TEST(OrderRouter, MediumOrdersRestAtBestOfferPlusOffsetOnTheTick) {
  RouteOptions o;
  const OrderIntent in = buy(45, 500);  // $225
  const Level offer{Price::from_ticks(4000), Qty::contracts(10)};
  RoutePlan p = plan_route(in, offer, Money{}, Price::from_ticks(1), o);
  EXPECT_EQ(p.kind, RouteKind::limit_with_timeout);
  EXPECT_EQ(p.price, Price::from_ticks(4004));  // 0.40 x 1.001
  p = plan_route(in, offer, Money{}, cents(1), o);
  EXPECT_EQ(p.price, cents(40));  // floored to the 1c grid
}

TEST(OrderRouter, LargeOrdersAreSplitIntoTwapChunks) {
  const RoutePlan p = plan_route(buy(50, 2'003), kOffer, kDeep, cents(1), RouteOptions{});  // $1001.50
  EXPECT_EQ(p.kind, RouteKind::twap);
  EXPECT_EQ(p.chunks, 5);
  EXPECT_EQ(p.chunk_qty, Qty::from_units(2'003'000'000 / 5));
}

TEST(OrderRouter, ArbitrageLegsAreFillOrKill) {
  EXPECT_EQ(plan_route(buy(40, 10'000, kIntentArbitrageLeg), kOffer, kDeep, cents(1), RouteOptions{}).kind,
            RouteKind::fill_or_kill);
}

TEST(OrderRouter, NeverPaysMoreThanTwoPercentOverTheDecisionPrice) {
  OrderIntent in = buy(60, 10);
  in.decision_price = cents(50);
  EXPECT_EQ(protected_limit(in, 2.0), cents(51));
  in.side = Side::sell;
  in.limit_price = cents(40);
  EXPECT_EQ(protected_limit(in, 2.0), cents(49));
  in.limit_price = cents(49) + Price::from_ticks(50);
  EXPECT_EQ(protected_limit(in, 2.0), in.limit_price);  // the intent's own limit is tighter
}

TEST(OrderRouter, RefusesTakingWithoutEnoughDepthInTheBand) {
  const OrderIntent in = buy(40, 10'000, kIntentArbitrageLeg);
  EXPECT_EQ(plan_route(in, kOffer, Money::dollars(99), cents(1), RouteOptions{}).refusal,
            RejectReason::insufficient_depth);
  EXPECT_EQ(plan_route(in, Level{}, kDeep, cents(1), RouteOptions{}).refusal,
            RejectReason::insufficient_depth);
}

TEST(OrderRouter, SmallOrderNeedsOnlyItsOwnNotionalOfDepth) {
  const OrderIntent in = buy(40, 10);  // $4
  EXPECT_EQ(plan_route(in, kOffer, Money::dollars(4), cents(1), RouteOptions{}).refusal, RejectReason::none);
  EXPECT_EQ(plan_route(in, kOffer, Money::dollars(3), cents(1), RouteOptions{}).refusal,
            RejectReason::insufficient_depth);
}

TEST(OrderRouter, RefusesNonsense) {
  EXPECT_EQ(plan_route(buy(40, 0), kOffer, kDeep, cents(1), RouteOptions{}).refusal, RejectReason::risk);
  EXPECT_EQ(plan_route(buy(100, 1), kOffer, kDeep, cents(1), RouteOptions{}).refusal, RejectReason::risk);
}

}  // namespace
}  // namespace pmx
