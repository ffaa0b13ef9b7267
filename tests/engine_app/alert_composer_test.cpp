#include "pmx/engine/app/alert_composer.h"

#include <gtest/gtest.h>

namespace pmx::app {
namespace {

InstrumentNamer namer() {
  return [](InstrumentId id) {
    return id.value == 0 ? InstrumentName{Venue::kalshi, "KXFOO-26"} : InstrumentName{};
  };
}

OrderIntent intent(uint64_t id) {
  OrderIntent i;
  i.intent_id = id;
  i.instrument = InstrumentId{0};
  i.strategy = StrategyKind::grinding;
  i.expected_value = Money::from_micros(310'000);
  return i;
}

ExecReport fill(uint64_t id) {
  ExecReport r;
  r.intent_id = id;
  r.instrument = InstrumentId{0};
  r.type = ExecType::fill;
  r.fill_price = Price::from_ticks(4200);
  r.fill_qty = Qty::contracts(10);
  r.cumulative_qty = r.fill_qty;
  return r;
}

TEST(AlertComposer, AFillBecomesAPaperTradeAlertWithTheOrdersStrategyAndEv) {
  AlertComposer composer({}, TradingMode::paper, namer());
  EXPECT_FALSE(composer.compose(OpsEvent::of(OrderSubmittedRecord{intent(7), {}, {}})));
  const auto text = composer.compose(OpsEvent::of(fill(7)));
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("[PAPER]"), std::string::npos) << *text;
  EXPECT_NE(text->find("KXFOO-26"), std::string::npos) << *text;
  EXPECT_NE(text->find("grinding"), std::string::npos) << *text;
  EXPECT_NE(text->find("0.31"), std::string::npos) << *text;
}

TEST(AlertComposer, TradeAlertsFollowTheirSwitch) {
  AlertsConfig alerts;
  alerts.on_trade = false;
  AlertComposer composer(alerts, TradingMode::paper, namer());
  EXPECT_FALSE(composer.compose(OpsEvent::of(fill(7))));
}

TEST(AlertComposer, AnAcceptanceRaisesNoAlert) {
  AlertComposer composer({}, TradingMode::paper, namer());
  ExecReport r = fill(7);
  r.type = ExecType::accepted;
  EXPECT_FALSE(composer.compose(OpsEvent::of(r)));
}

TEST(AlertComposer, ACriticalAlertRecordIsAlwaysSent) {
  AlertsConfig alerts;
  alerts.on_circuit_breaker = false;
  alerts.on_error = false;
  AlertComposer composer(alerts, TradingMode::paper, namer());
  AlertRecord alert;
  alert.severity = AlertSeverity::critical;
  copy_text(alert.title, "Kill switch");
  copy_text(alert.text, "trading halted by pmx-ctl");
  const auto text = composer.compose(OpsEvent::of(alert));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "🚨 Kill switch: trading halted by pmx-ctl");
}

TEST(AlertComposer, TheSystemStateRowRaisesNoSecondAlert) {
  AlertComposer composer({}, TradingMode::paper, namer());
  SystemStateRecord halt;
  halt.halted = true;
  EXPECT_FALSE(composer.compose(OpsEvent::of(halt)));
}

TEST(AlertComposer, AClosedPositionIsAlerted) {
  AlertComposer composer({}, TradingMode::paper, namer());
  PositionRecord closed;
  closed.instrument = InstrumentId{0};
  closed.average_price = Price::from_ticks(4200);
  closed.mark_price = Price::from_ticks(9900);
  closed.realized_pnl = Money::dollars(5);
  const auto text = composer.compose(OpsEvent::of(closed));
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("CLOSED"), std::string::npos) << *text;
}

TEST(AlertComposer, AnOpenPositionUpdateIsNotAlerted) {
  AlertComposer composer({}, TradingMode::paper, namer());
  PositionRecord open;
  open.instrument = InstrumentId{0};
  open.qty = Qty::contracts(1);
  EXPECT_FALSE(composer.compose(OpsEvent::of(open)));
}

TEST(AlertComposer, OnlyOpportunitiesActedOnAreAlerted) {
  AlertComposer composer({}, TradingMode::paper, namer());
  OpportunityRecord o;
  o.strategy = StrategyKind::bundle_arb;
  o.leg_count = 1;
  o.instruments[0] = InstrumentId{0};
  EXPECT_FALSE(composer.compose(OpsEvent::of(o)));
  o.acted = 1;
  const auto text = composer.compose(OpsEvent::of(o));
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("bundle_arb"), std::string::npos) << *text;
}

TEST(AlertComposer, AnUnknownInstrumentIsNamedByItsId) {
  AlertComposer composer({}, TradingMode::live, namer());
  ExecReport r = fill(9);
  r.instrument = InstrumentId{5};
  const auto text = composer.compose(OpsEvent::of(r));
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("#5"), std::string::npos) << *text;
  EXPECT_EQ(text->find("[PAPER]"), std::string::npos) << *text;
}

}  // namespace
}  // namespace pmx::app
