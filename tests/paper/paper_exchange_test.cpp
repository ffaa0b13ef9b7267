#include "pmx/gateway/paper_exchange.h"

#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace pmx {
namespace {

constexpr Price cents(int c) {
  return Price::from_ticks(c * 100);
}
constexpr WallNanos at_ms(int64_t ms) {
  return WallNanos{ms * 1'000'000};
}

class PaperExchangeTest : public ::testing::Test {
 protected:
  PaperExchangeTest() {
    MarketInfo k;
    k.venue = Venue::kalshi;
    k.key = "KXTEST-26-A";
    k.tick = cents(1);
    kalshi_ = universe_.add_market(k);
    MarketInfo p;
    p.venue = Venue::polymarket;
    p.key = "123456789";
    p.tick = cents(1);
    poly_ = universe_.add_market(p);
  }

  PaperExchangeOptions no_noise() const {
    PaperExchangeOptions o;
    o.latency_min_ns = o.latency_max_ns = 10'000'000;  // exactly 10 ms
    o.max_slippage_pct = 0.0;
    return o;
  }

  static MarketEvent event(EventType type, InstrumentId id, Venue venue) {
    MarketEvent e;
    e.type = type;
    e.instrument = id;
    e.venue = venue;
    return e;
  }

  // A Kalshi snapshot: YES bids and NO bids as (cents, contracts).
  void kalshi_snapshot(PaperExchange& x, std::vector<std::pair<int, int>> yes_bids,
                       std::vector<std::pair<int, int>> no_bids, WallNanos now = at_ms(0)) {
    x.on_market_event(event(EventType::snapshot_begin, kalshi_, Venue::kalshi), now);
    for (auto [c, n] : yes_bids)
      x.on_market_event(level(Outcome::yes, c, n), now);
    for (auto [c, n] : no_bids)
      x.on_market_event(level(Outcome::no, c, n), now);
    x.on_market_event(event(EventType::snapshot_end, kalshi_, Venue::kalshi), now);
  }
  MarketEvent level(Outcome outcome, int c, int n) const {
    MarketEvent e = event(EventType::snapshot_level, kalshi_, Venue::kalshi);
    e.outcome = outcome;
    e.price = cents(c);
    e.qty = Qty::contracts(n);
    return e;
  }

  OrderIntent intent(uint64_t id, Side side, Outcome outcome, int limit_cents, int contracts,
                     TimeInForce tif = TimeInForce::ioc) const {
    OrderIntent in;
    in.intent_id = id;
    in.instrument = kalshi_;
    in.venue = Venue::kalshi;
    in.side = side;
    in.outcome = outcome;
    in.tif = tif;
    in.limit_price = cents(limit_cents);
    in.decision_price = cents(limit_cents);
    in.qty = Qty::contracts(contracts);
    return in;
  }

  static std::vector<ExecReport> drain(PaperExchange& x, WallNanos now) {
    std::vector<ExecReport> out;
    x.advance(now, [&](const ExecReport& r) { out.push_back(r); });
    return out;
  }

  MarketUniverse universe_;
  InstrumentId kalshi_{};
  InstrumentId poly_{};
};

TEST_F(PaperExchangeTest, NothingHappensBeforeTheLatencyHasPassed) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {{55, 10}}, {{60, 10}});
  ASSERT_TRUE(x.submit(intent(1, Side::buy, Outcome::yes, 45, 5), at_ms(0)));
  EXPECT_TRUE(drain(x, at_ms(9)).empty());
  EXPECT_EQ(drain(x, at_ms(10)).size(), 2u);  // accepted + fill
}

TEST_F(PaperExchangeTest, MarketableBuyWalksTheDepthOneFillPerLevelWithFees) {
  PaperExchange x(universe_, no_noise());
  // NO bids 60 x10 and 58 x20 are YES asks 40 x10 and 42 x20.
  kalshi_snapshot(x, {{35, 50}}, {{60, 10}, {58, 20}});
  x.submit(intent(1, Side::buy, Outcome::yes, 45, 25), at_ms(0));
  const auto r = drain(x, at_ms(10));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].type, ExecType::accepted);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[1].fill_price, cents(40));
  EXPECT_EQ(r[1].fill_qty, Qty::contracts(10));
  EXPECT_EQ(r[1].fee, Money::from_micros(170'000));  // ceil_cent(0.07 x 10 x 0.4 x 0.6 = 0.168)
  EXPECT_EQ(r[2].type, ExecType::fill);
  EXPECT_EQ(r[2].fill_price, cents(42));
  EXPECT_EQ(r[2].fill_qty, Qty::contracts(15));
  EXPECT_EQ(r[2].cumulative_qty, Qty::contracts(25));
  EXPECT_EQ(r[2].fee, Money::from_micros(260'000));  // ceil_cent(0.07 x 15 x 0.42 x 0.58 = 0.25578)
  EXPECT_EQ(r[2].ts, at_ms(10));
  EXPECT_EQ(x.open_orders(), 0u);
}

TEST_F(PaperExchangeTest, IocNeverTradesThroughItsLimitAndCancelsTheRest) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 10}, {58, 20}});
  x.submit(intent(1, Side::buy, Outcome::yes, 40, 25), at_ms(0));
  const auto r = drain(x, at_ms(10));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].type, ExecType::partial_fill);
  EXPECT_EQ(r[1].fill_qty, Qty::contracts(10));
  EXPECT_EQ(r[2].type, ExecType::cancelled);
  EXPECT_EQ(r[2].cumulative_qty, Qty::contracts(10));
}

TEST_F(PaperExchangeTest, FillOrKillWithoutEnoughDepthFillsNothing) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 10}, {58, 20}});
  x.submit(intent(1, Side::buy, Outcome::yes, 42, 31, TimeInForce::fok), at_ms(0));
  const auto r = drain(x, at_ms(10));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].type, ExecType::cancelled);
  EXPECT_EQ(r[1].reason, RejectReason::insufficient_depth);
  EXPECT_EQ(r[1].cumulative_qty, Qty{});
}

TEST_F(PaperExchangeTest, BuyingNoTakesTheYesBidsAtTheComplementPrice) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {{55, 10}, {50, 10}}, {{40, 5}});
  x.submit(intent(1, Side::buy, Outcome::no, 50, 15), at_ms(0));  // NO asks: 45 x10, 50 x10
  const auto r = drain(x, at_ms(10));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].fill_price, cents(45));
  EXPECT_EQ(r[2].fill_price, cents(50));
  EXPECT_EQ(r[2].fill_qty, Qty::contracts(5));
  EXPECT_EQ(r[2].type, ExecType::fill);
}

TEST_F(PaperExchangeTest, RestingOrderWaitsBehindTheQueueThenFillsAsMaker) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {{38, 30}}, {{55, 10}});  // YES bid 38 x30 ahead of us; YES ask 45
  x.submit(intent(1, Side::buy, Outcome::yes, 38, 20, TimeInForce::gtc), at_ms(0));
  ASSERT_EQ(drain(x, at_ms(10)).size(), 1u);  // accepted, resting
  MarketEvent trade = event(EventType::trade, kalshi_, Venue::kalshi);
  trade.price = cents(38);
  trade.qty = Qty::contracts(25);
  x.on_market_event(trade, at_ms(20));  // 25 of the 30 ahead
  EXPECT_TRUE(drain(x, at_ms(20)).empty());
  trade.qty = Qty::contracts(15);  // the last 5 ahead, then 10 of ours
  x.on_market_event(trade, at_ms(30));
  auto r = drain(x, at_ms(30));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::partial_fill);
  EXPECT_EQ(r[0].fill_qty, Qty::contracts(10));
  EXPECT_EQ(r[0].liquidity, Liquidity::maker);
  EXPECT_EQ(r[0].fee, Money{});  // this series charges no maker fee
  trade.qty = Qty::contracts(50);
  x.on_market_event(trade, at_ms(40));
  r = drain(x, at_ms(40));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::fill);
  EXPECT_EQ(r[0].fill_qty, Qty::contracts(10));
  EXPECT_EQ(x.open_orders(), 0u);
}

TEST_F(PaperExchangeTest, BookMovingThroughARestingOrderFillsItAtItsPrice) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {{38, 30}}, {{55, 10}});
  x.submit(intent(1, Side::buy, Outcome::yes, 40, 20, TimeInForce::gtc), at_ms(0));
  drain(x, at_ms(10));
  MarketEvent delta = event(EventType::level_delta, kalshi_, Venue::kalshi);
  delta.outcome = Outcome::no;
  delta.price = cents(61);  // a NO bid at 61 is a YES ask at 39, through our 40
  delta.qty = Qty::contracts(8);
  x.on_market_event(delta, at_ms(50));
  const auto r = drain(x, at_ms(50));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::partial_fill);
  EXPECT_EQ(r[0].fill_price, cents(40));
  EXPECT_EQ(r[0].fill_qty, Qty::contracts(8));
  EXPECT_EQ(r[0].ts, at_ms(50));
}

TEST_F(PaperExchangeTest, CancelTakesEffectAfterTheLatency) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {{38, 30}}, {{55, 10}});
  x.submit(intent(1, Side::buy, Outcome::yes, 38, 20, TimeInForce::gtc), at_ms(0));
  drain(x, at_ms(10));
  EXPECT_TRUE(x.cancel(1, at_ms(100)));
  EXPECT_TRUE(drain(x, at_ms(109)).empty());
  const auto r = drain(x, at_ms(110));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::cancelled);
  EXPECT_FALSE(x.cancel(1, at_ms(200)));
}

TEST_F(PaperExchangeTest, StaleOrUnknownBookIsRejected) {
  PaperExchange x(universe_, no_noise());  // no snapshot yet: stale
  x.submit(intent(1, Side::buy, Outcome::yes, 50, 1), at_ms(0));
  const auto r = drain(x, at_ms(10));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::rejected);
  EXPECT_EQ(x.counters().rejected_no_book, 1u);
}

TEST_F(PaperExchangeTest, NoFreeSlotIsRejectedAtOnce) {
  PaperExchangeOptions o = no_noise();
  o.max_open_orders = 1;
  PaperExchange x(universe_, o);
  EXPECT_TRUE(x.submit(intent(1, Side::buy, Outcome::yes, 50, 1), at_ms(0)));
  EXPECT_FALSE(x.submit(intent(2, Side::buy, Outcome::yes, 50, 1), at_ms(0)));
  const auto r = drain(x, at_ms(0));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].intent_id, 2u);
  EXPECT_EQ(r[0].type, ExecType::rejected);
}

TEST_F(PaperExchangeTest, SlippageIsAdverseBoundedAndNeverPastTheLimit) {
  PaperExchangeOptions o = no_noise();
  o.max_slippage_pct = 0.5;
  PaperExchange x(universe_, o);
  int slipped = 0;
  for (int i = 0; i < 200; ++i) {
    kalshi_snapshot(x, {}, {{20, 1000}}, at_ms(i * 100));  // YES ask 80
    x.submit(intent(static_cast<uint64_t>(i + 1), Side::buy, Outcome::yes, i % 2 == 0 ? 80 : 99, 1),
             at_ms(i * 100));
    for (const ExecReport& r : drain(x, at_ms(i * 100 + 10))) {
      if (r.type != ExecType::fill) continue;
      EXPECT_GE(r.fill_price, cents(80));
      EXPECT_LE(r.fill_price.ticks, 8000 + 40);  // 0.5% of $0.80
      slipped += r.fill_price > cents(80);
      if (i % 2 == 0) {
        EXPECT_EQ(r.fill_price, cents(80));  // capped by the limit
      }
    }
  }
  EXPECT_GT(slipped, 50);  // about half of the 100 orders with room above $0.80 slip at least a tick
}

// Random books, intents and cancels: every intent gets exactly one terminal report, and two
// exchanges with the same seed produce the same reports.
TEST_F(PaperExchangeTest, EveryIntentEndsExactlyOnceAndRunsAreDeterministic) {
  const auto run = [&](uint64_t seed) {
    PaperExchangeOptions o;
    o.seed = seed;
    o.max_open_orders = 64;
    PaperExchange x(universe_, o);
    std::mt19937_64 rng(7);
    std::vector<ExecReport> all;
    uint64_t next_id = 1;
    for (int step = 0; step < 3000; ++step) {
      const WallNanos now = at_ms(step);
      const int what = static_cast<int>(rng() % 10);
      if (step % 500 == 0) {
        kalshi_snapshot(x, {{40, 100}, {39, 50}}, {{55, 100}, {54, 50}}, now);
      } else if (what < 4) {
        MarketEvent d = event(EventType::level_delta, kalshi_, Venue::kalshi);
        d.outcome = rng() % 2 == 0 ? Outcome::yes : Outcome::no;
        d.price = cents(static_cast<int>(35 + rng() % 25));
        d.qty = Qty::contracts(static_cast<int64_t>(rng() % 20));
        x.on_market_event(d, now);
      } else if (what < 6) {
        MarketEvent t = event(EventType::trade, kalshi_, Venue::kalshi);
        t.price = cents(static_cast<int>(38 + rng() % 10));
        t.qty = Qty::contracts(static_cast<int64_t>(1 + rng() % 30));
        x.on_market_event(t, now);
      } else if (what < 9) {
        const TimeInForce tif = static_cast<TimeInForce>(rng() % 3);
        x.submit(intent(next_id++, rng() % 2 ? Side::buy : Side::sell, rng() % 2 ? Outcome::yes : Outcome::no,
                        static_cast<int>(35 + rng() % 30), static_cast<int>(1 + rng() % 40), tif),
                 now);
      } else if (next_id > 1) {
        x.cancel(1 + rng() % (next_id - 1), now);
      }
      x.advance(now, [&](const ExecReport& r) { all.push_back(r); });
    }
    for (uint64_t id = 1; id < next_id; ++id)
      x.cancel(id, at_ms(3000));
    x.advance(at_ms(10'000), [&](const ExecReport& r) { all.push_back(r); });
    EXPECT_EQ(x.open_orders(), 0u);
    return std::make_pair(all, next_id);
  };
  const auto [reports, next_id] = run(11);
  std::map<uint64_t, int> terminal;
  std::map<uint64_t, Qty> filled;
  for (const ExecReport& r : reports) {
    if (is_terminal(r.type)) ++terminal[r.intent_id];
    filled[r.intent_id] = filled[r.intent_id] + r.fill_qty;
    if (r.fill_qty.units > 0) {
      EXPECT_EQ(filled[r.intent_id], r.cumulative_qty);
    }
  }
  int fills = 0;
  for (const ExecReport& r : reports)
    fills += r.fill_qty.units > 0;
  EXPECT_GT(fills, 100);  // the run exercises fills, not only rejects and cancels
  EXPECT_EQ(terminal.size(), next_id - 1);
  for (const auto& [id, n] : terminal)
    EXPECT_EQ(n, 1) << "intent " << id;
  EXPECT_EQ(run(11).first, reports);
  EXPECT_NE(run(12).first, reports);  // the seed matters (latency and slippage differ)
}

// Due work is ordered by time, not by order slot (slot 0 goes to the first order).
TEST_F(PaperExchangeTest, AnOrderDueEarlierIsProcessedFirstWhateverItsSlot) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 100}});
  x.submit(intent(1, Side::buy, Outcome::yes, 40, 5), at_ms(5));  // arrives at 15 ms
  x.submit(intent(2, Side::buy, Outcome::yes, 40, 5), at_ms(0));  // arrives at 10 ms
  const auto r = drain(x, at_ms(20));
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].intent_id, 2u);
  EXPECT_EQ(r[1].intent_id, 2u);
  EXPECT_EQ(r[1].ts, at_ms(10));
  EXPECT_EQ(r[2].intent_id, 1u);
  EXPECT_EQ(r[3].ts, at_ms(15));
}

TEST_F(PaperExchangeTest, ACancelSentWhileInFlightTakesEffectOnceTheOrderRests) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 10}});
  x.submit(intent(1, Side::buy, Outcome::yes, 30, 5, TimeInForce::gtc), at_ms(0));  // rests at 10 ms
  ASSERT_TRUE(x.cancel(1, at_ms(5)));                                               // due at 15 ms
  auto r = drain(x, at_ms(14));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::accepted);
  r = drain(x, at_ms(15));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::cancelled);
  EXPECT_EQ(x.open_orders(), 0u);
  EXPECT_FALSE(x.cancel(1, at_ms(16)));
}

TEST_F(PaperExchangeTest, AFilledRestingOrderIsNotCancelledLater) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 10}});
  x.submit(intent(1, Side::buy, Outcome::yes, 30, 5, TimeInForce::gtc), at_ms(0));
  drain(x, at_ms(10));                            // rests at YES 30
  ASSERT_TRUE(x.cancel(1, at_ms(10)));            // due at 20 ms
  kalshi_snapshot(x, {}, {{71, 10}}, at_ms(12));  // YES ask 29: through our price
  auto r = drain(x, at_ms(12));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].type, ExecType::fill);
  EXPECT_TRUE(drain(x, at_ms(30)).empty());
  EXPECT_EQ(x.open_orders(), 0u);
}

TEST_F(PaperExchangeTest, NothingIsDueWhenNoOrderIsPending) {
  PaperExchange x(universe_, no_noise());
  EXPECT_FALSE(x.next_due().has_value());
}

TEST_F(PaperExchangeTest, NextDueIsTheEarliestArrivalOfAnOrderInFlight) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 100}});
  x.submit(intent(1, Side::buy, Outcome::yes, 40, 5), at_ms(5));  // arrives at 15 ms
  x.submit(intent(2, Side::buy, Outcome::yes, 40, 5), at_ms(3));  // arrives at 13 ms
  EXPECT_EQ(x.next_due(), at_ms(13));
  drain(x, at_ms(13));
  EXPECT_EQ(x.next_due(), at_ms(15));
  drain(x, at_ms(15));
  EXPECT_FALSE(x.next_due().has_value());
}

TEST_F(PaperExchangeTest, RestingOrderIsDueOnlyOnceACancelWaits) {
  PaperExchange x(universe_, no_noise());
  kalshi_snapshot(x, {}, {{60, 10}});
  x.submit(intent(1, Side::buy, Outcome::yes, 30, 5, TimeInForce::gtc), at_ms(0));
  drain(x, at_ms(10));  // rests: no timed work of its own
  EXPECT_FALSE(x.next_due().has_value());
  x.cancel(1, at_ms(40));
  EXPECT_EQ(x.next_due(), at_ms(50));
}

TEST_F(PaperExchangeTest, ReportNotHandedOutYetIsDueAtItsOwnTime) {
  PaperExchangeOptions o = no_noise();
  o.max_open_orders = 1;
  PaperExchange x(universe_, o);
  x.submit(intent(1, Side::buy, Outcome::yes, 50, 1), at_ms(0));  // due at 10 ms
  x.submit(intent(2, Side::buy, Outcome::yes, 50, 1), at_ms(2));  // no slot: rejected at 2 ms
  EXPECT_EQ(x.next_due(), at_ms(2));
}

TEST_F(PaperExchangeTest, AdvancingToNextDueStampsTheFillAtTheModelledLatency) {
  PaperExchangeOptions o = no_noise();
  o.latency_min_ns = o.latency_max_ns = 7'345'678;
  PaperExchange x(universe_, o);
  kalshi_snapshot(x, {}, {{60, 10}});
  x.submit(intent(1, Side::buy, Outcome::yes, 45, 5), at_ms(1));
  const std::optional<WallNanos> due = x.next_due();
  ASSERT_TRUE(due.has_value());
  const auto r = drain(x, *due);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].type, ExecType::fill);
  EXPECT_EQ(r[1].ts.ns, at_ms(1).ns + 7'345'678);
}

}  // namespace
}  // namespace pmx
