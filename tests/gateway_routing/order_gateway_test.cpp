#include "pmx/gateway/order_gateway.h"

#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "pmx/gateway/paper_exchange.h"

#include "gateway_test_util.h"

namespace pmx {
namespace {

using gateway_test::cents;
using gateway_test::mono_ms;
using gateway_test::wall_ms;

// A backend that wraps the paper exchange and injects faults: refused submissions, lost
// acknowledgements (the report still arrives: a venue that never answers is the gateway's
// timeout, tested separately) and rejected orders.
struct FaultyBackend {
  explicit FaultyBackend(PaperExchange& p) : paper(p) {}
  PaperExchange& paper;
  std::mt19937_64 rng{99};
  double reject_rate = 0.0;
  std::vector<ExecReport> injected;

  bool submit(const OrderIntent& in, WallNanos now) noexcept {
    if (reject_rate > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < reject_rate) {
      ExecReport r;
      r.intent_id = in.intent_id;
      r.instrument = in.instrument;
      r.type = ExecType::rejected;
      r.reason = RejectReason::venue;
      r.ts = now;
      injected.push_back(r);
      return false;
    }
    return paper.submit(in, now);
  }
  bool cancel(uint64_t id, WallNanos now) noexcept { return paper.cancel(id, now); }
  template <typename Sink>
  void advance(WallNanos now, Sink&& sink) noexcept {
    for (const ExecReport& r : injected)
      sink(r);
    injected.clear();
    paper.advance(now, sink);
  }
  const BookSet& books() const noexcept { return paper.books(); }
};

class OrderGatewayTest : public ::testing::Test {
 protected:
  OrderGatewayTest() {
    for (const char* key : {"KXA-26-A", "KXA-26-B"}) {
      MarketInfo m;
      m.venue = Venue::kalshi;
      m.key = key;
      m.tick = cents(1);
      ids_.push_back(universe_.add_market(m));
    }
    PaperExchangeOptions o;
    o.latency_min_ns = o.latency_max_ns = 10'000'000;
    o.max_slippage_pct = 0;
    paper_ = std::make_unique<PaperExchange>(universe_, o);
  }

  void snapshot(InstrumentId id, int yes_bid, int no_bid, int contracts, WallNanos now = wall_ms(0)) {
    MarketEvent e;
    e.venue = Venue::kalshi;
    e.instrument = id;
    e.type = EventType::snapshot_begin;
    paper_->on_market_event(e, now);
    e.type = EventType::snapshot_level;
    e.qty = Qty::contracts(contracts);
    e.outcome = Outcome::yes;
    e.price = cents(yes_bid);
    paper_->on_market_event(e, now);
    e.outcome = Outcome::no;
    e.price = cents(no_bid);
    paper_->on_market_event(e, now);
    e.type = EventType::snapshot_end;
    paper_->on_market_event(e, now);
  }

  OrderIntent buy(uint64_t id, InstrumentId instrument, int limit_cents, int contracts, uint8_t flags = 0) {
    OrderIntent in;
    in.intent_id = id;
    in.instrument = instrument;
    in.venue = Venue::kalshi;
    in.side = Side::buy;
    in.outcome = Outcome::yes;
    in.limit_price = cents(limit_cents);
    in.decision_price = cents(limit_cents);
    in.qty = Qty::contracts(contracts);
    in.flags = flags;
    return in;
  }

  template <typename Gateway>
  std::vector<ExecReport> poll(Gateway& g, int64_t ms) {
    std::vector<ExecReport> out;
    g.poll(wall_ms(ms), mono_ms(ms), [&](const ExecReport& r) { out.push_back(r); });
    return out;
  }

  MarketUniverse universe_;
  std::vector<InstrumentId> ids_;
  std::unique_ptr<PaperExchange> paper_;
};

TEST_F(OrderGatewayTest, SmallOrderFillsAndIsReportedUnderTheIntentsOwnId) {
  snapshot(ids_[0], 38, 60, 500);  // YES ask 40 x500
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(7, ids_[0], 40, 100), wall_ms(0), mono_ms(0));
  EXPECT_TRUE(poll(g, 5).empty());
  const auto r = poll(g, 10);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].intent_id, 7u);
  EXPECT_EQ(r[0].type, ExecType::fill);
  EXPECT_EQ(r[0].cumulative_qty, Qty::contracts(100));
  EXPECT_EQ(g.active_intents(), 0u);
}

TEST_F(OrderGatewayTest, MediumLimitOrderIsCancelledAtItsTimeout) {
  snapshot(ids_[0], 38, 60, 5);  // YES ask 40 x5 only
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(1, ids_[0], 40, 600), wall_ms(0), mono_ms(0));  // $240: rests
  auto r = poll(g, 10);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::partial_fill);  // took the 5 offered, rests the rest
  EXPECT_TRUE(poll(g, 29'999).empty());
  EXPECT_TRUE(poll(g, 30'000).empty());  // the cancel is in flight
  r = poll(g, 30'010);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::cancelled);
  EXPECT_EQ(r[0].cumulative_qty, Qty::contracts(5));
  EXPECT_EQ(g.counters().timeouts, 1u);
}

TEST_F(OrderGatewayTest, LargeOrderIsWorkedInFiveChunksSixtySecondsApart) {
  snapshot(ids_[0], 38, 60, 100'000);
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(1, ids_[0], 40, 2'500), wall_ms(0), mono_ms(0));  // $1000
  std::vector<ExecReport> all;
  for (int64_t ms = 0; ms <= 250'000; ms += 1'000) {
    for (const ExecReport& r : poll(g, ms))
      all.push_back(r);
  }
  ASSERT_EQ(all.size(), 5u);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(all[i].type, ExecType::partial_fill);
  EXPECT_EQ(all[4].type, ExecType::fill);
  EXPECT_EQ(all[4].cumulative_qty, Qty::contracts(2'500));
  EXPECT_EQ(all[1].ts.ns - all[0].ts.ns, 60'000'000'000);
}

TEST_F(OrderGatewayTest, FailedArbitrageLegIsUnwound) {
  snapshot(ids_[0], 38, 60, 1'000);  // leg A: YES ask 40 x1000
  snapshot(ids_[1], 38, 60, 10);     // leg B: only 10 offered, FOK of 100 fails
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  OrderIntent a = buy(1, ids_[0], 40, 100, kIntentArbitrageLeg);
  OrderIntent b = buy(2, ids_[1], 40, 100, kIntentArbitrageLeg);
  a.group_id = b.group_id = 77;
  a.leg_count = b.leg_count = 2;
  g.on_intent(a, wall_ms(0), mono_ms(0));
  g.on_intent(b, wall_ms(0), mono_ms(0));
  // b refused at once (not enough depth in the band: $4 of $40 needed), then a fills, then the
  // unwind sells a's 100 back into the YES bid at 38.
  std::vector<ExecReport> all;
  for (int64_t ms = 0; ms <= 100; ms += 10) {
    for (const ExecReport& r : poll(g, ms))
      all.push_back(r);
  }
  std::map<uint64_t, ExecReport> last;
  for (const ExecReport& r : all)
    last[r.intent_id] = r;
  ASSERT_EQ(last.size(), 3u);
  EXPECT_EQ(last[1].type, ExecType::fill);
  EXPECT_EQ(last[2].type, ExecType::rejected);
  EXPECT_EQ(last[2].reason, RejectReason::insufficient_depth);
  const ExecReport& unwind = last.rbegin()->second;
  EXPECT_NE(unwind.intent_id & kGatewayIntentBit, 0u);
  EXPECT_EQ(unwind.side, Side::sell);
  EXPECT_EQ(unwind.type, ExecType::fill);
  EXPECT_EQ(unwind.cumulative_qty, Qty::contracts(100));
  EXPECT_EQ(g.counters().unwinds, 1u);
}

TEST_F(OrderGatewayTest, ChildOrdersWaitForTheRateLimitAndAreNotDropped) {
  snapshot(ids_[0], 38, 60, 100'000);
  OrderGatewayOptions o;
  o.write_tokens_per_second[0] = 10;  // one order per second
  o.write_capacity[0] = 10;
  OrderGateway<PaperExchange> g(*paper_, universe_, o);
  for (uint64_t id = 1; id <= 3; ++id)
    g.on_intent(buy(id, ids_[0], 40, 10), wall_ms(0), mono_ms(0));
  EXPECT_EQ(g.counters().rate_limited, 2u);
  std::vector<ExecReport> all;
  for (int64_t ms = 0; ms <= 3'000; ms += 10) {
    for (const ExecReport& r : poll(g, ms))
      all.push_back(r);
  }
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].ts, wall_ms(10));
  EXPECT_EQ(all[1].ts, wall_ms(1'010));
  EXPECT_EQ(all[2].ts, wall_ms(2'010));
}

// The gate of issue 6 in miniature: a storm of venue rejections, thin books, cancels and
// timeouts; every intent ends exactly once, none is lost, none duplicated.
TEST_F(OrderGatewayTest, FaultStormLeavesEveryIntentWithExactlyOneTerminalReport) {
  snapshot(ids_[0], 38, 60, 300);
  snapshot(ids_[1], 45, 50, 40);
  FaultyBackend backend(*paper_);
  backend.reject_rate = 0.2;
  OrderGatewayOptions o;
  o.write_tokens_per_second[0] = 50;
  OrderGateway<FaultyBackend> g(backend, universe_, o);
  std::mt19937_64 rng(5);
  std::map<uint64_t, int> terminal;
  std::map<uint64_t, Qty> filled;
  uint64_t next = 1;
  const auto collect = [&](int64_t ms) {
    for (const ExecReport& r : poll(g, ms)) {
      if (is_terminal(r.type)) ++terminal[r.intent_id];
      filled[r.intent_id] = filled[r.intent_id] + r.fill_qty;
      EXPECT_EQ(filled[r.intent_id], r.cumulative_qty) << r.intent_id;
    }
  };
  for (int64_t ms = 0; ms < 600'000; ms += 50) {
    if (rng() % 4 == 0) {
      const InstrumentId id = ids_[rng() % 2];
      OrderIntent in = buy(next++, id, static_cast<int>(38 + rng() % 20), static_cast<int>(1 + rng() % 3000));
      if (rng() % 5 == 0) {  // a two-leg arbitrage: one leg on each market
        in.flags = kIntentArbitrageLeg;
        in.group_id = in.intent_id;
        in.leg_count = 2;
        OrderIntent other = in;
        other.intent_id = next++;
        other.instrument = id == ids_[0] ? ids_[1] : ids_[0];
        g.on_intent(in, wall_ms(ms), mono_ms(ms));
        g.on_intent(other, wall_ms(ms), mono_ms(ms));
      } else {
        g.on_intent(in, wall_ms(ms), mono_ms(ms));
      }
    }
    if (rng() % 50 == 0) snapshot(ids_[rng() % 2], 38, 60, static_cast<int>(rng() % 500), wall_ms(ms));
    collect(ms);
  }
  for (int64_t ms = 600'000; ms < 1'200'000; ms += 1'000)
    collect(ms);
  EXPECT_EQ(g.active_intents(), 0u);
  // The storm really stormed: venue rejections, rate limiting, timeouts and unwinds all happened.
  EXPECT_GT(g.counters().rejected + g.counters().terminal, 100u);
  EXPECT_GT(g.counters().rate_limited, 0u);
  EXPECT_GT(g.counters().timeouts, 0u);
  EXPECT_GT(g.counters().unwinds, 0u);
  int64_t total_filled = 0;
  for (const auto& [id, q] : filled)
    total_filled += q.units;
  EXPECT_GT(total_filled, 0);
  for (uint64_t id = 1; id < next; ++id)
    EXPECT_EQ(terminal[id], 1) << "intent " << id;
  for (const auto& [id, n] : terminal)
    EXPECT_EQ(n, 1) << "intent " << id;
}

// A poll round visits only parents with timed work (TWAP chunks, limit timeouts).
TEST_F(OrderGatewayTest, MarketableOrderIsNotVisitedByPollRounds) {
  snapshot(ids_[0], 38, 60, 500);
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(7, ids_[0], 40, 100), wall_ms(0), mono_ms(0));
  EXPECT_EQ(g.active_intents(), 1u);
  EXPECT_EQ(g.timed_intents(), 0u);
}

TEST_F(OrderGatewayTest, LimitOrderLeavesThePollRoundWhenItEnds) {
  snapshot(ids_[0], 38, 60, 5);
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(1, ids_[0], 40, 600), wall_ms(0), mono_ms(0));  // rests, times out at 30 s
  EXPECT_EQ(g.timed_intents(), 1u);
  poll(g, 10);
  poll(g, 30'000);
  EXPECT_EQ(g.timed_intents(), 1u);  // the cancel is in flight
  poll(g, 30'010);
  EXPECT_EQ(g.timed_intents(), 0u);
  EXPECT_EQ(g.active_intents(), 0u);
}

TEST_F(OrderGatewayTest, TwapParentsInterleavedWithMarketableOnesAllFinishAndLeaveNoTimedWork) {
  snapshot(ids_[0], 38, 60, 100'000);
  OrderGateway<PaperExchange> g(*paper_, universe_, OrderGatewayOptions{});
  g.on_intent(buy(1, ids_[0], 40, 2'500), wall_ms(0), mono_ms(0));  // TWAP, 5 chunks
  g.on_intent(buy(2, ids_[0], 40, 10), wall_ms(0), mono_ms(0));     // IOC
  g.on_intent(buy(3, ids_[0], 40, 2'500), wall_ms(0), mono_ms(0));  // TWAP
  EXPECT_EQ(g.timed_intents(), 2u);
  std::map<uint64_t, int> terminal;
  for (int64_t ms = 0; ms <= 250'000; ms += 1'000) {
    for (const ExecReport& r : poll(g, ms))
      if (is_terminal(r.type)) ++terminal[r.intent_id];
  }
  EXPECT_EQ(terminal, (std::map<uint64_t, int>{{1, 1}, {2, 1}, {3, 1}}));
  EXPECT_EQ(g.timed_intents(), 0u);
  EXPECT_EQ(g.active_intents(), 0u);
}

}  // namespace
}  // namespace pmx
