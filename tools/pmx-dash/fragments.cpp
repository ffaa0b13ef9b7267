#include "fragments.h"

#include <initializer_list>

#include <fmt/format.h>

#include "pmx/core/decimal.h"
#include "pmx/core/html_escape.h"
#include "pmx/core/types.h"

#include "api_json.h"

namespace pmx::dash {
namespace {

// A table with a header row; rows are appended with row()/cell().
class Table {
 public:
  Table(std::string_view id, std::initializer_list<std::string_view> headers) {
    out_ += fmt::format(
        "<table id=\"{}\" class=\"w-full text-sm\"><thead><tr class=\"text-left text-slate-400\">", id);
    for (const std::string_view h : headers)
      out_ += fmt::format("<th class=\"px-2 py-1\">{}</th>", h);
    out_ += "</tr></thead><tbody>";
  }
  Table& row() {
    if (in_row_) out_ += "</tr>";
    out_ += "<tr class=\"border-t border-slate-800\">";
    in_row_ = true;
    ++rows_;
    return *this;
  }
  // Escaped text.
  Table& cell(std::string_view text, std::string_view css = {}) {
    out_ += "<td class=\"px-2 py-1 ";
    out_ += css;
    out_ += "\">";
    append_html_escaped(out_, text);
    out_ += "</td>";
    return *this;
  }
  Table& number(std::string_view text) { return cell(text, "text-right tabular-nums"); }
  Table& money(int64_t micros) {
    return cell(decimal_text(micros, Money::kDecimals),
                micros < 0 ? "text-right tabular-nums text-rose-400" : "text-right tabular-nums");
  }
  std::string finish(std::string_view empty_message) {
    if (in_row_) out_ += "</tr>";
    if (rows_ == 0) {
      out_ += "<tr><td class=\"px-2 py-2 text-slate-500\" colspan=\"12\">";
      append_html_escaped(out_, empty_message);
      out_ += "</td></tr>";
    }
    out_ += "</tbody></table>";
    return std::move(out_);
  }

 private:
  std::string out_;
  bool in_row_ = false;
  size_t rows_ = 0;
};

std::string wall_time(int64_t wall_ns) {
  if (wall_ns <= 0) return "-";
  const int64_t s = wall_ns / 1'000'000'000;
  return fmt::format("{:02}:{:02}:{:02}", (s / 3600) % 24, (s / 60) % 60, s % 60);  // UTC
}

std::string duration(uint64_t ns) {
  return shm::format_duration_ns(ns);
}

}  // namespace

std::string positions_fragment(const shm::Snapshot& s) {
  Table t("positions-table", {"Market", "Venue", "Side", "Qty", "Entry", "Current", "Unrealized", "Realized",
                              "Fees", "Opened (UTC)"});
  for (const shm::Snapshot::Position& p : s.positions) {
    const auto mark = position_mark(s, p);
    t.row()
        .cell(p.name, "font-mono")
        .cell(shm::venue_name(p.row.venue))
        .cell(p.row.outcome == 0 ? "YES" : "NO")
        .number(decimal_text(p.row.quantity, Qty::kDecimals))
        .number(decimal_text(p.row.avg_price_ticks, Price::kDecimals))
        .number(mark ? decimal_text(*mark, 5) : "-")
        .money(p.row.unrealized_micros)
        .money(p.row.realized_micros)
        .money(p.row.fees_micros)
        .cell(wall_time(p.row.opened_wall_ns));
  }
  return t.finish("No open positions.");
}

std::string opportunities_fragment(const shm::Snapshot& s, std::string_view strategy) {
  Table t("opportunities-table",
          {"Market", "Strategy", "EV", "Kelly", "Size", "Prices", "Expiry (UTC)", "Seen (UTC)"});
  for (const shm::OpportunityRow& o : ranked_opportunities(s, strategy)) {
    std::string prices;
    for (uint8_t i = 0; i < o.legs && i < 4; ++i) {
      if (i > 0) prices += " / ";
      prices += decimal_text(o.price_ticks[i], Price::kDecimals);
    }
    t.row()
        .cell(opportunity_market(s, o), "font-mono")
        .cell(strategy_name(o.strategy))
        .money(o.ev_micros)
        .number(fmt::format("{:.2f}%", o.kelly_fraction * 100))
        .number(decimal_text(o.size_units, Qty::kDecimals))
        .number(prices)
        .cell(wall_time(o.expiry_wall_ns))
        .cell(wall_time(o.wall_ns));
  }
  return t.finish(strategy.empty() ? "No opportunities yet." : "No opportunities of this strategy.");
}

std::string orders_fragment(const shm::Snapshot& s) {
  Table t("orders-table",
          {"Time (UTC)", "Market", "Side", "Status", "Strategy", "Price", "Qty", "Filled", "Fee"});
  for (auto it = s.orders.rbegin(); it != s.orders.rend(); ++it) {
    const shm::OrderRow& o = *it;
    t.row()
        .cell(wall_time(o.wall_ns))
        .cell(s.instrument_name(o.instrument), "font-mono")
        .cell(o.side == 0 ? "buy" : "sell")
        .cell(order_status_name(o.status))
        .cell(strategy_name(o.strategy))
        .number(decimal_text(o.price_ticks, Price::kDecimals))
        .number(decimal_text(o.quantity_units, Qty::kDecimals))
        .number(decimal_text(o.filled_units, Qty::kDecimals))
        .money(o.fee_micros);
  }
  return t.finish("No orders yet.");
}

std::string risk_fragment(const shm::Snapshot& s, const HistoryStore::Portfolio& portfolio) {
  std::string out = "<div class=\"flex flex-wrap gap-2\" id=\"breakers\">";
  for (size_t k = 0; k < shm::kBreakerCount; ++k) {
    const bool tripped = ((s.risk.breakers >> k) & 1u) != 0;
    out += fmt::format("<span class=\"rounded px-2 py-1 text-xs {}\" data-breaker=\"{}\">{}: {}</span>",
                       tripped ? "bg-rose-700 text-white" : "bg-slate-800 text-slate-300",
                       shm::kBreakerNames[k], shm::kBreakerNames[k], tripped ? "TRIPPED" : "ok");
  }
  out += "</div>";
  out += fmt::format(
      "<dl class=\"mt-3 grid grid-cols-2 gap-1 text-sm\"><dt class=\"text-slate-400\">Loss "
      "streak</dt><dd>{}</dd>"
      "<dt class=\"text-slate-400\">Daily loss</dt><dd>{}</dd><dt "
      "class=\"text-slate-400\">Exposure</dt><dd>{}</dd>"
      "<dt class=\"text-slate-400\">Open orders</dt><dd>{}</dd><dt class=\"text-slate-400\">Orders last "
      "minute</dt>"
      "<dd>{}</dd></dl>",
      s.risk.consecutive_losses, decimal_text(s.risk.daily_loss_micros, Money::kDecimals),
      decimal_text(s.risk.exposure_micros, Money::kDecimals), s.risk.open_orders, s.risk.orders_last_minute);

  const size_t n = s.positions.size();
  if (n < 2 || portfolio.correlation.size() != n) return out;
  // The heatmap: a table whose cell colour is the correlation (blue negative, red positive).
  out +=
      "<h3 class=\"mt-4 text-sm text-slate-400\">Correlation of open positions</h3>"
      "<table id=\"correlation-heatmap\" class=\"mt-1 text-xs\"><tr><th></th>";
  for (const shm::Snapshot::Position& p : s.positions) {
    out += "<th class=\"px-1 font-mono\">";
    append_html_escaped(out, p.name);
    out += "</th>";
  }
  out += "</tr>";
  for (size_t i = 0; i < n; ++i) {
    out += "<tr><th class=\"px-1 text-left font-mono\">";
    append_html_escaped(out, s.positions[i].name);
    out += "</th>";
    for (size_t k = 0; k < n; ++k) {
      const auto& c = portfolio.correlation[i][k];
      if (!c) {
        out += "<td class=\"px-1 text-center text-slate-600\">-</td>";
        continue;
      }
      const double v = *c < -1 ? -1 : (*c > 1 ? 1 : *c);
      const char* colour = v >= 0.66   ? "bg-rose-700"
                           : v >= 0.33 ? "bg-rose-900"
                           : v > -0.33 ? "bg-slate-800"
                           : v > -0.66 ? "bg-sky-900"
                                       : "bg-sky-700";
      out += fmt::format("<td class=\"px-1 text-center {}\">{:.2f}</td>", colour, v);
    }
    out += "</tr>";
  }
  out += "</table>";
  return out;
}

std::string latency_fragment(const shm::Snapshot& s) {
  Table t("latency-table", {"Stage", "Count", "p50", "p99", "p99.9", "Max"});
  for (size_t k = 0; k < shm::kStageCount; ++k) {
    const shm::Snapshot::Latency& l = s.latency[k];
    t.row()
        .cell(shm::kStageNames[k], "font-mono")
        .number(std::to_string(l.count))
        .number(duration(l.p50))
        .number(duration(l.p99))
        .number(duration(l.p999))
        .number(duration(l.max));
  }
  return t.finish("");
}

std::string internals_fragment(const shm::Snapshot& s) {
  Table counters("counters-table", {"Counter", "Value"});
  for (const shm::Snapshot::Counter& c : s.counters)
    counters.row().cell(c.name, "font-mono").number(std::to_string(c.value));
  Table rings("rings-table", {"Ring", "Occupancy", "High water", "Capacity"});
  for (const shm::Snapshot::Ring& r : s.rings)
    rings.row()
        .cell(r.name, "font-mono")
        .number(std::to_string(r.occupancy))
        .number(std::to_string(r.high_water))
        .number(std::to_string(r.capacity));
  Table threads("threads-table", {"Thread", "CPU", "Loops", "Busy"});
  for (const shm::Snapshot::Thread& t : s.threads)
    threads.row()
        .cell(t.name, "font-mono")
        .number(t.cpu >= 0 ? std::to_string(t.cpu) : "-")
        .number(std::to_string(t.loops))
        .number(duration(t.busy_ns));
  return "<div class=\"grid gap-4 md:grid-cols-3\"><div>" + counters.finish("No counters.") + "</div><div>" +
         rings.finish("No rings.") + "</div><div>" + threads.finish("No threads.") + "</div></div>";
}

std::string alerts_fragment(const std::vector<HistoryStore::Alert>& alerts, std::string_view problem) {
  Table t("alerts-table", {"Time (UTC)", "Kind", "Strategy", "Market", "Reason"});
  for (const HistoryStore::Alert& a : alerts)
    t.row().cell(wall_time(a.ts_ns)).cell(a.kind).cell(a.strategy).cell(a.ticker, "font-mono").cell(a.reason);
  return t.finish(problem.empty() ? std::string_view("No alerts.") : problem);
}

std::string absent_fragment(std::string_view problem) {
  return "<p class=\"text-amber-400\" data-absent>Waiting for the engine: " + html_escaped(problem) + "</p>";
}

std::vector<HistoryStore::Market> position_markets(const shm::Snapshot& s) {
  std::vector<HistoryStore::Market> markets;
  for (const shm::Snapshot::Position& p : s.positions)
    markets.push_back({std::string(shm::venue_name(p.row.venue)), p.name});
  return markets;
}

}  // namespace pmx::dash
