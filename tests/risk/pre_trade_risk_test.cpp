// Pre-trade risk: every check refuses exactly past its limit, in the documented order, and every
// refusal is counted by reason. Default limits on $10,000: order $500, open exposure 50 %
// ($5,000), position 10 % ($1,000), group 25 % ($2,500), 20 positions, 60 s cooldown, 60 orders
// per minute.
#include "pmx/risk/pre_trade_risk.h"

#include <memory>

#include <gtest/gtest.h>

#include "risk_test_util.h"

namespace pmx {
namespace {

using test::cents;
using test::kalshi_market;
using test::kNoon;
using test::kSecond;
using test::polymarket_token;
using test::usd;

constexpr InstrumentId kNatoA{0};  // Kalshi, event NATO, 1¢ tick
constexpr InstrumentId kNatoB{1};  // Kalshi, event NATO
constexpr InstrumentId kFed{2};    // Kalshi, event FED
constexpr InstrumentId kEdges{3};  // Kalshi, 0.1¢ below 10¢ and above 90¢, 1¢ between
constexpr InstrumentId kPolyYes{4};
constexpr InstrumentId kPolyNo{5};  // complement of kPolyYes
constexpr InstrumentId kWeather{6};
constexpr InstrumentId kSports{7};

class PreTradeRiskTest : public ::testing::Test {
 protected:
  PreTradeRiskTest() {
    universe.add_market(kalshi_market("NATO-A", "NATO"));
    universe.add_market(kalshi_market("NATO-B", "NATO"));
    universe.add_market(kalshi_market("FED-25", "FED"));
    MarketInfo edges = kalshi_market("BTC-EDGE", "BTC");
    edges.tick = Price{10};
    edges.tick_bands = {{Price{0}, Price{1000}, Price{10}},
                        {Price{1000}, Price{9000}, Price{100}},
                        {Price{9000}, Price{10'000}, Price{10}}};
    universe.add_market(edges);
    universe.add_market(polymarket_token("111", "poly-event"));
    MarketInfo no_token = polymarket_token("222", "poly-event");
    no_token.complement = kPolyYes;
    universe.add_market(no_token);
    universe.mutable_market(kPolyYes)->complement = kPolyNo;
    universe.add_market(kalshi_market("WX", "WX"));
    universe.add_market(kalshi_market("SPORT", "SP"));
  }

  // Builds the risk objects from `config` (tests change it first).
  PreTradeRisk& build(PreTradeOptions options = {}) {
    portfolio = std::make_unique<Portfolio>(universe.size(), config.starting_capital, kNoon);
    groups = std::make_unique<CorrelationGroups>(universe);
    breakers = std::make_unique<CircuitBreakers>(config, universe.size());
    breakers->on_connected(Venue::kalshi, kNoon);
    breakers->on_connected(Venue::polymarket, kNoon);
    risk = std::make_unique<PreTradeRisk>(config, universe, *portfolio, *groups, *breakers, options);
    return *risk;
  }

  // `seconds` after noon, with both feeds fresh at that moment.
  WallNanos at(int64_t seconds, int64_t extra_nanos = 0) {
    const WallNanos t{kNoon.ns + seconds * kSecond + extra_nanos};
    breakers->on_feed_message(Venue::kalshi, t);
    breakers->on_feed_message(Venue::polymarket, t);
    return t;
  }

  OrderIntent intent(InstrumentId instrument, Side side, Outcome outcome, Price price, Qty qty,
                     Money expected_value = usd(1)) {
    OrderIntent i;
    i.intent_id = ++next_intent_id;
    i.instrument = instrument;
    const MarketInfo* market = universe.market(instrument);
    i.venue = market != nullptr ? market->venue : Venue::kalshi;
    i.side = side;
    i.outcome = outcome;
    i.limit_price = price;
    i.decision_price = price;
    i.qty = qty;
    i.expected_value = expected_value;
    return i;
  }
  OrderIntent buy(InstrumentId instrument, Price price, Qty qty) {
    return intent(instrument, Side::buy, Outcome::yes, price, qty);
  }

  // A fill of the whole intent at its limit, fed through risk.
  void fill(const OrderIntent& i, WallNanos now) {
    ExecReport r = test::fill(i.instrument, i.side, i.outcome, i.limit_price, i.qty, Money{}, ExecType::fill,
                              i.intent_id);
    r.venue = i.venue;
    risk->on_exec_report(r, now);
  }
  void report(const OrderIntent& i, ExecType type, WallNanos now, RejectReason reason = RejectReason::none) {
    ExecReport r;
    r.intent_id = i.intent_id;
    r.instrument = i.instrument;
    r.venue = i.venue;
    r.side = i.side;
    r.outcome = i.outcome;
    r.type = type;
    r.reason = reason;
    risk->on_exec_report(r, now);
  }

  RiskRefusal check(const OrderIntent& i, WallNanos now) { return risk->check(i, now).refusal; }

  MarketUniverse universe;
  RiskConfig config;
  std::unique_ptr<Portfolio> portfolio;
  std::unique_ptr<CorrelationGroups> groups;
  std::unique_ptr<CircuitBreakers> breakers;
  std::unique_ptr<PreTradeRisk> risk;
  uint64_t next_intent_id = 0;
};

TEST_F(PreTradeRiskTest, AcceptsASaneIntentAndRecordsItAsResting) {
  build();
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(10)), kNoon).accepted());
  EXPECT_EQ(risk->accepted(), 1U);
  EXPECT_EQ(risk->open_orders().size(), 1U);
  EXPECT_EQ(risk->pending_exposure(), usd(5));
}

TEST_F(PreTradeRiskTest, TheKillSwitchBlocksEveryIntentIncludingReduceOnlyExits) {
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  risk->set_kill_switch(true);
  OrderIntent exit = intent(kNatoA, Side::sell, Outcome::yes, cents(40), Qty::contracts(10), Money{});
  exit.flags = kIntentReduceOnly;
  exit.strategy = StrategyKind::exit;
  EXPECT_EQ(check(exit, at(120)), RiskRefusal::kill_switch);
  EXPECT_EQ(check(buy(kFed, cents(50), Qty::contracts(1)), at(120)), RiskRefusal::kill_switch);
  EXPECT_EQ(check(intent(kPolyYes, Side::sell, Outcome::yes, cents(10), Qty::contracts(1)), at(120)),
            RiskRefusal::kill_switch);
  EXPECT_EQ(risk->refusals(RiskRefusal::kill_switch), 3U);
  risk->set_kill_switch(false);
  EXPECT_TRUE(risk->check(exit, at(120)).accepted());
}

TEST_F(PreTradeRiskTest, RefusesIntentsThatNameNoKnownInstrumentOfThatVenue) {
  build();
  EXPECT_EQ(check(buy(InstrumentId{42}, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::invalid_intent);
  OrderIntent wrong_venue = buy(kNatoA, cents(50), Qty::contracts(1));
  wrong_venue.venue = Venue::polymarket;
  EXPECT_EQ(check(wrong_venue, kNoon), RiskRefusal::invalid_intent);
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty{}), kNoon), RiskRefusal::invalid_intent);
  EXPECT_EQ(risk->refusals(RiskRefusal::invalid_intent), 3U);
}

TEST_F(PreTradeRiskTest, RefusesAnIntentIdAlreadyResting) {
  build();
  const OrderIntent i = buy(kNatoA, cents(50), Qty::contracts(1));
  ASSERT_TRUE(risk->check(i, kNoon).accepted());
  EXPECT_EQ(check(i, at(120)), RiskRefusal::invalid_intent);
}

TEST_F(PreTradeRiskTest, RefusesAReduceOnlyIntentThatWouldOpenAPosition) {
  build();
  OrderIntent i = intent(kNatoA, Side::sell, Outcome::yes, cents(50), Qty::contracts(1));
  i.flags = kIntentReduceOnly;
  EXPECT_EQ(check(i, kNoon), RiskRefusal::reduce_only_increases);
}

TEST_F(PreTradeRiskTest, RefusesAReduceOnlyIntentLargerThanThePosition) {
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  OrderIntent i = intent(kNatoA, Side::sell, Outcome::yes, cents(50), Qty::contracts(11));
  i.flags = kIntentReduceOnly;
  EXPECT_EQ(check(i, at(120)), RiskRefusal::reduce_only_increases);
}

TEST_F(PreTradeRiskTest, ATrippedBreakerRefusesWithItsOwnReason) {
  build();
  breakers->on_sequence_gap(kFed, kNoon);
  EXPECT_EQ(check(buy(kFed, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::breaker_sequence_gap);
  breakers->on_disconnected(Venue::polymarket, kNoon);
  EXPECT_EQ(check(buy(kPolyYes, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::breaker_disconnected);
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, AStaleFeedRefusesAtExactlyStaleFeedMs) {
  build();
  EXPECT_EQ(check(buy(kFed, cents(50), Qty::contracts(1)), WallNanos{kNoon.ns + 5 * kSecond}),
            RiskRefusal::breaker_stale_feed);
}

TEST_F(PreTradeRiskTest, TheDrawdownBreakerTripsFromThePortfolioAtExactlyItsThreshold) {
  config.daily_loss_limit_pct = 50;  // out of the way
  config.max_order_notional = Money::dollars(10'000);
  config.max_position_pct = 100;
  config.max_total_exposure_pct = 100;
  config.max_correlated_exposure_pct = 100;
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(8'000));  // $4,000
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  portfolio->mark(kNatoA, MarkKind::mid, Price{2501}, kNoon);  // loss $1,999.20: 19.992 %
  EXPECT_EQ(check(buy(kFed, cents(50), Qty::contracts(1)), at(1)), RiskRefusal::none);
  portfolio->mark(kNatoA, MarkKind::mid, Price{2500}, kNoon);  // loss $2,000: 20 %
  EXPECT_EQ(check(buy(kWeather, cents(50), Qty::contracts(1)), at(2)), RiskRefusal::breaker_drawdown);
}

TEST_F(PreTradeRiskTest, AReduceOnlyExitPassesTheDrawdownBreaker) {
  config.max_order_notional = Money::dollars(10'000);
  config.max_position_pct = 100;
  config.max_total_exposure_pct = 100;
  config.max_correlated_exposure_pct = 100;
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(8'000));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  portfolio->mark(kNatoA, MarkKind::mid, Price{2500}, kNoon);
  OrderIntent exit = intent(kNatoA, Side::sell, Outcome::yes, cents(25), Qty::contracts(8'000), usd(-5));
  exit.flags = kIntentReduceOnly;
  EXPECT_TRUE(risk->check(exit, at(1)).accepted());
}

TEST_F(PreTradeRiskTest, LosingRoundTripsReportedByTheGatewayTripTheLossStreak) {
  config.trade_cooldown_s = 0;
  build();
  for (int i = 0; i < 3; ++i) {
    const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(1));
    ASSERT_TRUE(risk->check(entry, at(i)).accepted());
    fill(entry, at(i));
    const OrderIntent exit = intent(kNatoA, Side::sell, Outcome::yes, cents(40), Qty::contracts(1));
    ASSERT_TRUE(risk->check(exit, at(i)).accepted());
    fill(exit, at(i));
  }
  EXPECT_EQ(check(buy(kFed, cents(50), Qty::contracts(1)), at(10)), RiskRefusal::breaker_loss_streak);
}

TEST_F(PreTradeRiskTest, TheTradeCooldownRefusesUntilExactlyTradeCooldownSeconds) {
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon).accepted());
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty::contracts(1)), at(59, 999'999'999)),
            RiskRefusal::trade_cooldown);
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), at(60)).accepted());
}

TEST_F(PreTradeRiskTest, TheCooldownIsPerMarket) {
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon).accepted());
  EXPECT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, AReduceOnlyExitIsNotHeldByTheCooldown) {
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  OrderIntent exit = intent(kNatoA, Side::sell, Outcome::yes, cents(45), Qty::contracts(10));
  exit.flags = kIntentReduceOnly;
  EXPECT_TRUE(risk->check(exit, at(1)).accepted());
}

TEST_F(PreTradeRiskTest, AnOrderOfExactlyTheNotionalCapIsAccepted) {
  build();
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1'000)), kNoon).accepted());  // $500
}

TEST_F(PreTradeRiskTest, AnOrderOneMicroDollarOverTheNotionalCapIsRefused) {
  build();
  // 1,000.0001 contracts at $0.50 = $500.00005: truncated to 500.000050 micro-dollars > $500.
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty{1'000'000'100}), kNoon), RiskRefusal::order_notional);
}

class CapTest : public PreTradeRiskTest {
 protected:
  CapTest() {
    config.max_order_notional = Money::dollars(100'000);
    config.max_position_pct = 100;
    config.max_total_exposure_pct = 100;
    config.max_correlated_exposure_pct = 100;
  }
};

TEST_F(CapTest, OpenExposureUpToExactlyTheCapIsAccepted) {
  config.max_total_exposure_pct = 50;
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(6'000)), kNoon).accepted());  // $3,000
  EXPECT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(4'000)), kNoon).accepted());    // $5,000
}

TEST_F(CapTest, OpenExposureOneMicroDollarOverTheCapIsRefused) {
  config.max_total_exposure_pct = 50;
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(6'000)), kNoon).accepted());
  EXPECT_EQ(check(buy(kFed, Price{1}, Qty::contracts(20'000'001)), kNoon), RiskRefusal::total_exposure);
}

TEST_F(CapTest, APositionOfExactlyThePositionCapIsAcceptedAndOneMicroDollarMoreIsNot) {
  config.max_position_pct = 10;
  build();
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty{2'000'000'002}), kNoon),
            RiskRefusal::position_size);                                                      // $1,000.000001
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(2'000)), kNoon).accepted());  // $1,000
}

TEST_F(CapTest, ThePositionCapCountsFilledAndPendingQuantity) {
  config.max_position_pct = 10;
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent first = buy(kNatoA, cents(50), Qty::contracts(1'000));
  ASSERT_TRUE(risk->check(first, kNoon).accepted());
  fill(first, kNoon);
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(600)), kNoon).accepted());  // pending $300
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty::contracts(401)), kNoon), RiskRefusal::position_size);
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(400)), kNoon).accepted());
}

TEST_F(CapTest, TheCorrelationGroupCapSumsTheEventsMarketsIncludingPendingOrders) {
  config.max_correlated_exposure_pct = 25;
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(4'000)), kNoon).accepted());  // $2,000
  EXPECT_EQ(check(buy(kNatoB, cents(50), Qty{1'000'000'002}), kNoon), RiskRefusal::correlated_exposure);
  EXPECT_TRUE(risk->check(buy(kNatoB, cents(50), Qty::contracts(1'000)), kNoon).accepted());  // $2,500
  EXPECT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1'000)), kNoon).accepted());    // other group
}

TEST_F(CapTest, ACancelledOrderReleasesItsPendingExposure) {
  config.max_position_pct = 10;
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent first = buy(kNatoA, cents(50), Qty::contracts(2'000));
  ASSERT_TRUE(risk->check(first, kNoon).accepted());
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::position_size);
  report(first, ExecType::cancelled, kNoon);
  EXPECT_EQ(risk->pending_exposure(), Money{});
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(2'000)), kNoon).accepted());
}

TEST_F(CapTest, APartialFillMovesExposureFromPendingToThePortfolio) {
  build();
  const OrderIntent order = buy(kNatoA, cents(50), Qty::contracts(100));
  ASSERT_TRUE(risk->check(order, kNoon).accepted());
  ExecReport partial = test::fill(kNatoA, Side::buy, Outcome::yes, cents(50), Qty::contracts(30), Money{},
                                  ExecType::partial_fill, order.intent_id);
  risk->on_exec_report(partial, kNoon);
  EXPECT_EQ(risk->pending_exposure(), usd(35));
  EXPECT_EQ(portfolio->open_exposure(), usd(15));
  EXPECT_EQ(groups->exposure(groups->group_of(kNatoA)), usd(15));
}

TEST_F(CapTest, CapsShrinkWithEquity) {
  config.max_position_pct = 10;
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent first = buy(kNatoA, cents(50), Qty::contracts(2'000));
  ASSERT_TRUE(risk->check(first, kNoon).accepted());
  fill(first, kNoon);
  portfolio->mark(kNatoA, MarkKind::mid, cents(40), kNoon);  // equity $9,800: position cap $980
  EXPECT_EQ(check(buy(kFed, cents(50), Qty{1'960'000'002}), kNoon), RiskRefusal::position_size);
  EXPECT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1'960)), kNoon).accepted());
}

TEST_F(CapTest, AnIntentThatReducesExposurePassesTheCapsWhenOverThem) {
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(4'000));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  config.max_position_pct = 5;  // now over the cap
  risk->set_config(config);
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::position_size);
  EXPECT_TRUE(risk->check(intent(kNatoA, Side::sell, Outcome::yes, cents(50), Qty::contracts(100)), kNoon)
                  .accepted());
}

TEST_F(PreTradeRiskTest, TheConcurrentPositionCapRefusesTheNextNewPosition) {
  config.max_concurrent_positions = 2;
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent a = buy(kNatoA, cents(50), Qty::contracts(1));
  ASSERT_TRUE(risk->check(a, kNoon).accepted());
  fill(a, kNoon);
  ASSERT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1)), kNoon).accepted());  // pending: occupies
  EXPECT_EQ(check(buy(kWeather, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::concurrent_positions);
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon).accepted());  // adds to one
  EXPECT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1)), kNoon).accepted());    // adds to pending
}

TEST_F(PreTradeRiskTest, ClosingAPositionFreesAConcurrentPositionSlot) {
  config.max_concurrent_positions = 1;
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent a = buy(kNatoA, cents(50), Qty::contracts(1));
  ASSERT_TRUE(risk->check(a, kNoon).accepted());
  fill(a, kNoon);
  EXPECT_EQ(check(buy(kFed, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::concurrent_positions);
  risk->on_settlement(kNatoA, Outcome::yes, kNoon);
  EXPECT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, TheOrderRateCapAllowsExactlyMaxOrdersInAnySixtySeconds) {
  config.max_orders_per_minute = 3;
  config.trade_cooldown_s = 0;
  build();
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon).accepted());
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty::contracts(1)), at(59, 999'999'999)), RiskRefusal::order_rate);
  // At 60 s the first three are out of the window (it holds ages below 60 s): three more fit.
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), at(60)).accepted());
  EXPECT_EQ(check(buy(kNatoA, cents(50), Qty::contracts(1)), at(60)), RiskRefusal::order_rate);
  EXPECT_EQ(risk->refusals(RiskRefusal::order_rate), 2U);
}

TEST_F(PreTradeRiskTest, PricesOutsideZeroToOneDollarAreRefused) {
  config.trade_cooldown_s = 0;
  build();
  EXPECT_EQ(check(buy(kNatoA, Price{0}, Qty::contracts(1)), kNoon), RiskRefusal::price_sanity);
  EXPECT_EQ(check(buy(kNatoA, Price{-100}, Qty::contracts(1)), kNoon), RiskRefusal::price_sanity);
  EXPECT_EQ(check(buy(kNatoA, Price::one_dollar(), Qty::contracts(1)), kNoon), RiskRefusal::price_sanity);
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(99), Qty::contracts(1)), kNoon).accepted());
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(1), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, APriceOffTheMarketsTickIsRefused) {
  build();
  EXPECT_EQ(check(buy(kNatoA, Price{4050}, Qty::contracts(1)), kNoon), RiskRefusal::price_sanity);
}

TEST_F(PreTradeRiskTest, TickBandsAllowFinerPricesOnlyInTheirBand) {
  config.trade_cooldown_s = 0;
  build();
  EXPECT_TRUE(risk->check(buy(kEdges, Price{950}, Qty::contracts(1)), kNoon).accepted());  // 9.5¢
  EXPECT_EQ(check(buy(kEdges, Price{5050}, Qty::contracts(1)), kNoon), RiskRefusal::price_sanity);
  EXPECT_TRUE(risk->check(buy(kEdges, Price{5000}, Qty::contracts(1)), kNoon).accepted());
  // A NO at 4.5¢ is a YES at 95.5¢: in the fine top band.
  EXPECT_TRUE(
      risk->check(intent(kEdges, Side::buy, Outcome::no, Price{450}, Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, ATickSizeChangeMovesTheGrid) {
  config.trade_cooldown_s = 0;
  build();
  EXPECT_EQ(check(buy(kPolyYes, Price{5010}, Qty::contracts(1)), kNoon), RiskRefusal::price_sanity);
  risk->set_tick(kPolyYes, Price{10});
  EXPECT_TRUE(risk->check(buy(kPolyYes, Price{5010}, Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, AnIntentWhoseExpectedValueAfterFeesIsNotPositiveIsRefused) {
  config.trade_cooldown_s = 0;
  build();
  EXPECT_EQ(check(intent(kNatoA, Side::buy, Outcome::yes, cents(50), Qty::contracts(1), Money{}), kNoon),
            RiskRefusal::fee_inversion);
  EXPECT_EQ(check(intent(kNatoA, Side::buy, Outcome::yes, cents(50), Qty::contracts(1), usd(-0.01)), kNoon),
            RiskRefusal::fee_inversion);
  EXPECT_TRUE(
      risk->check(intent(kNatoA, Side::buy, Outcome::yes, cents(50), Qty::contracts(1), Money{1}), kNoon)
          .accepted());
}

TEST_F(PreTradeRiskTest, AReduceOnlyExitNeedsNoPositiveExpectedValue) {
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  OrderIntent exit = intent(kNatoA, Side::sell, Outcome::yes, cents(45), Qty::contracts(10), usd(-0.50));
  exit.flags = kIntentReduceOnly;
  EXPECT_TRUE(risk->check(exit, kNoon).accepted());
}

TEST_F(PreTradeRiskTest, ABuyAtOrAboveOurOwnRestingSellIsRefused) {
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  ASSERT_TRUE(
      risk->check(intent(kNatoA, Side::sell, Outcome::yes, cents(60), Qty::contracts(10)), kNoon).accepted());
  EXPECT_EQ(check(buy(kNatoA, cents(60), Qty::contracts(1)), kNoon), RiskRefusal::self_trade);
  EXPECT_EQ(check(buy(kNatoA, cents(61), Qty::contracts(1)), kNoon), RiskRefusal::self_trade);
  EXPECT_TRUE(risk->check(buy(kNatoA, cents(59), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, ASellAtOrBelowOurOwnRestingBuyIsRefused) {
  config.trade_cooldown_s = 0;
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(10)), kNoon).accepted());
  EXPECT_EQ(check(intent(kNatoA, Side::sell, Outcome::yes, cents(50), Qty::contracts(1)), kNoon),
            RiskRefusal::self_trade);
}

TEST_F(PreTradeRiskTest, AKalshiNoBuyCrossingOurYesBuyIsASelfTrade) {
  config.trade_cooldown_s = 0;
  build();
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(60), Qty::contracts(10)), kNoon).accepted());
  // NO at 40¢ is a YES sell at 60¢: it would match our YES bid.
  EXPECT_EQ(check(intent(kNatoA, Side::buy, Outcome::no, cents(40), Qty::contracts(1)), kNoon),
            RiskRefusal::self_trade);
  EXPECT_TRUE(
      risk->check(intent(kNatoA, Side::buy, Outcome::no, cents(39), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, BuyingBothPolymarketTokensAboveOneDollarIsASelfTrade) {
  config.trade_cooldown_s = 0;
  build();
  ASSERT_TRUE(risk->check(buy(kPolyYes, cents(60), Qty::contracts(10)), kNoon).accepted());
  EXPECT_EQ(check(buy(kPolyNo, cents(40), Qty::contracts(1)), kNoon), RiskRefusal::self_trade);
  EXPECT_TRUE(risk->check(buy(kPolyNo, cents(39), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, ATerminalReportEndsTheSelfTradeGuard) {
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent resting = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(resting, kNoon).accepted());
  report(resting, ExecType::accepted, kNoon);
  report(resting, ExecType::cancelled, kNoon);
  EXPECT_EQ(risk->open_orders().size(), 0U);
  EXPECT_TRUE(
      risk->check(intent(kNatoA, Side::sell, Outcome::yes, cents(50), Qty::contracts(1)), kNoon).accepted());
}

TEST_F(PreTradeRiskTest, AFullOpenOrderTableRefusesNewOrders) {
  config.trade_cooldown_s = 0;
  build(PreTradeOptions{2});
  ASSERT_TRUE(risk->check(buy(kNatoA, cents(50), Qty::contracts(1)), kNoon).accepted());
  ASSERT_TRUE(risk->check(buy(kFed, cents(50), Qty::contracts(1)), kNoon).accepted());
  EXPECT_EQ(check(buy(kWeather, cents(50), Qty::contracts(1)), kNoon), RiskRefusal::open_orders_full);
}

TEST_F(PreTradeRiskTest, VenueRejectionsCountAsApiErrorsAndOurOwnRejectionsDoNot) {
  config.trade_cooldown_s = 0;
  build();
  const OrderIntent a = buy(kNatoA, cents(50), Qty::contracts(1));
  const OrderIntent b = buy(kFed, cents(50), Qty::contracts(1));
  const OrderIntent c = buy(kWeather, cents(50), Qty::contracts(1));
  ASSERT_TRUE(risk->check(a, kNoon).accepted());
  ASSERT_TRUE(risk->check(b, kNoon).accepted());
  ASSERT_TRUE(risk->check(c, kNoon).accepted());
  report(a, ExecType::rejected, kNoon, RejectReason::venue);
  report(b, ExecType::rejected, kNoon, RejectReason::slippage);
  report(c, ExecType::accepted, kNoon);
  EXPECT_EQ(breakers->api_requests_in_window(Venue::kalshi), 2);
  EXPECT_EQ(breakers->api_errors_in_window(Venue::kalshi), 1);
}

TEST_F(PreTradeRiskTest, ChecksRunInTheDocumentedOrder) {
  build();
  // Over the notional cap, off tick and with no edge: the notional cap is checked first.
  OrderIntent i = intent(kNatoA, Side::buy, Outcome::yes, Price{5050}, Qty::contracts(2'000), Money{});
  EXPECT_EQ(check(i, kNoon), RiskRefusal::order_notional);
  i.qty = Qty::contracts(1);
  EXPECT_EQ(check(i, kNoon), RiskRefusal::price_sanity);
  i.limit_price = cents(50);
  EXPECT_EQ(check(i, kNoon), RiskRefusal::fee_inversion);
}

TEST_F(PreTradeRiskTest, SettlementReleasesTheGroupsExposure) {
  build();
  const OrderIntent entry = buy(kNatoA, cents(50), Qty::contracts(10));
  ASSERT_TRUE(risk->check(entry, kNoon).accepted());
  fill(entry, kNoon);
  EXPECT_EQ(groups->exposure(groups->group_of(kNatoB)), usd(5));
  risk->on_settlement(kNatoA, Outcome::no, kNoon);
  EXPECT_EQ(groups->exposure(groups->group_of(kNatoB)), Money{});
  EXPECT_EQ(portfolio->realized_pnl(), usd(-5));
}

TEST(RiskRefusalNames, EveryRefusalHasAUniqueName) {
  for (int a = 0; a < kRiskRefusalCount; ++a) {
    EXPECT_FALSE(to_string(static_cast<RiskRefusal>(a)).empty());
    for (int b = a + 1; b < kRiskRefusalCount; ++b) {
      EXPECT_NE(to_string(static_cast<RiskRefusal>(a)), to_string(static_cast<RiskRefusal>(b)));
    }
  }
  EXPECT_EQ(to_string(RiskRefusal::self_trade), "self_trade");
  EXPECT_EQ(refusal_for(Breaker::sequence_gap), RiskRefusal::breaker_sequence_gap);
  EXPECT_EQ(refusal_for(Breaker::drawdown), RiskRefusal::breaker_drawdown);
}

}  // namespace
}  // namespace pmx
