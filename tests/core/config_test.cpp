#include "pmx/core/config.h"

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <type_traits>

#include <gtest/gtest.h>

namespace pmx {
namespace {

const EnvLookup kNoEnv = [](const char*) -> const char* { return nullptr; };

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

Config load(std::string_view toml, const EnvLookup& env = kNoEnv) {
  return load_config_from_string(toml, "test.toml", env);
}

// The one-line message a load fails with, or "" if it loads.
std::string load_error(std::string_view toml, const EnvLookup& env = kNoEnv) {
  try {
    load(toml, env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const std::string kPaperPath = std::string(PMX_SOURCE_DIR) + "/config/paper.toml";
const std::string kLivePath = std::string(PMX_SOURCE_DIR) + "/config/live.example.toml";

// ---- Types: money exact, probabilities double, durations integers with the unit in the name ----

static_assert(std::is_same_v<decltype(EngineConfig::thread_layout), ThreadLayout>);
static_assert(std::is_same_v<decltype(EngineConfig::pin), PinPlan>);
static_assert(std::is_same_v<decltype(EngineConfig::fifo_priority), int>);
static_assert(std::is_same_v<decltype(EngineConfig::mode), TradingMode>);
static_assert(std::is_same_v<decltype(KalshiConfig::series), std::vector<std::string>>);
static_assert(std::is_same_v<decltype(PolymarketConfig::ping_interval_s), int>);
static_assert(std::is_same_v<decltype(PaperConfig::seed), uint64_t>);
static_assert(std::is_same_v<decltype(PaperConfig::latency_min_ms), int>);
static_assert(std::is_same_v<decltype(RiskConfig::starting_capital), Money>);
static_assert(std::is_same_v<decltype(RiskConfig::max_order_notional), Money>);
static_assert(std::is_same_v<decltype(RiskConfig::max_drawdown_pct), double>);
static_assert(std::is_same_v<decltype(RiskConfig::stale_feed_ms), int>);
static_assert(std::is_same_v<decltype(GrindingConfig::base_threshold), double>);
static_assert(std::is_same_v<decltype(GrindingConfig::min_liquidity), Money>);
static_assert(std::is_same_v<decltype(KalmanConfig::input), KalmanInput>);
static_assert(std::is_same_v<decltype(KellyConfig::max_trade_fraction), double>);
static_assert(std::is_same_v<decltype(ExecutionConfig::small_order_usd), Money>);
static_assert(std::is_same_v<decltype(ExecutionConfig::min_depth_usd), Money>);
static_assert(std::is_same_v<decltype(ThesisInvalidationConfig::baseline_window), int>);
static_assert(std::is_same_v<decltype(AlertsConfig::daily_summary_hour_utc), int>);
static_assert(std::is_same_v<decltype(DashboardConfig::port), int>);

// ---- Defaults and the shipped files ----

TEST(ConfigDefaults, LoadWithNoFileAsPaperTradingAgainstTheLoopbackSimulator) {
  const Config c = load_config("", kNoEnv);
  EXPECT_EQ(c, Config{});
  EXPECT_EQ(c.engine.mode, TradingMode::paper);
  EXPECT_EQ(c.venues.kalshi.ws_url, "ws://127.0.0.1:9101/trade-api/ws/v2");
  EXPECT_EQ(c.venues.polymarket.rest_url, "http://127.0.0.1:9102");
  EXPECT_TRUE(c.venues.kalshi.api_key_id.empty());
  EXPECT_TRUE(c.venues.polymarket.private_key.empty());
  EXPECT_EQ(c.risk.starting_capital, Money::dollars(10'000));
  EXPECT_EQ(c.execution.small_order_usd, Money::dollars(50));
  EXPECT_TRUE(c.engine.pin.empty());
}

TEST(ConfigDefaults, PassValidation) {
  ConfigStatus s = validate_config(Config{});
  EXPECT_TRUE(s.ok()) << s.error;
}

TEST(ConfigFile, ShippedPaperTomlEqualsTheInCodeDefaults) {
  const Config c = load_config(kPaperPath, kNoEnv);
  EXPECT_EQ(c, Config{}) << "config/paper.toml and the defaults in config.h have drifted:\n"
                         << to_toml(c) << "\nvs\n"
                         << to_toml(Config{});
}

TEST(ConfigFile, ShippedPaperTomlSetsEveryKey) {
  // Every key appears as "<name> =" at the start of a line in its section: changing any default
  // in code without the file (or adding a key to only one of them) fails here or above.
  const std::string shown = to_toml(load_config(kPaperPath, kNoEnv));
  for (const ConfigKeyInfo& k : config_keys()) {
    EXPECT_NE(shown.find(k.key.substr(k.key.rfind('.') + 1) + " = "), std::string::npos) << k.key;
  }
  std::ifstream in(kPaperPath);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const ConfigKeyInfo& k : config_keys()) {
    const std::string name = k.key.substr(k.key.rfind('.') + 1);
    EXPECT_NE(text.find("\n" + name + " = "), std::string::npos) << k.key << " is missing from paper.toml";
  }
}

TEST(ConfigFile, ShippedLiveExampleParsesAsLiveAgainstTheRealVenues) {
  const Config c = load_config(kLivePath, kNoEnv);
  EXPECT_EQ(c.engine.mode, TradingMode::live);
  EXPECT_EQ(c.venues.kalshi.ws_url, "wss://external-api-ws.kalshi.com/trade-api/ws/v2");
  EXPECT_EQ(c.venues.kalshi.rest_url, "https://external-api.kalshi.com/trade-api/v2");
  EXPECT_EQ(c.venues.polymarket.ws_url, "wss://ws-subscriptions-clob.polymarket.com/ws/market");
  EXPECT_EQ(c.venues.polymarket.rest_url, "https://clob.polymarket.com");
  EXPECT_EQ(c.venues.polymarket.gamma_url, "https://gamma-api.polymarket.com");
  EXPECT_TRUE(c.venues.polymarket.private_key.empty()) << "secrets come from the environment";
  EXPECT_TRUE(c.alerts.discord_webhook_url.empty()) << "secrets come from the environment";
  EXPECT_TRUE(c.venues.kalshi.api_key_id.empty());
}

TEST(ConfigFile, ShippedLiveExampleTakesCredentialsFromTheEnvironment) {
  const std::string key(64, 'a');
  const Config c = load_config(kLivePath, env_of({{"KALSHI_API_KEY_ID", "key-123"},
                                                  {"KALSHI_PRIVATE_KEY_PATH", "/etc/pmx/kalshi.pem"},
                                                  {"POLY_PRIVATE_KEY", key},
                                                  {"POLY_FUNDER", "0x" + std::string(40, 'b')}}));
  EXPECT_EQ(c.venues.kalshi.api_key_id, "key-123");
  EXPECT_EQ(c.venues.kalshi.private_key_path, "/etc/pmx/kalshi.pem");
  EXPECT_EQ(c.venues.polymarket.private_key, key);
}

TEST(ConfigFile, UnreadableFileIsOneLineNamingIt) {
  try {
    load_config("/nonexistent/pmx.toml", kNoEnv);
    FAIL() << "loaded a missing file";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/pmx.toml: cannot read: No such file or directory");
  }
}

// ---- Typed values per section ----

TEST(ConfigFile, EverySectionTakesTypedValues) {
  const Config c = load(R"(
[engine]
instance = "pmx-test"
thread_layout = "single"
pin = "feed=0"
sched_fifo = true
fifo_priority = 80
log_level = "debug"
mode = "live"
[venues.kalshi]
enabled = false
series = ["KXBTC", "KXETH"]
use_yes_price = true
[venues.polymarket]
funder = "0x0123456789abcdef0123456789abcdef01234567"
assets_per_connection = 50
[paper]
seed = 7
latency_min_ms = 0
[risk]
starting_capital = 2500.25
max_drawdown_pct = 15
max_order_notional = 100
[grinding]
base_threshold = 0.95
window_hours = 12
[kalman]
input = "mid"
[kelly]
fraction = 0.25
[execution]
small_order_usd = 10.5
iceberg = true
[thesis_invalidation]
baseline_window = 1000
[alerts]
on_trade = false
daily_summary_hour_utc = 23
[dashboard]
port = 9000
bind = "0.0.0.0"
)");
  EXPECT_EQ(c.engine.instance, "pmx-test");
  EXPECT_EQ(c.engine.thread_layout, ThreadLayout::single);
  EXPECT_EQ(c.engine.pin.cpu_for(PinRole::feed), 0);
  EXPECT_TRUE(c.engine.sched_fifo);
  EXPECT_EQ(c.engine.fifo_priority, 80);
  EXPECT_EQ(c.engine.log_level, LogLevel::debug);
  EXPECT_EQ(c.engine.mode, TradingMode::live);
  EXPECT_FALSE(c.venues.kalshi.enabled);
  EXPECT_EQ(c.venues.kalshi.series, (std::vector<std::string>{"KXBTC", "KXETH"}));
  EXPECT_TRUE(c.venues.kalshi.use_yes_price);
  EXPECT_EQ(c.venues.polymarket.funder, "0x0123456789abcdef0123456789abcdef01234567");
  EXPECT_EQ(c.venues.polymarket.assets_per_connection, 50);
  EXPECT_EQ(c.paper.seed, 7u);
  EXPECT_EQ(c.paper.latency_min_ms, 0);
  EXPECT_EQ(c.risk.starting_capital, Money::from_micros(2'500'250'000));
  EXPECT_DOUBLE_EQ(c.risk.max_drawdown_pct, 15.0);  // an integer where a number is expected is fine
  EXPECT_EQ(c.risk.max_order_notional, Money::dollars(100));
  EXPECT_DOUBLE_EQ(c.grinding.base_threshold, 0.95);
  EXPECT_EQ(c.grinding.window_hours, 12);
  EXPECT_EQ(c.kalman.input, KalmanInput::mid);
  EXPECT_DOUBLE_EQ(c.kelly.fraction, 0.25);
  EXPECT_EQ(c.execution.small_order_usd, Money::from_micros(10'500'000));
  EXPECT_TRUE(c.execution.iceberg);
  EXPECT_EQ(c.thesis_invalidation.baseline_window, 1000);
  EXPECT_FALSE(c.alerts.on_trade);
  EXPECT_EQ(c.alerts.daily_summary_hour_utc, 23);
  EXPECT_EQ(c.dashboard.port, 9000);
  EXPECT_EQ(c.dashboard.bind, "0.0.0.0");
}

TEST(ConfigFile, MoneyKeepsSixDecimalsExactly) {
  EXPECT_EQ(load("[risk]\nstarting_capital = 1234567.123456\n").risk.starting_capital,
            Money::from_micros(1'234'567'123'456));
  EXPECT_EQ(load("[risk]\nstarting_capital = 0.1\n").risk.starting_capital, Money::from_micros(100'000));
}

// ---- Refusals: one line, naming origin, key, value and what is allowed ----

TEST(ConfigFile, RefusesAnUnknownKeyByName) {
  EXPECT_EQ(load_error("[risk]\nmax_drawdon_pct = 20\n"),
            "test.toml:2: risk.max_drawdon_pct: unknown key (did you mean risk.max_drawdown_pct?)");
  EXPECT_EQ(load_error("[risk]\nfavourite_colour = \"blue\"\n"),
            "test.toml:2: risk.favourite_colour: unknown key");
  EXPECT_EQ(load_error("top_level = 1\n"), "test.toml:1: top_level: unknown key");
}

TEST(ConfigFile, RefusesAnUnknownSection) {
  EXPECT_EQ(
      load_error("[engine]\nmode = \"paper\"\n[risc]\nmax_drawdown_pct = 20\n"),
      "test.toml:3: [risc]: unknown section (sections: engine, venues.kalshi, venues.polymarket, paper, "
      "risk, grinding, arbitrage, kalman, kelly, execution, thesis_invalidation, alerts, dashboard)");
  EXPECT_EQ(load_error("[venues.kraken]\nenabled = true\n").substr(0, 40),
            "test.toml:1: [venues.kraken]: unknown se");
}

TEST(ConfigFile, RefusesASectionGivenAsAValue) {
  EXPECT_EQ(load_error("risk = 5\n"), "test.toml:1: risk: must be a table ([risk])");
}

TEST(ConfigFile, RefusesAnOutOfRangeValue) {
  EXPECT_EQ(load_error("[risk]\nmax_drawdown_pct = 150\n"),
            "test.toml:2: risk.max_drawdown_pct = 150: must be a number in (0, 100]");
  EXPECT_EQ(load_error("[risk]\nmax_drawdown_pct = 0\n"),
            "test.toml:2: risk.max_drawdown_pct = 0: must be a number in (0, 100]");
  EXPECT_EQ(load_error("\n[engine]\nfifo_priority = 100\n"),
            "test.toml:3: engine.fifo_priority = 100: must be an integer in [1, 99]");
  EXPECT_EQ(
      load_error("[execution]\nsmall_order_usd = -5.0\n"),
      "test.toml:2: execution.small_order_usd = -5.0: must be an amount in USD in (0, 1000000000] with at "
      "most 6 decimals");
}

TEST(ConfigFile, ArbitrageSectionSetsTheDetectorsParameters) {
  const Config c = load(
      "[arbitrage]\nbundle_enabled = false\nmin_profit_per_set = 0.02\nmin_leg_liquidity = 50.0\n"
      "lot = 1.0\nmax_levels = 8\ncross_venue_pairs = \"pairs.toml\"\n");
  EXPECT_FALSE(c.arbitrage.bundle_enabled);
  EXPECT_TRUE(c.arbitrage.cross_venue_enabled);
  EXPECT_EQ(c.arbitrage.min_profit_per_set, Money::from_micros(20'000));
  EXPECT_EQ(c.arbitrage.min_leg_liquidity, Money::dollars(50));
  EXPECT_EQ(c.arbitrage.lot, 1.0);
  EXPECT_EQ(c.arbitrage.max_levels, 8);
  EXPECT_EQ(c.arbitrage.cross_venue_pairs, "pairs.toml");
}

TEST(ConfigFile, RefusesAMinimumProfitOfAWholeDollarPerSet) {
  EXPECT_NE(load_error("[arbitrage]\nmin_profit_per_set = 1.0\n").find("arbitrage.min_profit_per_set = 1.0"),
            std::string::npos);
  EXPECT_NE(load_error("[arbitrage]\nlot = 0.0\n").find("arbitrage.lot = 0.0"), std::string::npos);
}

TEST(ConfigFile, RefusesAStringWhereANumberIsExpected) {
  EXPECT_EQ(load_error("[risk]\nmax_drawdown_pct = \"20\"\n"),
            "test.toml:2: risk.max_drawdown_pct = \"20\": must be a number in (0, 100]");
}

TEST(ConfigFile, RefusesAFractionWhereAnIntegerIsExpected) {
  EXPECT_EQ(load_error("[dashboard]\nport = 80.5\n"),
            "test.toml:2: dashboard.port = 80.5: must be an integer in [1, 65535]");
}

TEST(ConfigFile, RefusesAWrongTypeForBooleansAndLists) {
  EXPECT_EQ(load_error("[execution]\niceberg = \"yes\"\n"),
            "test.toml:2: execution.iceberg = \"yes\": must be true or false");
  EXPECT_EQ(load_error("[venues.kalshi]\nseries = \"KXBTC\"\n"),
            "test.toml:2: venues.kalshi.series = \"KXBTC\": must be a list of strings, each a series ticker");
}

TEST(ConfigFile, RefusesMoneyWithMoreThanSixDecimals) {
  EXPECT_EQ(
      load_error("[risk]\nstarting_capital = 0.1234567\n"),
      "test.toml:2: risk.starting_capital = 0.1234567: must be an amount in USD in (0, 1000000000] with at "
      "most 6 decimals");
}

TEST(ConfigFile, RefusesABadEnum) {
  EXPECT_EQ(load_error("[engine]\nthread_layout = \"splitt\"\n"),
            "test.toml:2: engine.thread_layout = \"splitt\": must be one of split, shared, single");
  EXPECT_EQ(load_error("[engine]\nlog_level = \"INFO\"\n"),
            "test.toml:2: engine.log_level = \"INFO\": must be one of trace, debug, info, warn, error");
}

TEST(ConfigFile, RefusesAPinOnACpuThatDoesNotExist) {
  EXPECT_EQ(
      load_error("[engine]\npin = \"feed=0,strategy=4096\"\n"),
      "test.toml:2: engine.pin = \"feed=0,strategy=4096\": strategy=4096: cpu 4096 does not exist: this "
      "machine has CPUs " +
          online_cpus().to_string());
}

TEST(ConfigFile, RefusesABadUrl) {
  EXPECT_EQ(load_error("[venues.kalshi]\nws_url = \"https://example.com/ws\"\n"),
            "test.toml:2: venues.kalshi.ws_url = \"https://example.com/ws\": must be a ws:// or wss:// URL");
}

TEST(ConfigFile, RefusesCrossFieldViolationsAtTheLineThatCausedThem) {
  EXPECT_EQ(
      load_error("[execution]\nsmall_order_usd = 600.0\n"),
      "test.toml:2: execution.small_order_usd = 600.0: must be less than execution.medium_order_usd (500.0)");
  EXPECT_EQ(load_error("[paper]\n\nlatency_max_ms = 2\n"),
            "test.toml:3: paper.latency_max_ms = 2: must be at least paper.latency_min_ms (5)");
}

TEST(ConfigFile, ReportsTomlSyntaxErrorsAsOneLineWithLineAndColumn) {
  const std::string e = load_error("[risk]\nmax_drawdown_pct = = 3\n");
  EXPECT_EQ(e.rfind("test.toml:2:", 0), 0u) << e;
  EXPECT_EQ(e.find('\n'), std::string::npos) << e;
  const std::string dup = load_error("[risk]\nmax_drawdown_pct = 3\nmax_drawdown_pct = 4\n");
  EXPECT_EQ(dup.rfind("test.toml:3:", 0), 0u) << dup;
}

// ---- Environment ----

TEST(ConfigEnv, OverridesWinOverTheFile) {
  const Config c = load("[risk]\nmax_drawdown_pct = 10\nstarting_capital = 500.0\n[dashboard]\nport = 9000\n",
                        env_of({{"MAX_DRAWDOWN_PCT", "15.5"},
                                {"STARTING_CAPITAL", "2500.50"},
                                {"DASHBOARD_PORT", "9100"},
                                {"DATABASE_PATH", "/var/lib/pmx/pmx.db"},
                                {"DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/abc"}}));
  EXPECT_DOUBLE_EQ(c.risk.max_drawdown_pct, 15.5);
  EXPECT_EQ(c.risk.starting_capital, Money::from_micros(2'500'500'000));
  EXPECT_EQ(c.dashboard.port, 9100);
  EXPECT_EQ(c.engine.database_path, "/var/lib/pmx/pmx.db");
  EXPECT_EQ(c.alerts.discord_webhook_url, "https://discord.com/api/webhooks/1/abc");
}

TEST(ConfigEnv, BadValueNamesTheVariableKeyValueAndRange) {
  EXPECT_EQ(load_error("", env_of({{"MAX_DRAWDOWN_PCT", "abc"}})),
            "environment MAX_DRAWDOWN_PCT: risk.max_drawdown_pct = abc: must be a number in (0, 100]");
  EXPECT_EQ(load_error("", env_of({{"DASHBOARD_PORT", "80x"}})),
            "environment DASHBOARD_PORT: dashboard.port = 80x: must be an integer in [1, 65535]");
}

TEST(ConfigEnv, BadSecretIsRefusedWithoutPrintingIt) {
  EXPECT_EQ(
      load_error("", env_of({{"POLY_PRIVATE_KEY", "hunter2"}})),
      "environment POLY_PRIVATE_KEY: venues.polymarket.private_key = <redacted>: must be empty or 64 hex "
      "digits, optionally prefixed 0x");
}

TEST(ConfigEnv, EmptyVariableCountsAsUnset) {
  EXPECT_EQ(load("", env_of({{"DRY_RUN", ""}, {"DATABASE_PATH", ""}})), Config{});
}

TEST(ConfigFile, RefusesATradeFractionFloorAboveItsCeiling) {
  EXPECT_EQ(load_error("[kelly]\nmin_trade_fraction = 0.5\n"),
            "test.toml:2: kelly.min_trade_fraction = 0.5: must be at most kelly.max_trade_fraction (0.05)");
}

TEST(ConfigDryRun, TrueOneAndYesMeanPaper) {
  for (const char* v : {"true", "1", "yes", "TRUE", "Yes"}) {
    EXPECT_EQ(load("[engine]\nmode = \"live\"\n", env_of({{"DRY_RUN", v}})).engine.mode, TradingMode::paper)
        << v;
  }
}

TEST(ConfigDryRun, FalseZeroAndNoMeanLive) {
  for (const char* v : {"false", "0", "no", "False"}) {
    EXPECT_EQ(load("", env_of({{"DRY_RUN", v}})).engine.mode, TradingMode::live) << v;
  }
}

TEST(ConfigDryRun, AnythingElseIsRefused) {
  EXPECT_EQ(
      load_error("", env_of({{"DRY_RUN", "maybe"}})),
      "environment DRY_RUN: DRY_RUN = maybe: must be true, 1 or yes (paper mode) or false, 0 or no (live "
      "mode)");
  EXPECT_NE(load_error("", env_of({{"DRY_RUN", "paper"}})), "");
}

// ---- set_config_key: the one path for text values ----

TEST(ConfigSetKey, SetsAValueFromText) {
  Config c;
  ASSERT_TRUE(set_config_key(c, "risk.max_drawdown_pct", "12.5").ok());
  ASSERT_TRUE(set_config_key(c, "execution.medium_order_usd", "750.25").ok());
  ASSERT_TRUE(set_config_key(c, "alerts.on_trade", "no").ok());
  ASSERT_TRUE(set_config_key(c, "venues.kalshi.series", "KXBTC, KXETH").ok());
  ASSERT_TRUE(set_config_key(c, "kalman.input", "mid").ok());
  EXPECT_DOUBLE_EQ(c.risk.max_drawdown_pct, 12.5);
  EXPECT_EQ(c.execution.medium_order_usd, Money::from_micros(750'250'000));
  EXPECT_FALSE(c.alerts.on_trade);
  EXPECT_EQ(c.venues.kalshi.series, (std::vector<std::string>{"KXBTC", "KXETH"}));
  EXPECT_EQ(c.kalman.input, KalmanInput::mid);
}

TEST(ConfigSetKey, RefusesABadValueAndLeavesTheConfigUnchanged) {
  Config c;
  ConfigStatus s = set_config_key(c, "risk.max_drawdown_pct", "150");
  EXPECT_EQ(s.error, "risk.max_drawdown_pct = 150: must be a number in (0, 100]");
  EXPECT_EQ(c, Config{});
  EXPECT_EQ(set_config_key(c, "risk.max_drawdown_pct", "nan").error,
            "risk.max_drawdown_pct = nan: must be a number in (0, 100]");
  EXPECT_EQ(set_config_key(c, "risk.max_orders_per_minute", "99999999999999999999").error,
            "risk.max_orders_per_minute = 99999999999999999999: must be an integer in [1, 100000]");
}

TEST(ConfigSetKey, RefusesAnUnknownKey) {
  Config c;
  EXPECT_EQ(set_config_key(c, "risk.max_drawdown", "10").error,
            "risk.max_drawdown: unknown key (did you mean risk.max_drawdown_pct?)");
}

TEST(ConfigSetKey, RefusesACrossFieldViolationPhrasedAroundTheKeySet) {
  Config c;
  EXPECT_EQ(set_config_key(c, "execution.medium_order_usd", "40").error,
            "execution.medium_order_usd = 40.0: must be greater than execution.small_order_usd (50.0)");
  EXPECT_EQ(c, Config{});
}

TEST(ConfigSetKey, KeepsControlCharactersOutOfTheOneLineMessage) {
  Config c;
  const std::string e = set_config_key(c, "engine.log_level", "info\nsecond line").error;
  EXPECT_EQ(e, "engine.log_level = info\\nsecond line: must be one of trace, debug, info, warn, error");
}

// ---- The key table ----

TEST(ConfigKeys, RuntimeChangeableKeysAreTheStrategyAndRiskSections) {
  for (std::string_view k :
       {"risk.max_drawdown_pct", "grinding.base_threshold", "kelly.fraction", "execution.twap_chunks",
        "thesis_invalidation.min_samples", "alerts.on_trade", "alerts.on_error"}) {
    EXPECT_TRUE(is_runtime_key(k)) << k;
  }
  for (std::string_view k :
       {"engine.mode", "engine.pin", "venues.kalshi.ws_url", "venues.polymarket.private_key",
        "alerts.discord_webhook_url", "alerts.max_per_minute", "dashboard.port", "paper.seed", "kalman.input",
        "risk.nonexistent"}) {
    EXPECT_FALSE(is_runtime_key(k)) << k;
  }
}

TEST(ConfigKeys, SecretsAreFlaggedAndNeverRuntime) {
  EXPECT_TRUE(is_secret_key("venues.polymarket.private_key"));
  EXPECT_TRUE(is_secret_key("venues.kalshi.private_key_path"));
  EXPECT_TRUE(is_secret_key("alerts.discord_webhook_url"));
  EXPECT_FALSE(is_secret_key("venues.polymarket.funder"));
  for (const ConfigKeyInfo& k : config_keys()) {
    if (k.secret) {
      EXPECT_FALSE(k.runtime) << k.key;
    }
    EXPECT_FALSE(k.allowed.empty()) << k.key;
  }
}

TEST(ConfigKeys, EveryEnvironmentOverrideNamesAKnownKey) {
  for (const ConfigEnvOverride& o : config_env_overrides()) {
    EXPECT_TRUE(config_value(Config{}, o.key).has_value()) << o.variable;
  }
}

// ---- Showing the effective configuration ----

TEST(ConfigRedaction, ToTomlPrintsSetSecretsAsRedacted) {
  const std::string key = "0x" + std::string(64, 'f');
  const Config c = load("", env_of({{"POLY_PRIVATE_KEY", key},
                                    {"DISCORD_WEBHOOK_URL", "https://discord.com/api/webhooks/1/tok3n"},
                                    {"KALSHI_PRIVATE_KEY_PATH", "/secret/kalshi.pem"}}));
  const std::string shown = to_toml(c);
  EXPECT_EQ(shown.find(key), std::string::npos);
  EXPECT_EQ(shown.find("tok3n"), std::string::npos);
  EXPECT_EQ(shown.find("/secret/kalshi.pem"), std::string::npos);
  EXPECT_NE(shown.find("private_key = \"<redacted>\""), std::string::npos) << shown;
  EXPECT_NE(shown.find("discord_webhook_url = \"<redacted>\""), std::string::npos) << shown;
  EXPECT_EQ(config_value(c, "venues.polymarket.private_key"), "\"<redacted>\"");
}

TEST(ConfigRedaction, UnsetSecretsPrintEmpty) {
  const std::string shown = to_toml(Config{});
  EXPECT_NE(shown.find("private_key = \"\""), std::string::npos) << shown;
  EXPECT_EQ(shown.find("<redacted>"), std::string::npos);
}

TEST(ConfigRedaction, UnredactedToTomlLoadsBackToTheSameConfig) {
  Config c;
  ASSERT_TRUE(set_config_key(c, "venues.polymarket.private_key", std::string(64, '1')).ok());
  ASSERT_TRUE(set_config_key(c, "venues.kalshi.series", "KXBTC,KX\"Q").ok());
  ASSERT_TRUE(set_config_key(c, "risk.starting_capital", "12345.678901").ok());
  ASSERT_TRUE(set_config_key(c, "kelly.fraction", "0.3").ok());
  ASSERT_TRUE(set_config_key(c, "engine.pin", "ops=0").ok());
  EXPECT_EQ(load(to_toml(c, false)), c);
}

}  // namespace
}  // namespace pmx
