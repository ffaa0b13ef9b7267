#include "prometheus.h"

#include <cmath>

#include <fmt/format.h>

#include "pmx/core/decimal.h"
#include "pmx/core/types.h"

namespace pmx::dash {

void append_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

namespace {

class Exposition {
 public:
  explicit Exposition(std::string_view instance) : instance_(instance) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  // name{instance="...",label="value"} value
  void sample(std::string_view name, std::string_view value, std::string_view label = {},
              std::string_view label_value = {}, std::string_view label2 = {},
              std::string_view label2_value = {}) {
    out_ += name;
    out_ += "{instance=\"";
    append_label_value(out_, instance_);
    out_ += '"';
    if (!label.empty()) add_label(label, label_value);
    if (!label2.empty()) add_label(label2, label2_value);
    out_ += "} ";
    out_ += value;
    out_ += '\n';
  }
  void gauge(std::string_view name, std::string_view help, std::string_view value) {
    family(name, "gauge", help);
    sample(name, value);
  }
  std::string take() { return std::move(out_); }

 private:
  void add_label(std::string_view label, std::string_view value) {
    out_ += ',';
    out_ += label;
    out_ += "=\"";
    append_label_value(out_, value);
    out_ += '"';
  }
  std::string instance_;
  std::string out_;
};

std::string u(uint64_t v) {
  return std::to_string(v);
}
std::string dollars(int64_t micros) {
  return decimal_text(micros, Money::kDecimals);
}
std::string seconds(int64_t nanos) {
  return decimal_text(nanos, 9);
}
// The exposition format spells the special values NaN, +Inf and -Inf.
std::string real(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

void engine_families(Exposition& e, const shm::Snapshot& s) {
  e.gauge("pmx_engine_heartbeat_age_seconds", "Seconds since the engine's last heartbeat.",
          seconds(s.engine.heartbeat_age_ns));
  e.gauge("pmx_engine_uptime_seconds", "Seconds since the engine started.", seconds(s.engine.uptime_ns));
  e.gauge("pmx_engine_halted", "1 while trading is halted (kill switch or breaker).",
          s.engine.halted ? "1" : "0");
  e.gauge("pmx_engine_live", "1 in live mode, 0 in paper mode.",
          s.engine.mode == shm::TradingMode::live ? "1" : "0");
  e.family("pmx_engine_commands_applied_total", "counter", "Control commands the engine acknowledged.");
  e.sample("pmx_engine_commands_applied_total", u(s.engine.commands_applied));

  e.family("pmx_counter_total", "counter",
           "The engine's named counters (messages, errors, orders, fills...).");
  for (const shm::Snapshot::Counter& c : s.counters)
    e.sample("pmx_counter_total", u(c.value), "name", c.name);

  e.family("pmx_latency_seconds", "summary",
           "Pipeline stage latency percentiles (log-linear histogram, <=0.78% error).");
  for (size_t k = 0; k < shm::kStageCount; ++k) {
    const shm::Snapshot::Latency& l = s.latency[k];
    const char* stage = shm::kStageNames[k];
    e.sample("pmx_latency_seconds", seconds(static_cast<int64_t>(l.p50)), "stage", stage, "quantile", "0.5");
    e.sample("pmx_latency_seconds", seconds(static_cast<int64_t>(l.p99)), "stage", stage, "quantile", "0.99");
    e.sample("pmx_latency_seconds", seconds(static_cast<int64_t>(l.p999)), "stage", stage, "quantile",
             "0.999");
    e.sample("pmx_latency_seconds_count", u(l.count), "stage", stage);
  }
  e.family("pmx_latency_max_seconds", "gauge", "Largest latency seen per stage.");
  for (size_t k = 0; k < shm::kStageCount; ++k)
    e.sample("pmx_latency_max_seconds", seconds(static_cast<int64_t>(s.latency[k].max)), "stage",
             shm::kStageNames[k]);

  e.family("pmx_ring_occupancy", "gauge", "Messages waiting in each ring.");
  for (const shm::Snapshot::Ring& r : s.rings)
    e.sample("pmx_ring_occupancy", u(r.occupancy), "ring", r.name);
  e.family("pmx_ring_high_water", "gauge", "Highest occupancy each ring has reached.");
  for (const shm::Snapshot::Ring& r : s.rings)
    e.sample("pmx_ring_high_water", u(r.high_water), "ring", r.name);
  e.family("pmx_ring_capacity", "gauge", "Capacity of each ring.");
  for (const shm::Snapshot::Ring& r : s.rings)
    e.sample("pmx_ring_capacity", u(r.capacity), "ring", r.name);

  e.family("pmx_thread_loops_total", "counter", "Loop iterations of each engine thread.");
  for (const shm::Snapshot::Thread& t : s.threads)
    e.sample("pmx_thread_loops_total", u(t.loops), "thread", t.name);
  e.family("pmx_thread_busy_seconds_total", "counter", "Time each engine thread spent doing work.");
  for (const shm::Snapshot::Thread& t : s.threads)
    e.sample("pmx_thread_busy_seconds_total", seconds(static_cast<int64_t>(t.busy_ns)), "thread", t.name);
}

void account_families(Exposition& e, const shm::Snapshot& s) {
  e.gauge("pmx_capital_dollars", "Capital (cash plus marked positions).", dollars(s.account.capital_micros));
  e.gauge("pmx_realized_pnl_dollars", "All-time realized P&L.", dollars(s.account.realized_micros));
  e.gauge("pmx_unrealized_pnl_dollars", "Unrealized P&L of open positions at mid.",
          dollars(s.account.unrealized_micros));
  e.gauge("pmx_daily_pnl_dollars", "Today's P&L.", dollars(s.account.daily_pnl_micros));
  e.gauge("pmx_drawdown_percent", "Drawdown from the capital peak.", real(s.account.drawdown_pct));
  e.gauge("pmx_open_positions", "Open positions.", u(s.account.open_positions));
  e.gauge("pmx_exposure_dollars", "Total exposure.", dollars(s.risk.exposure_micros));
  e.gauge("pmx_open_orders", "Orders working at the venues.", u(s.risk.open_orders));
  e.family("pmx_circuit_breaker_tripped", "gauge", "1 while a circuit breaker is tripped.");
  const uint32_t bits = s.risk.breakers;
  for (size_t k = 0; k < shm::kBreakerCount; ++k)
    e.sample("pmx_circuit_breaker_tripped", (bits >> k) & 1u ? "1" : "0", "breaker", shm::kBreakerNames[k]);
}

}  // namespace

std::string metrics_text(const shm::Snapshot* snapshot, std::string_view instance, const DashGauges& d) {
  Exposition e(instance);
  e.gauge("pmx_engine_up", "1 while an engine is attached and its process is alive.",
          snapshot != nullptr && snapshot->engine.alive ? "1" : "0");
  if (snapshot != nullptr) {
    engine_families(e, *snapshot);
    account_families(e, *snapshot);
  }
  e.family("pmx_dash_http_requests_total", "counter", "HTTP requests the dashboard answered.");
  e.sample("pmx_dash_http_requests_total", u(d.requests));
  e.family("pmx_dash_unauthorized_total", "counter",
           "Control requests refused for a missing or wrong token.");
  e.sample("pmx_dash_unauthorized_total", u(d.unauthorized));
  e.family("pmx_dash_bad_requests_total", "counter", "Malformed control requests refused.");
  e.sample("pmx_dash_bad_requests_total", u(d.bad_requests));
  e.family("pmx_dash_commands_total", "counter", "Control commands submitted to the engine.");
  e.sample("pmx_dash_commands_total", u(d.commands));
  e.gauge("pmx_dash_sse_clients", "Connected Server-Sent-Events clients.", u(d.sse_clients));
  e.family("pmx_dash_sse_events_total", "counter", "State events published to SSE clients.");
  e.sample("pmx_dash_sse_events_total", u(d.sse_published));
  e.family("pmx_dash_sse_dropped_total", "counter", "SSE clients dropped for falling behind.");
  e.sample("pmx_dash_sse_dropped_total", u(d.sse_dropped));
  e.family("pmx_dash_sse_refused_total", "counter", "SSE connections refused (too many clients).");
  e.sample("pmx_dash_sse_refused_total", u(d.sse_refused));
  e.family("pmx_dash_engine_attaches_total", "counter",
           "Times the dashboard attached to an engine (restarts + 1).");
  e.sample("pmx_dash_engine_attaches_total", u(d.engine_attaches));
  return e.take();
}

}  // namespace pmx::dash
