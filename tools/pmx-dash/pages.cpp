#include "pages.h"

#include <fmt/format.h>

#include "pmx/core/html_escape.h"

namespace pmx::dash {
namespace {

constexpr std::string_view kCard = "rounded-lg bg-slate-900 p-4 shadow";

// A live panel: filled by HTMX from /fragment/<name> on load and on every `pmx:update` event
// (app.js raises it when an SSE state event arrives), at most once a second.
std::string live_panel(std::string_view title, std::string_view fragment, std::string_view include = {}) {
  return fmt::format(
      "<section class=\"{}\"><h2 class=\"mb-2 font-semibold\">{}</h2><div id=\"panel-{}\" "
      "hx-get=\"/fragment/{}\" "
      "hx-trigger=\"load, pmx:update from:body throttle:1s\"{} "
      "hx-swap=\"innerHTML\">Loading...</div></section>",
      kCard, title, fragment, fragment, include.empty() ? "" : fmt::format(" hx-include=\"{}\"", include));
}

std::string stat_card(std::string_view label, std::string_view stat) {
  return fmt::format(
      "<div class=\"{}\"><div class=\"text-xs uppercase text-slate-400\">{}</div><div class=\"text-2xl "
      "tabular-nums\" "
      "data-stat=\"{}\">-</div></div>",
      kCard, label, stat);
}

std::string chart_card(std::string_view title, std::string_view id) {
  return fmt::format(
      "<section class=\"{}\"><h2 class=\"mb-2 font-semibold\">{}</h2><div class=\"relative h-64\"><canvas "
      "id=\"{}\"></canvas></div></section>",
      kCard, title, id);
}

std::string stat_cards() {
  return "<div class=\"grid grid-cols-2 gap-4 md:grid-cols-4\">" + stat_card("Capital", "capital") +
         stat_card("Today's P&amp;L", "daily") + stat_card("Realized (all time)", "realized") +
         stat_card("Unrealized", "unrealized") + stat_card("Drawdown", "drawdown_pct") +
         stat_card("Exposure", "exposure") + stat_card("Open positions", "open_positions") +
         stat_card("Heartbeat age", "heartbeat_age_ms") + "</div>";
}

std::string controls() {
  return fmt::format(
      "<section class=\"{}\" id=\"controls\"><h2 class=\"mb-2 font-semibold\">Controls</h2>"
      "<div class=\"flex flex-wrap items-center gap-3\">"
      "<button id=\"kill-switch\" class=\"rounded bg-rose-700 px-4 py-2 font-semibold text-white "
      "hover:bg-rose-600\">"
      "Kill switch</button>"
      "<label class=\"text-sm\"><input type=\"checkbox\" id=\"close-positions\"> close positions</label>"
      "<button id=\"resume\" class=\"rounded bg-slate-700 px-4 py-2 "
      "hover:bg-slate-600\">Resume</button></div>"
      "<p id=\"control-message\" class=\"mt-2 text-sm text-slate-300\" role=\"status\"></p></section>",
      kCard);
}

std::string risk_gauges() {
  return "<div class=\"grid gap-4 md:grid-cols-3\">" + chart_card("Drawdown", "drawdown-gauge") +
         chart_card("Exposure by category", "exposure-pie") +
         live_panel("Risk and circuit breakers", "risk") + "</div>";
}

std::string overview() {
  return stat_cards() + controls() + live_panel("Open positions", "positions") + risk_gauges() +
         "<div class=\"grid gap-4 md:grid-cols-2\">" + live_panel("Latency by stage", "latency") +
         live_panel("Order log", "orders") + "</div>" + live_panel("Alerts", "alerts");
}

std::string opportunities() {
  return fmt::format(
             "<section class=\"{}\"><label class=\"text-sm\">Strategy <select id=\"strategy-filter\" "
             "name=\"strategy\" class=\"ml-2 rounded bg-slate-800 p-1\" hx-get=\"/fragment/opportunities\" "
             "hx-target=\"#panel-opportunities\" hx-trigger=\"change\"><option value=\"\">all</option>"
             "<option>grinding</option><option>bundle_arb</option><option>cross_venue_arb</option>"
             "<option>monotonicity</option><option>exit</option></select></label></section>",
             kCard) +
         live_panel("Opportunities (best EV first)", "opportunities", "#strategy-filter");
}

std::string history() {
  return "<p id=\"history-status\" class=\"text-sm text-slate-400\"></p><div class=\"grid gap-4 "
         "md:grid-cols-2\">" +
         chart_card("Cumulative realized P&amp;L", "chart-cumulative-pnl") +
         chart_card("Trades by strategy", "chart-trades-by-strategy") +
         chart_card("Win rate by day", "chart-win-rate") +
         chart_card("Daily returns", "chart-daily-returns") + "</div>" + live_panel("Alerts", "alerts");
}

std::string analytics() {
  return chart_card("Latency percentiles by stage", "chart-latency") +
         live_panel("Latency by stage", "latency") + live_panel("Counters, rings and threads", "internals");
}

std::string settings(const Config& config) {
  std::string keys;
  for (const ConfigKeyInfo& info : config_keys()) {
    if (!info.runtime || info.secret) continue;
    keys += "<option value=\"";
    append_html_escaped(keys, info.key);
    keys += "\">";
    append_html_escaped(keys, info.key);
    keys += " = ";
    append_html_escaped(keys, config_value(config, info.key).value_or("?"));
    keys += " (";
    append_html_escaped(keys, info.allowed);
    keys += ")</option>";
  }
  return fmt::format(
      "<section class=\"{0}\"><h2 class=\"mb-2 font-semibold\">Access token</h2><p class=\"text-sm "
      "text-slate-400\">"
      "Controls need the token pmx-dash printed at start (kept in this tab's session storage only).</p>"
      "<form id=\"token-form\" class=\"mt-2 flex gap-2\"><input id=\"token-input\" type=\"password\" "
      "autocomplete=\"off\" class=\"w-96 rounded bg-slate-800 p-1\" placeholder=\"token\"><button "
      "class=\"rounded bg-slate-700 px-3\">Use token</button></form><p id=\"token-state\" class=\"mt-1 "
      "text-sm\"></p>"
      "</section>"
      "<section class=\"{0}\"><h2 class=\"mb-2 font-semibold\">Trading mode</h2><form id=\"mode-form\" "
      "class=\"flex flex-wrap items-center gap-2\"><select name=\"mode\" id=\"mode-select\" class=\"rounded "
      "bg-slate-800 p-1\"><option>paper</option><option>live</option></select><input name=\"confirm\" "
      "id=\"mode-confirm\" class=\"rounded bg-slate-800 p-1\" placeholder=\"type live to confirm\"><button "
      "class=\"rounded bg-amber-700 px-3 py-1\">Switch mode</button></form></section>"
      "<section class=\"{0}\"><h2 class=\"mb-2 font-semibold\">Runtime configuration</h2><p class=\"text-sm "
      "text-slate-400\">Values from this dashboard's configuration, plus changes made here; the engine "
      "validates "
      "and applies each change.</p><form id=\"config-form\" class=\"mt-2 flex flex-wrap gap-2\"><select "
      "name=\"key\" "
      "id=\"config-key\" class=\"max-w-xl rounded bg-slate-800 p-1\">{1}</select><input name=\"value\" "
      "id=\"config-value\" class=\"rounded bg-slate-800 p-1\" placeholder=\"new value\"><button "
      "class=\"rounded "
      "bg-slate-700 px-3\">Set</button></form></section>"
      "<p id=\"control-message\" class=\"text-sm text-slate-300\" role=\"status\"></p>",
      kCard, keys);
}

}  // namespace

const std::vector<PageInfo>& pages() {
  static const std::vector<PageInfo> all = {{Page::overview, "/", "Overview"},
                                            {Page::positions, "/positions", "Positions"},
                                            {Page::opportunities, "/opportunities", "Opportunities"},
                                            {Page::history, "/history", "History"},
                                            {Page::analytics, "/analytics", "Analytics"},
                                            {Page::settings, "/settings", "Settings"}};
  return all;
}

std::string render_page(Page page, std::string_view instance, const Config& config) {
  const PageInfo* info = &pages().front();
  for (const PageInfo& p : pages())
    if (p.page == page) info = &p;

  std::string nav;
  for (const PageInfo& p : pages())
    nav += fmt::format("<a href=\"{}\" class=\"px-2 py-1 rounded {}\">{}</a>", p.path,
                       p.page == page ? "bg-slate-700" : "hover:bg-slate-800", p.title);

  std::string body;
  switch (page) {
    case Page::overview:
      body = overview();
      break;
    case Page::positions:
      body = stat_cards() + live_panel("Open positions", "positions") + risk_gauges();
      break;
    case Page::opportunities:
      body = opportunities();
      break;
    case Page::history:
      body = history();
      break;
    case Page::analytics:
      body = analytics();
      break;
    case Page::settings:
      body = settings(config);
      break;
  }

  return fmt::format(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>pmx · {0} · {1}</title><link rel=\"icon\" "
      "href=\"data:,\"><meta name=\"htmx-config\" "
      "content='{{\"includeIndicatorStyles\":false,\"allowEval\":false}}'>"
      "<link rel=\"stylesheet\" href=\"/static/pmx.css\"><script src=\"/static/htmx.min.js\" defer></script>"
      "<script src=\"/static/chart.umd.min.js\" defer></script><script src=\"/static/app.js\" defer></script>"
      "</head><body class=\"min-h-screen bg-slate-950 text-slate-100\" data-page=\"{2}\">"
      "<header class=\"flex flex-wrap items-center gap-3 border-b border-slate-800 px-4 py-2\"><span "
      "class=\"font-bold\">pmx</span><span class=\"font-mono text-sm text-slate-400\" "
      "id=\"instance\">{1}</span>"
      "<nav class=\"flex gap-1 text-sm\">{3}</nav><span class=\"ml-auto flex gap-2 text-sm\"><span "
      "data-stat=\"engine\" class=\"rounded bg-slate-800 px-2 py-1\">connecting</span><span "
      "data-stat=\"mode\" "
      "class=\"rounded bg-slate-800 px-2 py-1\">-</span><span data-stat=\"halted\" class=\"rounded "
      "bg-slate-800 "
      "px-2 py-1\">-</span></span></header><main class=\"mx-auto flex max-w-7xl flex-col gap-4 "
      "p-4\">{4}</main>"
      "</body></html>",
      info->title, html_escaped(instance), info->path, nav, body);
}

}  // namespace pmx::dash
