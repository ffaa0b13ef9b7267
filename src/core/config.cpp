#include "pmx/core/config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <type_traits>
#include <utility>
#include <variant>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "pmx/core/decimal.h"

namespace pmx {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxUsd = 1e9;  // upper bound of every money key; keeps micros exact in a double

// ---- The key table ----
//
// One row per key. The key's dotted name is also its member path in Config (PMX_KEY stringifies
// the path), so the file, the struct and the messages cannot disagree on a name.

using FieldRef =
    std::variant<bool*, int*, uint64_t*, double*, Money*, std::string*, std::vector<std::string>*,
                 ThreadLayout*, LogLevel*, TradingMode*, KalmanInput*, PinPlan*>;

struct Rule {
  // Numbers, money (in dollars) and integers: lo/hi bounds, infinite = unbounded.
  double lo = -kInf;
  double hi = kInf;
  bool lo_open = false;
  bool hi_open = false;
  // Strings and list items: a predicate and what it allows ("a ws:// or wss:// URL").
  bool (*text_ok)(std::string_view) = nullptr;
  std::string_view text_allowed;
};

struct KeyDef {
  std::string_view key;
  FieldRef (*field)(Config&);
  Rule rule;
};

constexpr Rule closed(double lo, double hi) {
  return Rule{lo, hi, false, false, nullptr, {}};
}
constexpr Rule at_least(double lo) {
  return Rule{lo, kInf, false, false, nullptr, {}};
}
constexpr Rule above(double lo) {
  return Rule{lo, kInf, true, false, nullptr, {}};
}
constexpr Rule pct() {
  return Rule{0, 100, true, false, nullptr, {}};
}  // (0, 100]
constexpr Rule pct_or_zero() {
  return closed(0, 100);
}  // [0, 100]
constexpr Rule fraction() {
  return Rule{0, 1, true, false, nullptr, {}};
}  // (0, 1]
constexpr Rule usd() {
  return Rule{0, kMaxUsd, true, false, nullptr, {}};
}  // (0, 1e9]
constexpr Rule usd_or_zero() {
  return closed(0, kMaxUsd);
}  // [0, 1e9]
constexpr Rule text(bool (*ok)(std::string_view), std::string_view allowed) {
  return Rule{-kInf, kInf, false, false, ok, allowed};
}

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}
bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= ' '; });
}
bool url_with(std::string_view s, std::initializer_list<std::string_view> schemes) {
  if (has_space_or_control(s)) return false;
  return std::any_of(schemes.begin(), schemes.end(),
                     [&](std::string_view p) { return s.size() > p.size() && s.substr(0, p.size()) == p; });
}
bool ok_ws_url(std::string_view s) {
  return url_with(s, {"ws://", "wss://"});
}
bool ok_http_url(std::string_view s) {
  return url_with(s, {"http://", "https://"});
}
bool ok_optional_http_url(std::string_view s) {
  return s.empty() || ok_http_url(s);
}
bool ok_instance(std::string_view s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}
bool ok_non_empty(std::string_view s) {
  return !s.empty() && s.find('\n') == std::string_view::npos;
}
bool ok_token(std::string_view s) {
  return !s.empty() && !has_space_or_control(s) && s.find(',') == s.npos;
}
bool ok_no_control(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < ' '; });
}
bool ok_private_key(std::string_view s) {
  if (s.empty()) return true;
  if (s.substr(0, 2) == "0x") s.remove_prefix(2);
  return s.size() == 64 && is_hex(s);
}
bool ok_address(std::string_view s) {
  return s.empty() || (s.size() == 42 && s.substr(0, 2) == "0x" && is_hex(s.substr(2)));
}

#define PMX_KEY(path) #path, [](Config & c) -> FieldRef { return &c.path; }

const std::vector<KeyDef>& key_defs() {
  static const std::vector<KeyDef> defs = {
      {PMX_KEY(engine.instance), text(ok_instance, "1 to 32 characters of A-Z a-z 0-9 _ -")},
      {PMX_KEY(engine.thread_layout), {}},
      {PMX_KEY(engine.pin), {}},
      {PMX_KEY(engine.sched_fifo), {}},
      {PMX_KEY(engine.fifo_priority), closed(1, 99)},
      {PMX_KEY(engine.mlockall), {}},
      {PMX_KEY(engine.database_path), text(ok_non_empty, "a non-empty path")},
      {PMX_KEY(engine.log_level), {}},
      {PMX_KEY(engine.mode), {}},
      {PMX_KEY(engine.price_sample_interval_s), closed(0, 86'400)},

      {PMX_KEY(venues.kalshi.enabled), {}},
      {PMX_KEY(venues.kalshi.ws_url), text(ok_ws_url, "a ws:// or wss:// URL")},
      {PMX_KEY(venues.kalshi.rest_url), text(ok_http_url, "an http:// or https:// URL")},
      {PMX_KEY(venues.kalshi.api_key_id), text(ok_no_control, "a string")},
      {PMX_KEY(venues.kalshi.private_key_path), text(ok_no_control, "a path")},
      {PMX_KEY(venues.kalshi.series), text(ok_token, "a series ticker")},
      {PMX_KEY(venues.kalshi.use_yes_price), {}},

      {PMX_KEY(venues.polymarket.enabled), {}},
      {PMX_KEY(venues.polymarket.ws_url), text(ok_ws_url, "a ws:// or wss:// URL")},
      {PMX_KEY(venues.polymarket.rest_url), text(ok_http_url, "an http:// or https:// URL")},
      {PMX_KEY(venues.polymarket.gamma_url), text(ok_http_url, "an http:// or https:// URL")},
      {PMX_KEY(venues.polymarket.private_key),
       text(ok_private_key, "empty or 64 hex digits, optionally prefixed 0x")},
      {PMX_KEY(venues.polymarket.funder), text(ok_address, "empty or a 0x address of 40 hex digits")},
      {PMX_KEY(venues.polymarket.assets_per_connection), closed(1, 10'000)},
      {PMX_KEY(venues.polymarket.ping_interval_s), closed(1, 3600)},

      {PMX_KEY(paper.seed), at_least(0)},
      {PMX_KEY(paper.latency_min_ms), closed(0, 60'000)},
      {PMX_KEY(paper.latency_max_ms), closed(0, 60'000)},
      {PMX_KEY(paper.max_slippage_pct), pct_or_zero()},

      {PMX_KEY(risk.starting_capital), usd()},
      {PMX_KEY(risk.max_drawdown_pct), pct()},
      {PMX_KEY(risk.daily_loss_limit_pct), pct()},
      {PMX_KEY(risk.max_consecutive_losses), closed(1, 1000)},
      {PMX_KEY(risk.loss_cooldown_s), closed(0, 604'800)},
      {PMX_KEY(risk.max_position_pct), pct()},
      {PMX_KEY(risk.max_total_exposure_pct), pct()},
      {PMX_KEY(risk.max_correlated_exposure_pct), pct()},
      {PMX_KEY(risk.max_concurrent_positions), closed(1, 10'000)},
      {PMX_KEY(risk.trade_cooldown_s), closed(0, 86'400)},
      {PMX_KEY(risk.max_order_notional), usd()},
      {PMX_KEY(risk.max_orders_per_minute), closed(1, 100'000)},
      {PMX_KEY(risk.stale_feed_ms), closed(1, 3'600'000)},
      {PMX_KEY(risk.max_api_error_rate_pct), pct()},

      {PMX_KEY(grinding.enabled), {}},
      {PMX_KEY(grinding.base_threshold), Rule{0, 1, true, true, nullptr, {}}},
      {PMX_KEY(grinding.window_hours), closed(1, 24)},
      {PMX_KEY(grinding.min_ev_base), Rule{0, 1, false, true, nullptr, {}}},
      {PMX_KEY(grinding.min_liquidity), usd_or_zero()},

      {PMX_KEY(arbitrage.bundle_enabled), {}},
      {PMX_KEY(arbitrage.cross_venue_enabled), {}},
      {PMX_KEY(arbitrage.monotonicity_enabled), {}},
      {PMX_KEY(arbitrage.min_profit_per_set), Rule{0, 1, false, true, nullptr, {}}},
      {PMX_KEY(arbitrage.min_leg_liquidity), usd_or_zero()},
      {PMX_KEY(arbitrage.lot), closed(0.000001, 1'000'000)},
      {PMX_KEY(arbitrage.max_levels), closed(1, 1024)},
      {PMX_KEY(arbitrage.cross_venue_pairs), text(ok_no_control, "a path (empty: no pairs)")},

      {PMX_KEY(kalman.initial_variance), above(0)},
      {PMX_KEY(kalman.measurement_noise), above(0)},
      {PMX_KEY(kalman.base_process_noise), above(0)},
      {PMX_KEY(kalman.expiry_multiplier), at_least(1)},
      {PMX_KEY(kalman.input), {}},

      {PMX_KEY(kelly.fraction), fraction()},
      {PMX_KEY(kelly.recovery_fraction), fraction()},
      {PMX_KEY(kelly.recovery_drawdown_pct), pct()},
      {PMX_KEY(kelly.min_trade_fraction), closed(0, 1)},
      {PMX_KEY(kelly.max_trade_fraction), fraction()},

      {PMX_KEY(execution.small_order_usd), usd()},
      {PMX_KEY(execution.medium_order_usd), usd()},
      {PMX_KEY(execution.limit_offset_pct), pct_or_zero()},
      {PMX_KEY(execution.limit_timeout_s), closed(1, 86'400)},
      {PMX_KEY(execution.twap_chunks), closed(1, 1000)},
      {PMX_KEY(execution.twap_interval_s), closed(1, 86'400)},
      {PMX_KEY(execution.max_slippage_pct), pct_or_zero()},
      {PMX_KEY(execution.min_depth_usd), usd_or_zero()},
      {PMX_KEY(execution.iceberg), {}},

      {PMX_KEY(thesis_invalidation.min_samples), closed(2, 1'000'000)},
      {PMX_KEY(thesis_invalidation.zscore_threshold), above(0)},
      {PMX_KEY(thesis_invalidation.volume_ratio_threshold), above(0)},
      {PMX_KEY(thesis_invalidation.baseline_window), closed(2, 1'000'000)},

      {PMX_KEY(alerts.discord_webhook_url),
       text(ok_optional_http_url, "empty or an http:// or https:// URL")},
      {PMX_KEY(alerts.max_per_minute), closed(1, 600)},
      {PMX_KEY(alerts.on_trade), {}},
      {PMX_KEY(alerts.on_opportunity), {}},
      {PMX_KEY(alerts.on_position_closed), {}},
      {PMX_KEY(alerts.on_circuit_breaker), {}},
      {PMX_KEY(alerts.on_error), {}},
      {PMX_KEY(alerts.daily_summary_hour_utc), closed(0, 23)},

      {PMX_KEY(dashboard.port), closed(1, 65'535)},
      {PMX_KEY(dashboard.bind), text(ok_token, "a host name or IP address")},
  };
  return defs;
}

#undef PMX_KEY

const KeyDef* find_key(std::string_view key) {
  for (const KeyDef& d : key_defs()) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

std::string_view section_of(std::string_view key) {
  return key.substr(0, key.rfind('.'));
}

// Every section name and its parents: engine, venues, venues.kalshi, ...
bool is_section(std::string_view name) {
  for (const KeyDef& d : key_defs()) {
    std::string_view s = section_of(d.key);
    while (true) {
      if (s == name) return true;
      std::size_t dot = s.rfind('.');
      if (dot == std::string_view::npos) break;
      s = s.substr(0, dot);
    }
  }
  return false;
}

std::vector<std::string_view> section_names() {
  std::vector<std::string_view> out;
  for (const KeyDef& d : key_defs()) {
    if (out.empty() || out.back() != section_of(d.key)) out.push_back(section_of(d.key));
  }
  return out;
}

bool key_is_runtime(std::string_view key) {
  constexpr std::string_view kPrefixes[] = {
      "risk.", "grinding.", "kelly.", "execution.", "thesis_invalidation.", "alerts.on_"};
  return std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                     [&](std::string_view p) { return key.substr(0, p.size()) == p; });
}

bool key_is_secret(std::string_view key) {
  return key.find("private_key") != std::string_view::npos || key == "alerts.discord_webhook_url";
}

// ---- Text helpers ----

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A value as shown in a message: control characters escaped so the message stays one line.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out;
}

std::string toml_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\u{:04x}", u);
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string format_double(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";  // 'n': inf, nan
  return s;
}

// Money as the shortest exact decimal, at least one fractional digit ("500.0", "0.005").
std::string money_text(Money m) {
  char buf[kMaxFixedChars];
  return std::string(pmx::format_money(m, 1, buf, sizeof buf));
}

// ---- Reading one value ----
//
// A value arrives either as a typed TOML node (the file) or as text (environment, pmx-ctl).

struct Input {
  const toml::node* node = nullptr;  // set: a TOML value
  std::string_view text;             // otherwise: text
};

std::string describe(const Input& in, bool secret) {
  if (secret) return "<redacted>";
  if (!in.node) return printable(in.text);
  if (const auto* s = in.node->as_string()) return printable(toml_quote(s->get()));
  if (in.node->is_table()) return "{...}";
  std::ostringstream os;
  in.node->visit([&](const auto& n) { os << n; });
  return printable(os.str());
}

bool read_bool(const Input& in, bool& out) {
  if (in.node) {
    if (const auto* b = in.node->as_boolean()) {
      out = b->get();
      return true;
    }
    return false;
  }
  const std::string t = lower(in.text);
  if (t == "true" || t == "yes" || t == "1") {
    out = true;
  } else if (t == "false" || t == "no" || t == "0") {
    out = false;
  } else {
    return false;
  }
  return true;
}

bool read_int(const Input& in, int64_t& out) {
  if (in.node) {
    if (const auto* i = in.node->as_integer()) {
      out = i->get();
      return true;
    }
    return false;
  }
  auto [end, ec] = std::from_chars(in.text.data(), in.text.data() + in.text.size(), out);
  return !in.text.empty() && ec == std::errc{} && end == in.text.data() + in.text.size();
}

bool read_double(const Input& in, double& out) {
  if (in.node) {
    if (const auto* i = in.node->as_integer()) {
      out = static_cast<double>(i->get());
    } else if (const auto* f = in.node->as_floating_point()) {
      out = f->get();
    } else {
      return false;
    }
  } else {
    auto [end, ec] = std::from_chars(in.text.data(), in.text.data() + in.text.size(), out);
    if (in.text.empty() || ec != std::errc{} || end != in.text.data() + in.text.size()) return false;
  }
  return std::isfinite(out);
}

bool read_money(const Input& in, Money& out) {
  if (!in.node) return parse_money(in.text, out) == DecimalError::ok;
  if (const auto* i = in.node->as_integer()) {
    if (i->get() > 999'999'999'999 || i->get() < -999'999'999'999) return false;
    out = Money::dollars(i->get());
    return true;
  }
  if (const auto* f = in.node->as_floating_point()) {
    // The shortest text that reads back as the same double is the decimal the file spelled
    // (for up to 15 significant digits), so parse that exactly.
    return std::isfinite(f->get()) && parse_money(fmt::format("{}", f->get()), out) == DecimalError::ok;
  }
  return false;
}

bool read_string(const Input& in, std::string& out) {
  if (!in.node) {
    out = std::string(in.text);
    return true;
  }
  if (const auto* s = in.node->as_string()) {
    out = s->get();
    return true;
  }
  return false;
}

bool read_list(const Input& in, std::vector<std::string>& out) {
  out.clear();
  if (in.node) {
    const auto* arr = in.node->as_array();
    if (!arr) return false;
    for (const toml::node& item : *arr) {
      const auto* s = item.as_string();
      if (!s) return false;
      out.push_back(s->get());
    }
    return true;
  }
  std::string_view rest = in.text;
  if (rest.find_first_not_of(' ') == std::string_view::npos) return true;  // empty list
  while (true) {
    const std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return true;
}

template <class E>
constexpr const auto& enum_names() {
  if constexpr (std::is_same_v<E, ThreadLayout>) return kThreadLayoutNames;
  if constexpr (std::is_same_v<E, LogLevel>) return kLogLevelNames;
  if constexpr (std::is_same_v<E, TradingMode>) return kTradingModeNames;
  if constexpr (std::is_same_v<E, KalmanInput>) return kKalmanInputNames;
}

// ---- Rules per field type ----

std::string bounds_text(const Rule& r) {
  const bool has_lo = std::isfinite(r.lo);
  const bool has_hi = std::isfinite(r.hi);
  if (has_lo && has_hi) {
    return fmt::format("in {}{}, {}{}", r.lo_open ? '(' : '[', r.lo, r.hi, r.hi_open ? ')' : ']');
  }
  if (has_lo) return fmt::format("{} {}", r.lo_open ? ">" : ">=", r.lo);
  if (has_hi) return fmt::format("{} {}", r.hi_open ? "<" : "<=", r.hi);
  return "";
}

bool within(double v, const Rule& r) {
  const bool lo_ok = r.lo_open ? v > r.lo : v >= r.lo;
  const bool hi_ok = r.hi_open ? v < r.hi : v <= r.hi;
  return lo_ok && hi_ok;
}

std::string allowed_text(const FieldRef& field, const Rule& rule) {
  return std::visit(
      [&](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, bool>) {
          return "true or false";
        } else if constexpr (std::is_integral_v<T>) {
          return "an integer " + bounds_text(rule);
        } else if constexpr (std::is_same_v<T, double>) {
          return "a number " + bounds_text(rule);
        } else if constexpr (std::is_same_v<T, Money>) {
          return "an amount in USD " + bounds_text(rule) + " with at most 6 decimals";
        } else if constexpr (std::is_same_v<T, std::string>) {
          return std::string(rule.text_allowed);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          return fmt::format("a list of strings, each {}", rule.text_allowed);
        } else if constexpr (std::is_same_v<T, PinPlan>) {
          return "a pin spec role=cpu[,role=cpu...] over the CPUs this process may use";
        } else {
          return fmt::format("one of {}", fmt::join(enum_names<T>(), ", "));
        }
      },
      field);
}

// Whether a value already in a Config satisfies its key's rule (validate_config).
bool value_ok(const FieldRef& field, const Rule& rule, std::string* pin_error) {
  return std::visit(
      [&](auto* p) -> bool {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, bool>) {
          return true;
        } else if constexpr (std::is_integral_v<T> || std::is_same_v<T, double>) {
          return std::isfinite(static_cast<double>(*p)) && within(static_cast<double>(*p), rule);
        } else if constexpr (std::is_same_v<T, Money>) {
          return within(static_cast<double>(p->micros) / Money::kMicrosPerDollar, rule);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return !rule.text_ok || rule.text_ok(*p);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          return std::all_of(p->begin(), p->end(), rule.text_ok);
        } else if constexpr (std::is_same_v<T, PinPlan>) {
          PinSpecResult r = parse_pin_spec(p->to_string(), allowed_cpus());
          if (!r.ok() && pin_error) *pin_error = r.error;
          return r.ok();
        } else {
          return static_cast<std::size_t>(*p) < enum_names<T>().size();
        }
      },
      field);
}

// Reads `in` into a candidate of the field's type, checks it, and assigns it. Returns "" or the
// reason ("must be ...").
std::string assign(Config& config, const KeyDef& def, const Input& in) {
  const FieldRef field = def.field(config);
  std::string pin_error;
  const bool ok = std::visit(
      [&](auto* p) -> bool {
        using T = std::remove_pointer_t<decltype(p)>;
        T candidate{};
        bool read = false;
        if constexpr (std::is_same_v<T, bool>) {
          read = read_bool(in, candidate);
        } else if constexpr (std::is_integral_v<T>) {
          int64_t v = 0;
          read = read_int(in, v) && within(static_cast<double>(v), def.rule);
          if (read) candidate = static_cast<T>(v);  // in range: the bounds fit T
        } else if constexpr (std::is_same_v<T, double>) {
          read = read_double(in, candidate);
        } else if constexpr (std::is_same_v<T, Money>) {
          read = read_money(in, candidate);
        } else if constexpr (std::is_same_v<T, std::string>) {
          read = read_string(in, candidate);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          read = read_list(in, candidate);
        } else if constexpr (std::is_same_v<T, PinPlan>) {
          std::string spec;
          if (!read_string(in, spec)) return false;
          PinSpecResult r = parse_pin_spec(spec, allowed_cpus());
          if (!r.ok()) {
            pin_error = r.error;
            return false;
          }
          candidate = r.plan;
          read = true;
        } else {
          std::string name;
          read = false;
          if (read_string(in, name)) {
            const auto& names = enum_names<T>();
            auto it = std::find(names.begin(), names.end(), name);
            if (it != names.end()) {
              candidate = static_cast<T>(it - names.begin());
              read = true;
            }
          }
        }
        if (!read) return false;
        if (!value_ok(FieldRef{&candidate}, def.rule, nullptr)) return false;
        *p = std::move(candidate);
        return true;
      },
      field);
  if (ok) return {};
  if (!pin_error.empty()) return pin_error;
  return "must be " + allowed_text(field, def.rule);
}

std::string literal(const FieldRef& field, bool redact) {
  return std::visit(
      [&](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, bool>) {
          return *p ? "true" : "false";
        } else if constexpr (std::is_integral_v<T>) {
          return std::to_string(*p);
        } else if constexpr (std::is_same_v<T, double>) {
          return format_double(*p);
        } else if constexpr (std::is_same_v<T, Money>) {
          return money_text(*p);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return redact && !p->empty() ? toml_quote("<redacted>") : toml_quote(*p);
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string out = "[";
          for (std::size_t i = 0; i < p->size(); ++i)
            out += (i ? ", " : "") + toml_quote((*p)[i]);
          return out + "]";
        } else if constexpr (std::is_same_v<T, PinPlan>) {
          return toml_quote(p->to_string());
        } else {
          return toml_quote(to_string(*p));
        }
      },
      field);
}

double numeric(const FieldRef& field) {
  return std::visit(
      [](auto* p) -> double {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, Money>) {
          return static_cast<double>(p->micros);
        } else if constexpr (std::is_arithmetic_v<T>) {
          return static_cast<double>(*p);
        } else {
          return 0;
        }
      },
      field);
}

// ---- Cross-field rules ----

struct Relation {
  std::string_view a;
  std::string_view b;
  bool strict;  // a < b, else a <= b
};

constexpr Relation kRelations[] = {
    {"execution.small_order_usd", "execution.medium_order_usd", true},
    {"paper.latency_min_ms", "paper.latency_max_ms", false},
    {"kelly.min_trade_fraction", "kelly.max_trade_fraction", false},
    {"kelly.recovery_fraction", "kelly.fraction", false},
    {"risk.max_position_pct", "risk.max_total_exposure_pct", false},
    {"risk.max_correlated_exposure_pct", "risk.max_total_exposure_pct", false},
    {"thesis_invalidation.min_samples", "thesis_invalidation.baseline_window", false},
};

struct Violation {
  std::string key;      // the key the message is phrased around
  std::string message;  // "key = value: must be ..."
};

// Checks every relation; phrases a violation around the side `touched` says the user set
// (side a when both or neither).
std::optional<Violation> cross_check(const Config& config,
                                     const std::function<bool(std::string_view)>& touched) {
  Config copy = config;
  for (const Relation& r : kRelations) {
    const KeyDef* a = find_key(r.a);
    const KeyDef* b = find_key(r.b);
    const double va = numeric(a->field(copy));
    const double vb = numeric(b->field(copy));
    if (r.strict ? va < vb : va <= vb) continue;
    const std::string la = literal(a->field(copy), true);
    const std::string lb = literal(b->field(copy), true);
    if (touched(r.b) && !touched(r.a)) {
      return Violation{std::string(r.b), fmt::format("{} = {}: must be {} {} ({})", r.b, lb,
                                                     r.strict ? "greater than" : "at least", r.a, la)};
    }
    return Violation{std::string(r.a), fmt::format("{} = {}: must be {} {} ({})", r.a, la,
                                                   r.strict ? "less than" : "at most", r.b, lb)};
  }
  return std::nullopt;
}

// ---- Suggestions for typos ----

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string unknown_key_message(std::string_view key) {
  const KeyDef* best = nullptr;
  std::size_t best_distance = 5;  // suggest only close matches: at most 4 edits, a third of the name
  for (const KeyDef& d : key_defs()) {
    const std::size_t dist = edit_distance(key, d.key);
    if (dist < best_distance && dist * 3 <= key.size()) {
      best = &d;
      best_distance = dist;
    }
  }
  if (best) return fmt::format("{}: unknown key (did you mean {}?)", printable(key), best->key);
  return fmt::format("{}: unknown key", printable(key));
}

// ---- Loading ----

class Loader {
 public:
  Loader(std::string origin, const EnvLookup& env) : origin_(std::move(origin)), env_(env) {}

  Config run(const toml::table* file) {
    if (file) apply_table(*file, "");
    apply_environment();
    auto touched = [&](std::string_view key) { return origins_.count(std::string(key)) > 0; };
    if (auto v = cross_check(config_, touched)) {
      auto it = origins_.find(v->key);
      fail(it != origins_.end() ? it->second : origin_, v->message);
    }
    return config_;
  }

 private:
  [[noreturn]] static void fail(std::string_view where, std::string_view message) {
    throw ConfigError(fmt::format("{}: {}", where, message));
  }

  std::string at(const toml::source_region& src) const {
    return fmt::format("{}:{}", origin_, src.begin.line);
  }

  void apply_table(const toml::table& table, const std::string& prefix) {
    for (auto&& [k, node] : table) {
      const std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
      const std::string where = at(k.source());
      if (is_section(name)) {
        const auto* sub = node.as_table();
        if (!sub) fail(where, fmt::format("{}: must be a table ([{}])", name, name));
        apply_table(*sub, name);
        continue;
      }
      const KeyDef* def = find_key(name);
      if (!def) {
        if (node.is_table()) {
          fail(where, fmt::format("[{}]: unknown section (sections: {})", printable(name),
                                  fmt::join(section_names(), ", ")));
        }
        fail(where, unknown_key_message(name));
      }
      const std::string reason = assign(config_, *def, Input{&node, {}});
      if (!reason.empty()) {
        fail(where,
             fmt::format("{} = {}: {}", name, describe(Input{&node, {}}, key_is_secret(name)), reason));
      }
      origins_[name] = where;
    }
  }

  void apply_environment() {
    for (const ConfigEnvOverride& o : config_env_overrides()) {
      const std::string variable(o.variable);
      const char* raw = env_(variable.c_str());
      if (!raw || !*raw) continue;
      const std::string where = "environment " + variable;
      std::string_view text = raw;
      if (o.variable == "DRY_RUN") {
        bool dry = false;
        if (!read_bool(Input{nullptr, text}, dry)) {
          fail(where,
               fmt::format("DRY_RUN = {}: must be true, 1 or yes (paper mode) or false, 0 or no (live mode)",
                           printable(text)));
        }
        text = dry ? "paper" : "live";
      }
      const KeyDef* def = find_key(o.key);
      const std::string reason = assign(config_, *def, Input{nullptr, text});
      if (!reason.empty()) {
        fail(where,
             fmt::format("{} = {}: {}", o.key, describe(Input{nullptr, text}, key_is_secret(o.key)), reason));
      }
      origins_[std::string(o.key)] = where;
    }
  }

  std::string origin_;
  const EnvLookup& env_;
  Config config_;
  std::map<std::string, std::string, std::less<>> origins_;  // key -> "file:line" / "environment X"
};

Config load_parsed(const std::string& origin, std::string_view text, const EnvLookup& env) {
  toml::table table;
  try {
    table = toml::parse(text, std::string_view{origin});
  } catch (const toml::parse_error& e) {
    std::string description(e.description());
    std::replace(description.begin(), description.end(), '\n', ' ');
    throw ConfigError(
        fmt::format("{}:{}:{}: {}", origin, e.source().begin.line, e.source().begin.column, description));
  }
  return Loader(origin, env).run(&table);
}

}  // namespace

const char* process_env(const char* name) {
  return std::getenv(name);
}

Config load_config(const std::filesystem::path& file, const EnvLookup& env) {
  if (file.empty()) return Loader("defaults", env).run(nullptr);
  const std::string origin = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot read: {}", origin, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  return load_parsed(origin, text.str(), env);
}

Config load_config_from_string(std::string_view toml_text, std::string_view origin, const EnvLookup& env) {
  return load_parsed(std::string(origin), toml_text, env);
}

ConfigStatus set_config_key(Config& config, std::string_view dotted_key, std::string_view value_text) {
  const KeyDef* def = find_key(dotted_key);
  if (!def) return {unknown_key_message(dotted_key)};
  Config updated = config;
  const Input in{nullptr, value_text};
  std::string reason = assign(updated, *def, in);
  if (!reason.empty()) {
    return {fmt::format("{} = {}: {}", dotted_key, describe(in, key_is_secret(dotted_key)), reason)};
  }
  if (auto v = cross_check(updated, [&](std::string_view k) { return k == dotted_key; })) return {v->message};
  config = std::move(updated);
  return {};
}

std::optional<std::string> config_value(const Config& config, std::string_view dotted_key,
                                        bool redact_secrets) {
  const KeyDef* def = find_key(dotted_key);
  if (!def) return std::nullopt;
  Config copy = config;
  return literal(def->field(copy), redact_secrets && key_is_secret(dotted_key));
}

ConfigStatus validate_config(const Config& config) {
  Config copy = config;
  for (const KeyDef& d : key_defs()) {
    const FieldRef field = d.field(copy);
    std::string pin_error;
    if (!value_ok(field, d.rule, &pin_error)) {
      const std::string shown = key_is_secret(d.key) ? "<redacted>" : literal(field, false);
      return {fmt::format("{} = {}: {}", d.key, printable(shown),
                          pin_error.empty() ? "must be " + allowed_text(field, d.rule) : pin_error)};
    }
  }
  if (auto v = cross_check(copy, [](std::string_view) { return false; })) return {v->message};
  return {};
}

const std::vector<ConfigKeyInfo>& config_keys() {
  static const std::vector<ConfigKeyInfo> infos = [] {
    std::vector<ConfigKeyInfo> out;
    Config scratch;
    for (const KeyDef& d : key_defs()) {
      out.push_back(ConfigKeyInfo{std::string(d.key), allowed_text(d.field(scratch), d.rule),
                                  key_is_runtime(d.key), key_is_secret(d.key)});
    }
    return out;
  }();
  return infos;
}

bool is_runtime_key(std::string_view dotted_key) {
  return find_key(dotted_key) && key_is_runtime(dotted_key);
}

bool is_secret_key(std::string_view dotted_key) {
  return find_key(dotted_key) && key_is_secret(dotted_key);
}

const std::vector<ConfigEnvOverride>& config_env_overrides() {
  static const std::vector<ConfigEnvOverride> table = {
      {"DRY_RUN", "engine.mode"},
      {"DATABASE_PATH", "engine.database_path"},
      {"DASHBOARD_PORT", "dashboard.port"},
      {"MAX_DRAWDOWN_PCT", "risk.max_drawdown_pct"},
      {"STARTING_CAPITAL", "risk.starting_capital"},
      {"KALSHI_API_KEY_ID", "venues.kalshi.api_key_id"},
      {"KALSHI_PRIVATE_KEY_PATH", "venues.kalshi.private_key_path"},
      {"POLY_PRIVATE_KEY", "venues.polymarket.private_key"},
      {"POLY_FUNDER", "venues.polymarket.funder"},
      {"DISCORD_WEBHOOK_URL", "alerts.discord_webhook_url"},
  };
  return table;
}

std::string to_toml(const Config& config, bool redact_secrets) {
  Config copy = config;
  std::string out;
  std::string_view section;
  for (const KeyDef& d : key_defs()) {
    if (section_of(d.key) != section) {
      section = section_of(d.key);
      out += fmt::format("{}[{}]\n", out.empty() ? "" : "\n", section);
    }
    out += fmt::format("{} = {}\n", d.key.substr(section.size() + 1),
                       literal(d.field(copy), redact_secrets && key_is_secret(d.key)));
  }
  return out;
}

}  // namespace pmx
