#include "render.h"

#include <algorithm>
#include <string_view>

#include <curses.h>
#include <fmt/format.h>

namespace pmx::top {
namespace {

enum Color : short { kRed = 1, kGreen = 2, kHeading = 3, kYellow = 4 };

// Text from shared memory may hold anything; the terminal only gets printable ASCII.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s)
    out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out;
}

// Long names (77-digit Polymarket token ids) keep their head and tail.
std::string fit(std::string_view s, size_t width) {
  std::string p = printable(s);
  if (p.size() <= width) return p;
  if (width < 5) return p.substr(0, width);
  const size_t head = (width - 2) / 2;
  return p.substr(0, head) + ".." + p.substr(p.size() - (width - 2 - head));
}

void put(int row, int col, const std::string& text, attr_t attrs = A_NORMAL) {
  const int width = COLS - col;
  if (row < 0 || row >= LINES || width <= 0) return;
  attron(attrs);
  mvaddnstr(row, col, text.c_str(), width);
  attroff(attrs);
}

attr_t color(Color c) {
  return has_colors() ? COLOR_PAIR(c) : A_NORMAL;
}
attr_t heading() {
  return has_colors() ? COLOR_PAIR(kHeading) | A_BOLD : A_REVERSE;
}

void heading_line(int row, int col, int width, const std::string& text) {
  put(row, col,
      fmt::format("{:<{}}", text.substr(0, static_cast<size_t>(std::max(width, 0))), std::max(width, 0)),
      heading());
}

std::string duration(int64_t ns) {
  const int64_t s = ns / 1'000'000'000;
  if (s >= 86'400) return fmt::format("{}d{:02}h{:02}m", s / 86'400, s / 3600 % 24, s / 60 % 60);
  return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

std::string rate(double per_second) {
  if (per_second < 0) return "-";
  if (per_second >= 1e6) return fmt::format("{:.1f}M", per_second / 1e6);
  if (per_second >= 1e4) return fmt::format("{:.1f}k", per_second / 1e3);
  return fmt::format("{:.1f}", per_second);
}

std::string price(int32_t ticks, int64_t size) {
  return size > 0 ? decimal_text(ticks, Price::kDecimals) : "-";
}
std::string contracts(int64_t units) {
  if (units <= 0) return "-";
  const double c = static_cast<double>(units) / Qty::kUnitsPerContract;
  return c >= 100'000 ? fmt::format("{:.0f}k", c / 1e3) : decimal_text(units / 10'000, 2);
}
// Money to the cent, always two decimals: "+12.30", "-0.45", "10012.34".
std::string cents(int64_t micros, bool sign = false) {
  const int64_t c = micros / 10'000;
  const int64_t m = c < 0 ? -c : c;
  return fmt::format("{}{}.{:02}", c < 0 ? "-" : (sign && c > 0 ? "+" : ""), m / 100, m % 100);
}
std::string dollars(int64_t micros) {
  return cents(micros, true);
}

void draw_header(const shm::Snapshot& s) {
  const bool live = s.engine.mode == shm::TradingMode::live;
  const std::string head = fmt::format(" shm-top  {}  pid {}  up {}  mode ", printable(s.instance),
                                       s.engine.pid, duration(s.engine.uptime_ns));
  put(0, 0, head, A_BOLD);
  put(0, static_cast<int>(head.size()), live ? "LIVE" : "paper", live ? (color(kYellow) | A_BOLD) : A_BOLD);
  const int64_t age = std::max<int64_t>(s.engine.heartbeat_age_ns, 0);
  put(0, static_cast<int>(head.size()) + (live ? 4 : 5),
      fmt::format("  heartbeat {}  cmds {}", shm::format_duration_ns(static_cast<uint64_t>(age)),
                  s.engine.commands_applied),
      age > 1'000'000'000 ? color(kRed) | A_BOLD : A_BOLD);

  if (!s.engine.alive)
    put(1, 0, fmt::format(" ENGINE NOT RUNNING (pid {} is gone; showing its last state)", s.engine.pid),
        color(kRed) | A_BOLD);
  else if (s.engine.halted)
    put(1, 0, " HALTED: " + printable(s.engine.halt_reason), color(kRed) | A_BOLD | A_REVERSE);
  else
    put(1, 0, " TRADING", color(kGreen) | A_BOLD);
}

int draw_threads_and_rings(int row, int rows, const shm::Snapshot& s, const shm::Rates* r) {
  const int half = COLS / 2;
  heading_line(row, 0, half, " THREADS           cpu   loops/s  busy%");
  heading_line(row, half, COLS - half, " RINGS                    occ/cap   high");
  for (int i = 0; i < rows; ++i) {
    const auto k = static_cast<size_t>(i);
    if (k < s.threads.size()) {
      const auto& t = s.threads[k];
      const bool have = r != nullptr && k < r->threads.size();
      put(row + 1 + i, 0,
          fmt::format(" {:<17} {:>3} {:>9} {:>6}", fit(t.name, 17),
                      t.cpu < 0 ? std::string("-") : std::to_string(t.cpu),
                      have ? rate(r->threads[k].loops_per_second) : "-",
                      have ? fmt::format("{:.1f}", r->threads[k].busy_pct) : "-"));
    }
    if (k < s.rings.size()) {
      const auto& g = s.rings[k];
      const bool hot = g.capacity > 0 && g.high_water * 2 > g.capacity;
      put(row + 1 + i, half,
          fmt::format(" {:<19} {:>12} {:>6}", fit(g.name, 19), fmt::format("{}/{}", g.occupancy, g.capacity),
                      g.high_water),
          hot ? color(kYellow) : A_NORMAL);
    }
  }
  return row + 1 + rows;
}

int draw_latency_and_counters(int row, int rows, const shm::Snapshot& s, const shm::Rates* r) {
  constexpr int kLeft = 48;
  // Short stage labels so that a row fits half an 80-column screen.
  static constexpr const char* kLabels[shm::kStageCount] = {"feed_parse", "feed->strat", "decision",
                                                            "strat->gw",  "gw_send",     "tick->order"};
  heading_line(row, 0, kLeft, " LATENCY         p50    p99  p99.9    max  count");
  const size_t hidden =
      s.counters.size() > static_cast<size_t>(rows) ? s.counters.size() - static_cast<size_t>(rows) : 0;
  heading_line(row, kLeft, COLS - kLeft,
               hidden ? fmt::format(" COUNTERS /s   (+{} more)", hidden) : " COUNTERS /s");
  for (int i = 0; i < rows; ++i) {
    const auto k = static_cast<size_t>(i);
    if (k < shm::kStageCount) {
      const auto& l = s.latency[k];
      auto d = [](uint64_t ns) { return shm::format_duration_ns(ns); };
      put(row + 1 + i, 0,
          fmt::format(
              " {:<12} {:>6} {:>6} {:>6} {:>6} {:>6}", kLabels[k], d(l.p50), d(l.p99), d(l.p999), d(l.max),
              l.count >= 1'000'000 ? fmt::format("{}M", l.count / 1'000'000) : std::to_string(l.count)));
    }
    if (k < s.counters.size()) {
      const bool have = r != nullptr && k < r->counters.size();
      put(row + 1 + i, kLeft,
          fmt::format(" {:<21} {:>8}", fit(s.counters[k].name, 21),
                      have ? rate(r->counters[k].per_second) : "-"));
    }
  }
  return row + 1 + rows;
}

int draw_markets(int row, int rows, const shm::Snapshot& s, const shm::Rates* r, const View& view) {
  const std::vector<MarketRow> markets = market_rows(s, r, view.sort, view.filter);
  const int name_width = std::max(COLS - 51, 12);
  const std::string title =
      fmt::format("MARKETS {}/{} by {}", markets.size(), s.books.size(), to_string(view.sort));
  heading_line(row, 0, COLS,
               fmt::format(" {:<4} {:<{}} {:>6} {:>7} {:>6} {:>7} {:>6} {:>6}", "VEN",
                           fit(title, static_cast<size_t>(name_width)), name_width, "bid", "size", "ask",
                           "size", "fair", "upd/s"));
  for (int i = 0; i < rows && static_cast<size_t>(i) < markets.size(); ++i) {
    const MarketRow& m = markets[static_cast<size_t>(i)];
    const shm::BookTop& t = m.book->top;
    const attr_t attrs = m.book->stale() ? A_DIM : A_NORMAL;
    put(row + 1 + i, 0,
        fmt::format(" {:<4} {:<{}} {:>6} {:>7} {:>6} {:>7} {:>6} {:>6}{}",
                    m.book->venue == static_cast<uint8_t>(Venue::kalshi) ? "KAL" : "POLY",
                    fit(m.book->name, static_cast<size_t>(name_width)), name_width,
                    price(t.bid_ticks, t.bid_size), contracts(t.bid_size), price(t.ask_ticks, t.ask_size),
                    contracts(t.ask_size), t.fair_value > 0 ? fmt::format("{:.4f}", t.fair_value) : "-",
                    rate(m.updates_per_second), m.book->stale() ? " stale" : ""),
        attrs);
  }
  if (markets.empty())
    put(row + 1, 1, view.filter.empty() ? "(no books yet)" : "(no market matches the filter)", A_DIM);
  return row + 1 + rows;
}

int draw_positions(int row, int rows, const shm::Snapshot& s) {
  const int name_width = std::max(COLS - 47, 12);
  heading_line(row, 0, COLS,
               fmt::format(" {:<{}} {:<3} {:>9} {:>7} {:>10} {:>10}", "POSITION", name_width, "out", "qty",
                           "avg", "realized", "unrealized"));
  for (int i = 0; i < rows && static_cast<size_t>(i) < s.positions.size(); ++i) {
    const auto& p = s.positions[static_cast<size_t>(i)];
    put(row + 1 + i, 0,
        fmt::format(" {:<{}} {:<3} {:>9} {:>7} {:>10} {:>10}", fit(p.name, static_cast<size_t>(name_width)),
                    name_width, p.row.outcome == 0 ? "yes" : "no", decimal_text(p.row.quantity / 10'000, 2),
                    decimal_text(p.row.avg_price_ticks, Price::kDecimals), dollars(p.row.realized_micros),
                    dollars(p.row.unrealized_micros)),
        p.row.unrealized_micros < 0 ? color(kRed) : color(kGreen));
  }
  return row + 1 + rows;
}

void draw_pnl_and_risk(int row, const shm::Snapshot& s) {
  const auto& a = s.account;
  put(row, 0,
      fmt::format(" P&L  capital {}  real {}  unreal {}  day {}  dd {:.2f}%  pos {}", cents(a.capital_micros),
                  dollars(a.realized_micros), dollars(a.unrealized_micros), dollars(a.daily_pnl_micros),
                  a.drawdown_pct, s.positions.size()),
      A_BOLD);
  std::string breakers;
  for (const std::string& b : s.tripped_breakers())
    breakers += (breakers.empty() ? "" : ",") + b;
  const std::string label = " RISK breakers ";
  put(row + 1, 0, label, A_BOLD);
  put(row + 1, static_cast<int>(label.size()), breakers.empty() ? "ok" : breakers,
      breakers.empty() ? color(kGreen) : color(kRed) | A_BOLD);
  put(row + 1, static_cast<int>(label.size() + std::max<size_t>(breakers.size(), 2)),
      fmt::format("  losses {}  daily loss {}  orders {}  exposure {}", s.risk.consecutive_losses,
                  cents(s.risk.daily_loss_micros), s.risk.open_orders, cents(s.risk.exposure_micros)));
}

void draw_footer(const View& view) {
  const int row = LINES - 2;
  switch (view.prompt) {
    case View::Prompt::confirm_kill:
      put(row, 0, " KILL SWITCH: halt trading now? [y/N] ", color(kRed) | A_BOLD | A_REVERSE);
      break;
    case View::Prompt::filter:
      put(row, 0, " filter (Enter apply, Esc cancel): " + printable(view.input) + "_", A_BOLD);
      break;
    case View::Prompt::none:
      if (!view.message.empty())
        put(row, 0, " " + printable(view.message), view.message_is_error ? color(kRed) | A_BOLD : A_BOLD);
      break;
  }
  heading_line(
      LINES - 1, 0, COLS,
      fmt::format(" q quit  k kill switch  s sort ({})  / filter{}  refresh {}s", to_string(view.sort),
                  view.filter.empty() ? "" : " (" + printable(view.filter) + ")", view.refresh_s));
}

}  // namespace

void init_colors() {
  if (!has_colors()) return;
  start_color();
  use_default_colors();
  init_pair(kRed, COLOR_RED, -1);
  init_pair(kGreen, COLOR_GREEN, -1);
  init_pair(kHeading, COLOR_BLACK, COLOR_CYAN);
  init_pair(kYellow, COLOR_YELLOW, -1);
}

void render(const shm::Snapshot& s, const shm::Rates* r, const View& view) {
  erase();
  draw_header(s);
  // Fixed rows at 80x24: header 2, threads 1+4, latency 1+6, markets 1+5, P&L + risk 2, footer 2.
  const int extra = std::max(LINES - 24, 0);
  const int thread_rows = std::clamp(static_cast<int>(std::max(s.threads.size(), s.rings.size())), 1, 4);
  const int stat_rows =
      std::max(static_cast<int>(shm::kStageCount),
               std::min(static_cast<int>(s.counters.size()), static_cast<int>(shm::kStageCount) + extra / 4));
  const int left = extra - (stat_rows - static_cast<int>(shm::kStageCount)) + (4 - thread_rows);
  const int position_rows =
      s.positions.empty() || left < 4 ? 0 : std::min(static_cast<int>(s.positions.size()), left / 3);
  const int market_rows = 5 + left - (position_rows > 0 ? position_rows + 1 : 0);

  int row = draw_threads_and_rings(2, thread_rows, s, r);
  row = draw_latency_and_counters(row, stat_rows, s, r);
  row = draw_markets(row, market_rows, s, r, view);
  if (position_rows > 0) row = draw_positions(row, position_rows, s);
  draw_pnl_and_risk(row, s);
  draw_footer(view);
  refresh();
}

void render_waiting(const std::string& instance, const std::string& detail, const View& view) {
  erase();
  put(0, 0, " shm-top  " + printable(instance), A_BOLD);
  put(LINES / 2 - 1, 2, "waiting for engine " + printable(instance) + "...", A_BOLD);
  put(LINES / 2 + 1, 2, printable(detail), A_DIM);
  draw_footer(view);
  refresh();
}

}  // namespace pmx::top
