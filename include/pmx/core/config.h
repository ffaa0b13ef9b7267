// Engine configuration: one plain struct of section structs whose in-code defaults are the
// shipped config/paper.toml (paper trading against the loopback venue simulator, no credentials).
//
// Sources, later wins:  in-code defaults  <  TOML file  <  environment (see config_env_overrides()).
//
// Every key is set through one function, set_config_key(), which parses text and validates it;
// the TOML loader uses the same per-key rules with typed TOML values. Unknown keys and sections
// are refused, so a typo cannot be silently ignored. Every refusal is exactly one line naming the
// origin, the key, the value and what is allowed:
//
//   config/paper.toml:12: risk.max_drawdown_pct = 150: must be a number in (0, 100]
//   environment MAX_DRAWDOWN_PCT: risk.max_drawdown_pct = abc: must be a number in (0, 100]
//
// Units live in the key names (_ms, _s, _hours, _usd) or, for money, in the comment beside the
// field. *_pct keys are percentages 0-100; fractions and probabilities are 0-1.
//
// Secrets (venues.polymarket.private_key, alerts.discord_webhook_url and every key named
// *private_key*) are never printed: not by to_toml() unless asked, and never in an error message.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "pmx/core/thread.h"
#include "pmx/core/types.h"

namespace pmx {

enum class ThreadLayout : uint8_t {
  split,   // one thread per feed + strategy + gateway
  shared,  // feeds and strategy on one thread; gateway on its own
  single,  // everything on one thread (replay/backtest)
};
enum class LogLevel : uint8_t { trace, debug, info, warn, error };
enum class TradingMode : uint8_t { paper, live };
enum class KalmanInput : uint8_t { microprice, mid };

inline constexpr std::array<std::string_view, 3> kThreadLayoutNames = {"split", "shared", "single"};
inline constexpr std::array<std::string_view, 5> kLogLevelNames = {"trace", "debug", "info", "warn", "error"};
inline constexpr std::array<std::string_view, 2> kTradingModeNames = {"paper", "live"};
inline constexpr std::array<std::string_view, 2> kKalmanInputNames = {"microprice", "mid"};

constexpr std::string_view to_string(ThreadLayout v) noexcept {
  return kThreadLayoutNames[static_cast<int>(v)];
}
constexpr std::string_view to_string(LogLevel v) noexcept {
  return kLogLevelNames[static_cast<int>(v)];
}
constexpr std::string_view to_string(TradingMode v) noexcept {
  return kTradingModeNames[static_cast<int>(v)];
}
constexpr std::string_view to_string(KalmanInput v) noexcept {
  return kKalmanInputNames[static_cast<int>(v)];
}

struct EngineConfig {
  std::string instance = "pmx";  // shared-memory segment /pmx.<instance>
  ThreadLayout thread_layout = ThreadLayout::split;
  PinPlan pin;  // empty: no pinning
  bool sched_fifo = false;
  int fifo_priority = 50;  // 1..99
  bool mlockall = false;
  std::string database_path = "pmx.db";
  LogLevel log_level = LogLevel::info;
  TradingMode mode = TradingMode::paper;
  int price_sample_interval_s = 60;  // a price sample of every book this often; 0: none

  friend bool operator==(const EngineConfig&, const EngineConfig&) = default;
};

struct KalshiConfig {
  bool enabled = true;
  std::string ws_url = "ws://127.0.0.1:9101/trade-api/ws/v2";
  std::string rest_url = "http://127.0.0.1:9101/trade-api/v2";
  std::string api_key_id;
  std::string private_key_path;     // PEM file, 0600
  std::vector<std::string> series;  // series tickers to subscribe; empty = all open markets
  bool use_yes_price = false;

  friend bool operator==(const KalshiConfig&, const KalshiConfig&) = default;
};

struct PolymarketConfig {
  bool enabled = true;
  std::string ws_url = "ws://127.0.0.1:9102/ws/market";
  std::string rest_url = "http://127.0.0.1:9102";
  std::string gamma_url = "http://127.0.0.1:9102";
  std::string private_key;  // SECRET: hex secp256k1 key
  std::string funder;       // 0x address holding the funds
  int assets_per_connection = 200;
  int ping_interval_s = 10;

  friend bool operator==(const PolymarketConfig&, const PolymarketConfig&) = default;
};

struct VenuesConfig {
  KalshiConfig kalshi;
  PolymarketConfig polymarket;

  friend bool operator==(const VenuesConfig&, const VenuesConfig&) = default;
};

struct PaperConfig {
  uint64_t seed = 42;
  int latency_min_ms = 5;
  int latency_max_ms = 50;
  double max_slippage_pct = 0.5;

  friend bool operator==(const PaperConfig&, const PaperConfig&) = default;
};

struct RiskConfig {
  Money starting_capital = Money::dollars(10'000);
  double max_drawdown_pct = 20.0;
  double daily_loss_limit_pct = 5.0;
  int max_consecutive_losses = 3;
  int loss_cooldown_s = 3600;
  double max_position_pct = 10.0;
  double max_total_exposure_pct = 50.0;
  double max_correlated_exposure_pct = 25.0;
  int max_concurrent_positions = 20;
  int trade_cooldown_s = 60;
  Money max_order_notional = Money::dollars(500);
  int max_orders_per_minute = 60;
  int stale_feed_ms = 5000;
  double max_api_error_rate_pct = 20.0;

  friend bool operator==(const RiskConfig&, const RiskConfig&) = default;
};

struct GrindingConfig {
  bool enabled = true;
  double base_threshold = 0.90;  // probability; base + (1-base)(1-hours/24) within the window
  int window_hours = 24;
  double min_ev_base = 0.005;
  Money min_liquidity = Money::dollars(100);  // at the target price

  friend bool operator==(const GrindingConfig&, const GrindingConfig&) = default;
};

// The three set arbitrages (bundle, cross-venue, monotonicity): which run and what a set must
// earn. The detectors take these at start-up (not runtime keys).
struct ArbitrageConfig {
  bool bundle_enabled = true;
  bool cross_venue_enabled = true;
  bool monotonicity_enabled = true;
  Money min_profit_per_set = Money::from_micros(10'000);  // on a $1 set, after fees
  Money min_leg_liquidity = Money::dollars(100);          // each leg, at or below its limit
  double lot = 0.01;                                      // contracts; sizes are whole lots
  int max_levels = 32;                                    // book levels walked per leg
  std::string cross_venue_pairs;                          // pairs TOML path; empty: none

  friend bool operator==(const ArbitrageConfig&, const ArbitrageConfig&) = default;
};

struct KalmanConfig {
  double initial_variance = 0.1;
  double measurement_noise = 0.01;
  double base_process_noise = 0.001;
  double expiry_multiplier = 10.0;
  KalmanInput input = KalmanInput::microprice;

  friend bool operator==(const KalmanConfig&, const KalmanConfig&) = default;
};

struct KellyConfig {  // fractions of capital
  double fraction = 0.5;
  double recovery_fraction = 0.1;
  double recovery_drawdown_pct = 5.0;
  double min_trade_fraction = 0.001;
  double max_trade_fraction = 0.05;

  friend bool operator==(const KellyConfig&, const KellyConfig&) = default;
};

struct ExecutionConfig {
  Money small_order_usd = Money::dollars(50);
  Money medium_order_usd = Money::dollars(500);
  double limit_offset_pct = 0.1;
  int limit_timeout_s = 30;
  int twap_chunks = 5;
  int twap_interval_s = 60;
  double max_slippage_pct = 2.0;
  Money min_depth_usd = Money::dollars(100);
  bool iceberg = false;

  friend bool operator==(const ExecutionConfig&, const ExecutionConfig&) = default;
};

struct ThesisInvalidationConfig {
  int min_samples = 100;
  double zscore_threshold = 2.0;
  double volume_ratio_threshold = 3.0;
  int baseline_window = 500;  // samples

  friend bool operator==(const ThesisInvalidationConfig&, const ThesisInvalidationConfig&) = default;
};

struct AlertsConfig {
  std::string discord_webhook_url;  // SECRET: the URL carries a token
  int max_per_minute = 30;
  bool on_trade = true;
  bool on_opportunity = true;
  bool on_position_closed = true;
  bool on_circuit_breaker = true;
  bool on_error = true;
  int daily_summary_hour_utc = 0;  // 0..23

  friend bool operator==(const AlertsConfig&, const AlertsConfig&) = default;
};

struct DashboardConfig {
  int port = 8080;
  std::string bind = "127.0.0.1";

  friend bool operator==(const DashboardConfig&, const DashboardConfig&) = default;
};

struct Config {
  EngineConfig engine;
  VenuesConfig venues;
  PaperConfig paper;
  RiskConfig risk;
  GrindingConfig grinding;
  ArbitrageConfig arbitrage;
  KalmanConfig kalman;
  KellyConfig kelly;
  ExecutionConfig execution;
  ThesisInvalidationConfig thesis_invalidation;
  AlertsConfig alerts;
  DashboardConfig dashboard;

  friend bool operator==(const Config&, const Config&) = default;
};

// Thrown by the loaders; what() is the one-line message. Start-up code only.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Ok, or one line "key = value: what is allowed" (no origin: the caller knows it).
struct [[nodiscard]] ConfigStatus {
  std::string error;

  bool ok() const noexcept { return error.empty(); }
};

// Looks up an environment variable; nullptr when unset. Injectable so tests need not touch the
// process environment.
using EnvLookup = std::function<const char*(const char*)>;
const char* process_env(const char* name);

// ---- Loading ----

// Defaults, then `file` (skipped when the path is empty), then the environment. Throws ConfigError.
Config load_config(const std::filesystem::path& file, const EnvLookup& env = process_env);

// The same from TOML text; `origin` names it in messages (a path, or e.g. "<test>").
Config load_config_from_string(std::string_view toml_text, std::string_view origin,
                               const EnvLookup& env = process_env);

// ---- One key ----

// Parses `value_text` for `dotted_key` ("risk.max_drawdown_pct"), validates it and the
// cross-field rules, and sets it; on any error `config` is unchanged. Used by the environment
// overrides and by `pmx-ctl set KEY=VALUE` (which must also check is_runtime_key()).
// Text forms: booleans true/false/yes/no/1/0 (any case); numbers as in C; money as a decimal
// with at most 6 places ("10000.50"); lists comma-separated ("KXBTC,KXETH"); strings verbatim.
ConfigStatus set_config_key(Config& config, std::string_view dotted_key, std::string_view value_text);

// The value of `dotted_key` as a TOML literal ("20.0", "\"split\""); nullopt for unknown keys.
// A set secret reads "<redacted>" unless `redact_secrets` is false.
std::optional<std::string> config_value(const Config& config, std::string_view dotted_key,
                                        bool redact_secrets = true);

// Every check set_config_key and the loaders make, over a whole Config: ok or one line.
ConfigStatus validate_config(const Config& config);

// ---- The key table ----

struct ConfigKeyInfo {
  std::string key;      // "risk.max_drawdown_pct"
  std::string allowed;  // "a number in (0, 100]"
  bool runtime;         // may change while the engine runs (pmx-ctl set)
  bool secret;          // never printed
};

// Every key in file order: [engine], [venues.kalshi], [venues.polymarket], [paper], [risk], ...
const std::vector<ConfigKeyInfo>& config_keys();
bool is_runtime_key(std::string_view dotted_key);
bool is_secret_key(std::string_view dotted_key);

struct ConfigEnvOverride {
  std::string_view variable;  // "MAX_DRAWDOWN_PCT"
  std::string_view key;       // "risk.max_drawdown_pct"
};
// DRY_RUN maps onto engine.mode: true/1/yes -> paper, false/0/no -> live (any case).
// An empty variable counts as unset.
const std::vector<ConfigEnvOverride>& config_env_overrides();

// ---- Showing ----

// The whole configuration as TOML that load_config_from_string() accepts, sections in file order.
// Set secrets print as "<redacted>" unless `redact_secrets` is false.
std::string to_toml(const Config& config, bool redact_secrets = true);

}  // namespace pmx
