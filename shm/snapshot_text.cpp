// to_text(Snapshot): the plain-text report of pmx-ctl status and shm-top --once. Same units as
// the JSON (dollars, contracts), latencies for people.
#include <string>

#include <fmt/format.h>

#include "pmx/core/types.h"
#include "pmx/shm/snapshot.h"

namespace pmx::shm {
namespace {

std::string dollars(int64_t micros) {
  return decimal_text(micros, Money::kDecimals);
}

std::string side(int32_t ticks, int64_t size_units) {
  if (size_units <= 0) return "-";
  return fmt::format("{}x{}", decimal_text(ticks, Price::kDecimals),
                     decimal_text(size_units, Qty::kDecimals));
}

// Control characters from shared memory must not drive the terminal.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s)
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  return out;
}

}  // namespace

std::string to_text(const Snapshot& s) {
  std::string out;
  auto line = [&](const std::string& text) { out += text + "\n"; };

  line(fmt::format("engine {}  pid {}{}  mode {}  up {:.0f}s  heartbeat {}  commands {}",
                   printable(s.instance), s.engine.pid, s.engine.alive ? "" : " (not running)",
                   s.engine.mode == TradingMode::live ? "live" : "paper",
                   static_cast<double>(s.engine.uptime_ns) / 1e9,
                   format_duration_ns(
                       static_cast<uint64_t>(s.engine.heartbeat_age_ns < 0 ? 0 : s.engine.heartbeat_age_ns)),
                   s.engine.commands_applied));
  line(s.engine.halted ? "HALTED: " + printable(s.engine.halt_reason) : "trading: not halted");

  line("\nthreads                  cpu         loops       busy");
  for (const auto& t : s.threads)
    line(fmt::format("  {:<22} {:>3} {:>13} {:>10}", printable(t.name),
                     t.cpu < 0 ? std::string("-") : std::to_string(t.cpu), t.loops,
                     format_duration_ns(t.busy_ns)));

  line("\nrings                    occupancy   capacity  high-water");
  for (const auto& r : s.rings)
    line(fmt::format("  {:<22} {:>9} {:>10} {:>11}", printable(r.name), r.occupancy, r.capacity,
                     r.high_water));

  line("\nlatency              count       p50       p99     p99.9       max");
  for (size_t i = 0; i < kStageCount; ++i) {
    const auto& l = s.latency[i];
    line(fmt::format("  {:<19} {:>5} {:>9} {:>9} {:>9} {:>9}", kStageNames[i], l.count,
                     format_duration_ns(l.p50), format_duration_ns(l.p99), format_duration_ns(l.p999),
                     format_duration_ns(l.max)));
  }

  line("\ncounters");
  for (const auto& c : s.counters)
    line(fmt::format("  {:<32} {:>14}", printable(c.name), c.value));

  line(fmt::format("\nbooks ({})  bid and ask as price x contracts, in dollars", s.books.size()));
  for (const auto& b : s.books)
    line(fmt::format("  {:<10} {:<40} {:>16} {:>16}  fair {}{}", venue_name(b.venue), printable(b.name),
                     side(b.top.bid_ticks, b.top.bid_size), side(b.top.ask_ticks, b.top.ask_size),
                     b.top.fair_value > 0 ? fmt::format("{:.4f}", b.top.fair_value) : std::string("-"),
                     b.stale() ? "  STALE" : ""));

  line(fmt::format("\npositions ({})", s.positions.size()));
  for (const auto& p : s.positions)
    line(fmt::format("  {:<40} {:<3} qty {:>10} avg {:>7} realized {:>10} unrealized {:>10}",
                     printable(p.name), p.row.outcome == 0 ? "yes" : "no",
                     decimal_text(p.row.quantity, Qty::kDecimals),
                     decimal_text(p.row.avg_price_ticks, Price::kDecimals), dollars(p.row.realized_micros),
                     dollars(p.row.unrealized_micros)));

  line(fmt::format("\npnl  capital {}  realized {}  unrealized {}  daily {}  peak {}  drawdown {:.2f}%",
                   dollars(s.account.capital_micros), dollars(s.account.realized_micros),
                   dollars(s.account.unrealized_micros), dollars(s.account.daily_pnl_micros),
                   dollars(s.account.peak_micros), s.account.drawdown_pct));
  std::string breakers;
  for (const std::string& b : s.tripped_breakers())
    breakers += (breakers.empty() ? "" : ",") + b;
  line(fmt::format("risk breakers {}  consecutive_losses {}  daily_loss {}  open_orders {}  exposure {}",
                   breakers.empty() ? "none" : breakers, s.risk.consecutive_losses,
                   dollars(s.risk.daily_loss_micros), s.risk.open_orders, dollars(s.risk.exposure_micros)));
  line(fmt::format("recent: {} opportunities, {} orders", s.opportunities.size(), s.orders.size()));
  return out;
}

}  // namespace pmx::shm
