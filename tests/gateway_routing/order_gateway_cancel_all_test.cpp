// OrderGateway::cancel_all: the kill switch's path through the gateway.
#include <map>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/gateway/order_gateway.h"
#include "pmx/gateway/paper_exchange.h"

#include "gateway_test_util.h"

namespace pmx {
namespace {

using gateway_test::cents;
using gateway_test::mono_ms;
using gateway_test::wall_ms;

class CancelAllTest : public ::testing::Test {
 protected:
  CancelAllTest() {
    MarketInfo m;
    m.venue = Venue::kalshi;
    m.key = "KXA-26-A";
    m.tick = cents(1);
    id_ = universe_.add_market(m);
    PaperExchangeOptions o;
    o.latency_min_ns = o.latency_max_ns = 10'000'000;
    o.max_slippage_pct = 0;
    paper_ = std::make_unique<PaperExchange>(universe_, o);
  }

  void snapshot(int yes_bid, int no_bid, int contracts) {
    MarketEvent e;
    e.venue = Venue::kalshi;
    e.instrument = id_;
    e.type = EventType::snapshot_begin;
    paper_->on_market_event(e, wall_ms(0));
    e.type = EventType::snapshot_level;
    e.qty = Qty::contracts(contracts);
    e.outcome = Outcome::yes;
    e.price = cents(yes_bid);
    paper_->on_market_event(e, wall_ms(0));
    e.outcome = Outcome::no;
    e.price = cents(no_bid);
    paper_->on_market_event(e, wall_ms(0));
    e.type = EventType::snapshot_end;
    paper_->on_market_event(e, wall_ms(0));
  }

  OrderIntent buy(uint64_t id, int limit_cents, int contracts) const {
    OrderIntent in;
    in.intent_id = id;
    in.instrument = id_;
    in.venue = Venue::kalshi;
    in.side = Side::buy;
    in.outcome = Outcome::yes;
    in.limit_price = cents(limit_cents);
    in.decision_price = cents(limit_cents);
    in.qty = Qty::contracts(contracts);
    return in;
  }

  std::vector<ExecReport> run(OrderGateway<PaperExchange>& g, int64_t from_ms, int64_t to_ms) {
    std::vector<ExecReport> out;
    for (int64_t ms = from_ms; ms <= to_ms; ms += 10)
      g.poll(wall_ms(ms), mono_ms(ms), [&](const ExecReport& r) { out.push_back(r); });
    return out;
  }

  MarketUniverse universe_;
  InstrumentId id_;
  std::unique_ptr<PaperExchange> paper_;
};

TEST_F(CancelAllTest, RestingLimitOrderIsCancelledAtTheVenueLongBeforeItsTimeout) {
  snapshot(38, 60, 5);  // YES ask 40 x5: a $240 order takes 5 and rests the rest
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(1, 40, 600), wall_ms(0), mono_ms(0));
  ASSERT_EQ(run(g, 0, 20).size(), 1u);  // the partial fill
  EXPECT_EQ(g.cancel_all(wall_ms(30)), 1u);
  const std::vector<ExecReport> after = run(g, 30, 100);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type, ExecType::cancelled);
  EXPECT_EQ(after[0].cumulative_qty, Qty::contracts(5));
  EXPECT_EQ(g.active_intents(), 0u);
  EXPECT_EQ(g.counters().timeouts, 0u);
}

TEST_F(CancelAllTest, OrdersWaitingForTheRateLimitAreNeverSentAndEndCancelled) {
  snapshot(38, 60, 100'000);
  OrderGatewayOptions o;
  o.write_tokens_per_second[0] = 10;  // one order per second
  o.write_capacity[0] = 10;
  OrderGateway<PaperExchange> g(*paper_, universe_, o);
  for (uint64_t id = 1; id <= 3; ++id)
    g.on_intent(buy(id, 40, 10), wall_ms(0), mono_ms(0));
  g.cancel_all(wall_ms(0));
  std::map<uint64_t, std::vector<ExecType>> by_intent;
  for (const ExecReport& r : run(g, 0, 5'000))
    by_intent[r.intent_id].push_back(r.type);
  ASSERT_EQ(by_intent.size(), 3u);
  EXPECT_EQ(by_intent[1], std::vector<ExecType>{ExecType::fill});  // already sent: the venue filled it
  EXPECT_EQ(by_intent[2], std::vector<ExecType>{ExecType::cancelled});
  EXPECT_EQ(by_intent[3], std::vector<ExecType>{ExecType::cancelled});
  EXPECT_EQ(g.counters().children_sent, 1u);
}

TEST_F(CancelAllTest, TwapStopsSendingChunksAfterCancelAll) {
  snapshot(38, 60, 100'000);
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(1, 40, 2'500), wall_ms(0), mono_ms(0));  // $1000: five chunks a minute apart
  run(g, 0, 1'000);
  g.cancel_all(wall_ms(1'000));
  const std::vector<ExecReport> after = run(g, 1'000, 300'000);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].type, ExecType::cancelled);
  EXPECT_EQ(after[0].cumulative_qty, Qty::contracts(500));  // only the first chunk
  EXPECT_EQ(g.counters().children_sent, 1u);
}

TEST_F(CancelAllTest, CancelAllWithNothingWorkingStopsNothing) {
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  EXPECT_EQ(g.cancel_all(wall_ms(0)), 0u);
  EXPECT_TRUE(run(g, 0, 100).empty());
  EXPECT_EQ(g.counters().cancel_alls, 1u);
}

}  // namespace
}  // namespace pmx
