// The alert messages, one formatter per kind, and the Discord webhook body that carries them.
//
//   trade             🟢 BUY 10 YES KXFOO-26 @ $0.42 (grinding, EV $0.31)
//                     🔴 SELL 5 NO KXBAR-26 @ $0.07 (exit, EV -$0.02)          ([PAPER] first in paper mode)
//   opportunity       💡 bundle_arb: YES KXA @ $0.30 + YES KXB @ $0.65 | size 10 | EV $0.42
//   position closed   ✅ CLOSED 10 YES KXFOO-26 @ $0.99 (entry $0.42) P&L +$5.70 (expiry)
//                     ❌ ... for a loss
//   circuit breaker   🚨 CIRCUIT BREAKER daily_loss_limit: lost $520.00 today (limit $500.00). Trading halted.
//   error             ⚠️ ERROR gateway/kalshi: 5 consecutive order timeouts
//   daily summary     📊 Daily summary 2026-11-24
//                     Equity $10,050.00 | P&L +$50.00 (realized +$40.00, unrealized +$10.00)
//                     Trades 12 | Wins 5 | Losses 2 | Fees $1.40 | Open positions 3 | Max drawdown $20.00
//
// Money and prices come from alert_text.h (exact). Text from outside (tickers, reasons) goes in
// as is; webhook_body() JSON-escapes it and disables @mentions so a hostile title cannot ping.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "pmx/core/order.h"
#include "pmx/core/types.h"

namespace pmx {

struct TradeAlert {
  Side side = Side::buy;
  Qty qty{};
  Outcome outcome = Outcome::yes;
  std::string_view ticker;
  Price price{};
  StrategyKind strategy = StrategyKind::manual;
  Money expected_value{};
  bool paper = false;
};

struct OpportunityLeg {
  std::string_view ticker;
  Outcome outcome = Outcome::yes;
  Price price{};
};

struct OpportunityAlert {
  StrategyKind strategy = StrategyKind::manual;
  std::span<const OpportunityLeg> legs;
  Qty size{};
  Money expected_value{};
};

struct PositionClosedAlert {
  std::string_view ticker;
  Outcome outcome = Outcome::yes;
  Qty qty{};
  Price entry_price{};
  Price exit_price{};
  Money pnl{};              // net of fees
  std::string_view reason;  // "expiry", "thesis invalidated", "stop", "kill switch"...
};

struct CircuitBreakerAlert {
  std::string_view breaker;  // "daily_loss_limit", "max_drawdown", "consecutive_losses"...
  std::string_view detail;
  bool halted = true;
};

struct ErrorAlert {
  std::string_view component;  // "gateway/kalshi", "feed/polymarket", "persist"
  std::string_view message;
};

struct DailySummaryAlert {
  std::string_view date;  // "2026-11-24"
  Money equity{};
  Money realized_pnl{};
  Money unrealized_pnl{};
  Money fees{};
  Money max_drawdown{};
  int64_t trades = 0;
  int64_t wins = 0;
  int64_t losses = 0;
  int64_t open_positions = 0;
};

std::string format_trade(const TradeAlert& alert);
std::string format_opportunity(const OpportunityAlert& alert);
std::string format_position_closed(const PositionClosedAlert& alert);
std::string format_circuit_breaker(const CircuitBreakerAlert& alert);
std::string format_error(const ErrorAlert& alert);
std::string format_daily_summary(const DailySummaryAlert& alert);

// Discord's limit on `content`, in characters (code points).
inline constexpr size_t kDiscordContentLimit = 2000;

// {"content":"...","allowed_mentions":{"parse":[]}}: content JSON-escaped and cut at
// kDiscordContentLimit characters (on a character boundary, ending with "…" when cut).
std::string webhook_body(std::string_view content);

}  // namespace pmx
