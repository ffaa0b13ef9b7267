#include "pmx/alert/alert_format.h"

#include <cctype>

#include "pmx/alert/alert_text.h"
#include "pmx/core/json_string.h"

namespace pmx {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// "10 YES KXFOO-26"
std::string holding(Qty qty, Outcome outcome, std::string_view ticker) {
  std::string out = qty_text(qty);
  out += ' ';
  out += upper(to_string(outcome));
  out += ' ';
  out += ticker;
  return out;
}

bool is_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

std::string format_trade(const TradeAlert& a) {
  std::string out = a.paper ? "[PAPER] " : "";
  out += a.side == Side::buy ? "🟢 BUY " : "🔴 SELL ";
  out += holding(a.qty, a.outcome, a.ticker);
  out += " @ " + price_text(a.price);
  out += " (";
  out += to_string(a.strategy);
  out += ", EV " + money_text(a.expected_value) + ")";
  return out;
}

std::string format_opportunity(const OpportunityAlert& a) {
  std::string out = "💡 ";
  out += to_string(a.strategy);
  out += ":";
  for (size_t k = 0; k < a.legs.size(); ++k) {
    out += k == 0 ? " " : " + ";
    out += upper(to_string(a.legs[k].outcome));
    out += ' ';
    out += a.legs[k].ticker;
    out += " @ " + price_text(a.legs[k].price);
  }
  out += " | size " + qty_text(a.size);
  out += " | EV " + money_text(a.expected_value);
  return out;
}

std::string format_position_closed(const PositionClosedAlert& a) {
  std::string out = a.pnl.micros >= 0 ? "✅ CLOSED " : "❌ CLOSED ";
  out += holding(a.qty, a.outcome, a.ticker);
  out += " @ " + price_text(a.exit_price);
  out += " (entry " + price_text(a.entry_price) + ")";
  out += " P&L " + signed_money_text(a.pnl);
  if (!a.reason.empty()) {
    out += " (";
    out += a.reason;
    out += ")";
  }
  return out;
}

std::string format_circuit_breaker(const CircuitBreakerAlert& a) {
  std::string out = "🚨 CIRCUIT BREAKER ";
  out += a.breaker;
  if (!a.detail.empty()) {
    out += ": ";
    out += a.detail;
  }
  out += a.halted ? ". Trading halted." : ".";
  return out;
}

std::string format_error(const ErrorAlert& a) {
  std::string out = "⚠️ ERROR ";
  out += a.component;
  out += ": ";
  out += a.message;
  return out;
}

std::string format_daily_summary(const DailySummaryAlert& a) {
  std::string out = "📊 Daily summary ";
  out += a.date;
  out += "\nEquity " + money_text(a.equity);
  out += " | P&L " + signed_money_text(a.realized_pnl + a.unrealized_pnl);
  out += " (realized " + signed_money_text(a.realized_pnl);
  out += ", unrealized " + signed_money_text(a.unrealized_pnl) + ")";
  out += "\nTrades " + std::to_string(a.trades);
  out += " | Wins " + std::to_string(a.wins);
  out += " | Losses " + std::to_string(a.losses);
  out += " | Fees " + money_text(a.fees);
  out += " | Open positions " + std::to_string(a.open_positions);
  out += " | Max drawdown " + money_text(a.max_drawdown);
  return out;
}

std::string webhook_body(std::string_view content) {
  // Cut at the limit in code points, never inside a UTF-8 sequence.
  size_t characters = 0;
  size_t cut = content.size();
  for (size_t k = 0; k < content.size(); ++k) {
    if (is_continuation(content[k])) continue;
    if (characters == kDiscordContentLimit - 1) {  // room left for the ellipsis
      size_t rest = 0;
      for (size_t j = k; j < content.size(); ++j)
        rest += is_continuation(content[j]) ? 0 : 1;
      if (rest > 1) cut = k;
      break;
    }
    ++characters;
  }
  std::string text(content.substr(0, cut));
  if (cut < content.size()) text += "…";
  std::string body = "{\"content\":";
  append_json_string(body, text);
  body += ",\"allowed_mentions\":{\"parse\":[]}}";
  return body;
}

}  // namespace pmx
