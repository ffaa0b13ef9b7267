#include "pmx/backtest/report_json.h"

#include <cmath>
#include <cstdio>

#include "pmx/core/decimal.h"
#include "pmx/core/json_string.h"

namespace pmx {
namespace {

// Appends `"name":` (with a leading comma unless first in its object).
class JsonOut {
 public:
  std::string text;

  void open(char c) {
    text += c;
    first_ = true;
  }
  void close(char c) {
    text += c;
    first_ = false;
  }
  void key(const char* name) {
    comma();
    text += '"';
    text += name;
    text += "\":";
  }
  void comma() {
    if (!first_) text += ',';
    first_ = false;
  }
  void money(Money m) {
    char buf[kMaxFixedChars + 2];
    text += format_money(m, Money::kDecimals, buf, sizeof buf);
  }
  void price(Price p) {
    char buf[kMaxFixedChars + 2];
    text += format_price(p, Price::kDecimals, buf, sizeof buf);
  }
  void qty(Qty q) {
    char buf[kMaxFixedChars + 2];
    text += format_qty(q, Qty::kDecimals, buf, sizeof buf);
  }
  void number(double v) {
    if (!std::isfinite(v)) {
      text += "null";
      return;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    text += buf;
  }
  void integer(uint64_t v) { text += std::to_string(v); }
  void string(std::string_view s) { append_json_string(text, s); }
  void time(WallNanos t) { string(format_utc_nanos(t)); }

 private:
  bool first_ = true;
};

}  // namespace

std::string format_utc_nanos(WallNanos t) {
  const int64_t day = utc_day(t);
  const int64_t within = t.ns - day * kNanosPerDay;
  const int32_t date = utc_date_yyyymmdd(day);
  const int64_t seconds = within / 1'000'000'000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02lld:%02lld:%02lld.%09lldZ", date / 10'000,
                date / 100 % 100, date % 100, static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60),
                static_cast<long long>(within % 1'000'000'000));
  return buf;
}

std::string report_to_json(const BacktestReport& r) {
  JsonOut o;
  o.open('{');
  o.key("report");
  o.string("pmx-backtest");
  o.key("version");
  o.integer(1);
  o.key("source");
  o.string(r.source);
  o.key("seed");
  o.integer(r.seed);
  o.key("start");
  o.time(r.start);
  o.key("end");
  o.time(r.end);
  o.key("starting_capital");
  o.money(r.starting_capital);
  o.key("final_capital");
  o.money(r.final_capital);
  o.key("total_return_pct");
  o.number(r.total_return_pct);
  o.key("sharpe_ratio");
  if (r.sharpe_ratio) {
    o.number(*r.sharpe_ratio);
  } else {
    o.text += "null";
  }
  o.key("sharpe_days");
  o.integer(r.daily_returns.size());
  o.key("max_drawdown");
  o.money(r.drawdown.max_drawdown);
  o.key("max_drawdown_pct");
  o.number(r.drawdown.max_drawdown_pct);
  o.key("win_rate");
  o.number(r.win_loss.win_rate);
  o.key("wins");
  o.integer(r.win_loss.wins);
  o.key("losses");
  o.integer(r.win_loss.losses);
  o.key("avg_win");
  o.money(r.win_loss.avg_win);
  o.key("avg_loss");
  o.money(r.win_loss.avg_loss);
  o.key("fees_paid");
  o.money(r.fees_paid);
  o.key("realized_pnl");
  o.money(r.realized_pnl);
  o.key("unrealized_pnl");
  o.money(r.unrealized_pnl);
  o.key("round_trips");
  o.integer(r.round_trips);
  o.key("open_positions");
  o.integer(r.open_positions);

  o.key("counts");
  o.open('{');
  for (const auto& [name, value] : r.counts) {
    o.key(name.c_str());
    o.integer(value);
  }
  o.close('}');

  o.key("strategies");
  o.open('[');
  for (const StrategyBreakdown& s : r.strategies) {
    o.comma();
    o.text += "\n";
    o.open('{');
    o.key("strategy");
    o.string(s.strategy);
    o.key("opportunities");
    o.integer(s.opportunities);
    o.key("intents");
    o.integer(s.intents);
    o.key("trades");
    o.integer(s.trades);
    o.key("round_trips");
    o.integer(s.round_trips);
    o.key("pnl");
    o.money(s.pnl);
    o.key("fees");
    o.money(s.fees);
    o.key("win_rate");
    o.number(s.win_loss.win_rate);
    o.key("wins");
    o.integer(s.win_loss.wins);
    o.key("losses");
    o.integer(s.win_loss.losses);
    o.close('}');
  }
  o.close(']');

  o.key("daily_returns");
  o.open('[');
  for (const DailyReturn& d : r.daily_returns) {
    o.comma();
    o.text += "\n";
    o.open('{');
    o.key("date");
    const int32_t date = utc_date_yyyymmdd(d.day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date / 10'000, date / 100 % 100, date % 100);
    o.string(buf);
    o.key("close");
    o.money(d.close);
    o.key("return_pct");
    o.number(100.0 * d.return_fraction);
    o.close('}');
  }
  o.close(']');

  o.key("equity_curve");
  o.open('[');
  for (const EquityPoint& p : r.equity_curve) {
    o.comma();
    o.text += "\n";
    o.open('{');
    o.key("time");
    o.time(p.time);
    o.key("equity");
    o.money(p.equity);
    o.key("drawdown");
    o.money(p.drawdown);
    o.close('}');
  }
  o.close(']');

  o.key("trades");
  o.open('[');
  for (const TradeRow& t : r.trades) {
    o.comma();
    o.text += "\n";
    o.open('{');
    o.key("time");
    o.time(t.time);
    o.key("venue");
    o.string(to_string(t.venue));
    o.key("instrument");
    o.string(t.instrument);
    o.key("side");
    o.string(to_string(t.side));
    o.key("outcome");
    o.string(to_string(t.outcome));
    o.key("price");
    o.price(t.price);
    o.key("size");
    o.qty(t.size);
    o.key("fee");
    o.money(t.fee);
    o.key("strategy");
    o.string(t.strategy);
    o.key("liquidity");
    o.string(t.liquidity == Liquidity::taker ? "taker" : "maker");
    o.key("intent_id");
    o.integer(t.intent_id);
    o.close('}');
  }
  o.close(']');

  o.key("notes");
  o.open('[');
  for (const std::string& note : r.notes) {
    o.comma();
    o.text += "\n";
    o.string(note);
  }
  o.close(']');
  o.close('}');
  o.text += '\n';
  return o.text;
}

}  // namespace pmx
