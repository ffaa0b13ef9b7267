#include "pmx/engine/app/engine_arguments.h"

#include "pmx/core/pin_option.h"

namespace pmx::app {

void add_engine_options(CLI::App& app, EngineArguments& a) {
  app.add_option("--config", a.config_path, "TOML configuration (config/paper.toml documents every key)")
      ->type_name("FILE")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--instance", a.instance,
                 "Instance name: the shared-memory segment is /pmx.<NAME> (default: engine.instance)")
      ->type_name("NAME");
  add_pin_option(app, a.pin_spec)
      ->description(
          "Pin stages to CPUs, e.g. feed=0,strategy=0,gateway=1: stages on one CPU share one loop thread "
          "(roles feed, feed.kalshi, feed.polymarket, strategy, gateway, ops = the database writer thread; "
          "default: engine.pin, and "
          "engine.thread_layout groups unpinned stages)");
  app.add_flag("--live", a.live,
               "Trade real money through the venues' order sessions. Needs every enabled venue's credentials "
               "(KALSHI_API_KEY_ID, KALSHI_PRIVATE_KEY_PATH (mode 0600), POLY_PRIVATE_KEY, POLY_FUNDER, "
               "POLY_API_KEY, POLY_API_SECRET, POLY_API_PASSPHRASE) and https:// URLs off loopback; "
               "engine.mode = live without this flag is refused. Paper is the default");
  app.add_option("--db", a.database_path, "SQLite database file (default: engine.database_path)")
      ->type_name("PATH");
  app.add_option("--set", a.assignments,
                 "Override one configuration key, e.g. --set risk.max_drawdown_pct=10 (repeatable; applied "
                 "after the file and the environment)")
      ->type_name("KEY=VALUE");
  app.add_option("--tape-mib", a.tape_mib,
                 "Shared-memory tape of raw feed messages, MiB for both feeds together (power of two)")
      ->check(CLI::IsMember({2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 512u, 1024u}))
      ->capture_default_str();
  app.add_option("--duration", a.duration_s,
                 "Stop cleanly after S seconds, as on SIGTERM (0: run until signalled)")
      ->type_name("S")
      ->check(CLI::NonNegativeNumber);
}

Config resolve_config(const EngineArguments& a, const EnvLookup& env) {
  Config config = load_config(a.config_path, env);
  const auto set = [&](std::string_view origin, std::string_view key, std::string_view value) {
    const ConfigStatus status = set_config_key(config, key, value);
    if (!status.ok()) throw ConfigError(std::string(origin) + ": " + status.error);
  };
  for (const std::string& assignment : a.assignments) {
    const size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ConfigError("--set " + assignment + ": expected KEY=VALUE, e.g. risk.max_drawdown_pct=10");
    set("--set", std::string_view(assignment).substr(0, eq), std::string_view(assignment).substr(eq + 1));
  }
  if (!a.instance.empty()) set("--instance", "engine.instance", a.instance);
  if (!a.database_path.empty()) set("--db", "engine.database_path", a.database_path);
  if (!a.pin_spec.empty()) set("--pin", "engine.pin", a.pin_spec);
  const ConfigStatus status = validate_config(config);
  if (!status.ok()) throw ConfigError(a.config_path + ": " + status.error);
  return config;
}

}  // namespace pmx::app
