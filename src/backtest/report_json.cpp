#include "pmx/backtest/report_json.h"

#include <cstdio>

#include "pmx/core/decimal.h"
#include "pmx/core/json_writer.h"

namespace pmx {
namespace {

// Report text is a stable contract: money, prices and sizes with all their decimals, model
// ratios to six places, one array element per line.
JsonWriter& money(JsonWriter& o, Money m) {
  return o.decimal(m.micros, Money::kDecimals, Money::kDecimals);
}
JsonWriter& price(JsonWriter& o, Price p) {
  return o.decimal(p.ticks, Price::kDecimals, Price::kDecimals);
}
JsonWriter& qty(JsonWriter& o, Qty q) {
  return o.decimal(q.units, Qty::kDecimals, Qty::kDecimals);
}
JsonWriter& number(JsonWriter& o, double v) {
  return o.real(v, 6);
}
JsonWriter& time(JsonWriter& o, WallNanos t) {
  return o.string(format_utc_nanos(t));
}

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
  JsonWriter o;
  o.begin_object();
  o.key("report").string("pmx-backtest");
  o.key("version").unsigned_integer(1);
  o.key("source").string(r.source);
  o.key("seed").unsigned_integer(r.seed);
  time(o.key("start"), r.start);
  time(o.key("end"), r.end);
  money(o.key("starting_capital"), r.starting_capital);
  money(o.key("final_capital"), r.final_capital);
  number(o.key("total_return_pct"), r.total_return_pct);
  if (r.sharpe_ratio) {
    number(o.key("sharpe_ratio"), *r.sharpe_ratio);
  } else {
    o.key("sharpe_ratio").null();
  }
  o.key("sharpe_days").unsigned_integer(r.daily_returns.size());
  money(o.key("max_drawdown"), r.drawdown.max_drawdown);
  number(o.key("max_drawdown_pct"), r.drawdown.max_drawdown_pct);
  number(o.key("win_rate"), r.win_loss.win_rate);
  o.key("wins").unsigned_integer(r.win_loss.wins);
  o.key("losses").unsigned_integer(r.win_loss.losses);
  money(o.key("avg_win"), r.win_loss.avg_win);
  money(o.key("avg_loss"), r.win_loss.avg_loss);
  money(o.key("fees_paid"), r.fees_paid);
  money(o.key("realized_pnl"), r.realized_pnl);
  money(o.key("unrealized_pnl"), r.unrealized_pnl);
  o.key("round_trips").unsigned_integer(r.round_trips);
  o.key("open_positions").unsigned_integer(r.open_positions);

  o.key("counts").begin_object();
  for (const auto& [name, value] : r.counts) {
    o.key(name.c_str()).unsigned_integer(value);
  }
  o.end_object();

  o.key("strategies").begin_array();
  for (const StrategyBreakdown& s : r.strategies) {
    o.line_break();
    o.begin_object();
    o.key("strategy").string(s.strategy);
    o.key("opportunities").unsigned_integer(s.opportunities);
    o.key("intents").unsigned_integer(s.intents);
    o.key("trades").unsigned_integer(s.trades);
    o.key("round_trips").unsigned_integer(s.round_trips);
    money(o.key("pnl"), s.pnl);
    money(o.key("fees"), s.fees);
    number(o.key("win_rate"), s.win_loss.win_rate);
    o.key("wins").unsigned_integer(s.win_loss.wins);
    o.key("losses").unsigned_integer(s.win_loss.losses);
    o.end_object();
  }
  o.end_array();

  o.key("daily_returns").begin_array();
  for (const DailyReturn& d : r.daily_returns) {
    o.line_break();
    o.begin_object();
    const int32_t date = utc_date_yyyymmdd(d.day);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date / 10'000, date / 100 % 100, date % 100);
    o.key("date").string(buf);
    money(o.key("close"), d.close);
    number(o.key("return_pct"), 100.0 * d.return_fraction);
    o.end_object();
  }
  o.end_array();

  o.key("equity_curve").begin_array();
  for (const EquityPoint& p : r.equity_curve) {
    o.line_break();
    o.begin_object();
    time(o.key("time"), p.time);
    money(o.key("equity"), p.equity);
    money(o.key("drawdown"), p.drawdown);
    o.end_object();
  }
  o.end_array();

  o.key("trades").begin_array();
  for (const TradeRow& t : r.trades) {
    o.line_break();
    o.begin_object();
    time(o.key("time"), t.time);
    o.key("venue").string(to_string(t.venue));
    o.key("instrument").string(t.instrument);
    o.key("side").string(to_string(t.side));
    o.key("outcome").string(to_string(t.outcome));
    price(o.key("price"), t.price);
    qty(o.key("size"), t.size);
    money(o.key("fee"), t.fee);
    o.key("strategy").string(t.strategy);
    o.key("liquidity").string(t.liquidity == Liquidity::taker ? "taker" : "maker");
    o.key("intent_id").unsigned_integer(t.intent_id);
    o.end_object();
  }
  o.end_array();

  o.key("notes").begin_array();
  for (const std::string& note : r.notes) {
    o.line_break();
    o.string(note);
  }
  o.end_array();
  o.end_object();
  std::string text = o.take();
  text += '\n';
  return text;
}

}  // namespace pmx
