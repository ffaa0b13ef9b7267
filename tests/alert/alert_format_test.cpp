#include "pmx/alert/alert_format.h"

#include <gtest/gtest.h>

namespace pmx {
namespace {

TEST(AlertFormat, TradeReadsLikeTheTradersLine) {
  TradeAlert a;
  a.qty = Qty::contracts(10);
  a.ticker = "KXFOO-26";
  a.price = Price::from_ticks(4200);
  a.strategy = StrategyKind::grinding;
  a.expected_value = Money::from_micros(310'000);
  EXPECT_EQ(format_trade(a), "🟢 BUY 10 YES KXFOO-26 @ $0.42 (grinding, EV $0.31)");
}

TEST(AlertFormat, PaperSellIsMarkedAndRed) {
  TradeAlert a;
  a.side = Side::sell;
  a.outcome = Outcome::no;
  a.qty = Qty::contracts(5);
  a.ticker = "KXBAR-26";
  a.price = Price::from_ticks(700);
  a.strategy = StrategyKind::exit;
  a.expected_value = Money::from_micros(-20'000);
  a.paper = true;
  EXPECT_EQ(format_trade(a), "[PAPER] 🔴 SELL 5 NO KXBAR-26 @ $0.07 (exit, EV -$0.02)");
}

TEST(AlertFormat, OpportunityListsEveryLeg) {
  const OpportunityLeg legs[] = {{"KXA", Outcome::yes, Price::from_ticks(3000)},
                                 {"KXB", Outcome::yes, Price::from_ticks(6500)}};
  OpportunityAlert a;
  a.strategy = StrategyKind::bundle_arb;
  a.legs = legs;
  a.size = Qty::contracts(10);
  a.expected_value = Money::from_micros(420'000);
  EXPECT_EQ(format_opportunity(a), "💡 bundle_arb: YES KXA @ $0.30 + YES KXB @ $0.65 | size 10 | EV $0.42");
}

TEST(AlertFormat, ClosedPositionShowsSignedPnlAndReason) {
  PositionClosedAlert a;
  a.ticker = "KXFOO-26";
  a.qty = Qty::contracts(10);
  a.entry_price = Price::from_ticks(4200);
  a.exit_price = Price::from_ticks(9900);
  a.pnl = Money::from_micros(5'700'000);
  a.reason = "expiry";
  EXPECT_EQ(format_position_closed(a), "✅ CLOSED 10 YES KXFOO-26 @ $0.99 (entry $0.42) P&L +$5.70 (expiry)");
  a.pnl = Money::from_micros(-1'000'000);
  EXPECT_TRUE(format_position_closed(a).starts_with("❌ CLOSED"));
}

TEST(AlertFormat, CircuitBreakerSaysTradingHalted) {
  EXPECT_EQ(format_circuit_breaker({"daily_loss_limit", "lost $520.00 today (limit $500.00)", true}),
            "🚨 CIRCUIT BREAKER daily_loss_limit: lost $520.00 today (limit $500.00). Trading halted.");
}

TEST(AlertFormat, ErrorNamesItsComponent) {
  EXPECT_EQ(format_error({"gateway/kalshi", "5 consecutive order timeouts"}),
            "⚠️ ERROR gateway/kalshi: 5 consecutive order timeouts");
}

TEST(AlertFormat, DailySummaryAddsRealizedAndUnrealized) {
  DailySummaryAlert a;
  a.date = "2026-11-24";
  a.equity = Money::dollars(10'050);
  a.realized_pnl = Money::dollars(40);
  a.unrealized_pnl = Money::dollars(10);
  a.fees = Money::from_micros(1'400'000);
  a.max_drawdown = Money::dollars(20);
  a.trades = 12;
  a.wins = 5;
  a.losses = 2;
  a.open_positions = 3;
  EXPECT_EQ(format_daily_summary(a),
            "📊 Daily summary 2026-11-24\n"
            "Equity $10,050.00 | P&L +$50.00 (realized +$40.00, unrealized +$10.00)\n"
            "Trades 12 | Wins 5 | Losses 2 | Fees $1.40 | Open positions 3 | Max drawdown $20.00");
}

TEST(AlertFormat, WebhookBodyEscapesTextAndDisablesMentions) {
  EXPECT_EQ(webhook_body("say \"hi\" @everyone\n🟢"),
            R"({"content":"say \"hi\" @everyone\n🟢","allowed_mentions":{"parse":[]}})");
}

TEST(AlertFormat, WebhookBodyKeepsContentAtTheLimitWhole) {
  const std::string exact(kDiscordContentLimit, 'x');
  EXPECT_EQ(webhook_body(exact), "{\"content\":\"" + exact + "\",\"allowed_mentions\":{\"parse\":[]}}");
}

TEST(AlertFormat, WebhookBodyCutsLongContentOnACharacterBoundary) {
  std::string long_text;
  for (int k = 0; k < 1500; ++k)
    long_text += "é🟢";  // 3000 characters, multi-byte
  const std::string body = webhook_body(long_text);
  const std::string prefix = "{\"content\":\"";
  const std::string content = body.substr(prefix.size(), body.find("\",\"allowed") - prefix.size());
  size_t characters = 0;
  for (char c : content)
    characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  EXPECT_EQ(characters, kDiscordContentLimit);
  EXPECT_TRUE(content.ends_with("…"));
  EXPECT_TRUE(content.starts_with("é🟢é🟢"));
}

}  // namespace
}  // namespace pmx
