// pmx-engine's command line and how it lands on the configuration.
//
//   pmx-engine --config FILE [--instance NAME] [--pin ROLE=CPU,...] [--live] [--db PATH]
//              [--set KEY=VALUE]... [--tape-mib N] [--duration S]
//
// Later wins: config defaults < FILE < environment (DRY_RUN, DATABASE_PATH, ...) < the command line
// (--set, then --instance, --db and --pin). Start-up code: allocates and throws.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "pmx/core/config.h"

namespace pmx::app {

struct EngineArguments {
  std::string config_path;
  std::string instance;                  // empty: engine.instance
  std::string pin_spec;                  // empty: engine.pin
  bool live = false;                     // ask for live trading (see live_gate.h)
  std::string database_path;             // empty: engine.database_path
  std::vector<std::string> assignments;  // --set KEY=VALUE, in order
  uint32_t tape_mib = 64;                // shared-memory tape, both feeds together
  double duration_s = 0;                 // > 0: stop cleanly after this long (tests, measurements)
};

// Adds every option to `app` (whose description and --help it keeps).
void add_engine_options(CLI::App& app, EngineArguments& arguments);

// The configuration the engine runs with: `arguments.config_path` loaded (with the environment),
// then the command line applied and the whole validated. Throws ConfigError with one line that
// names the option or key.
Config resolve_config(const EngineArguments& arguments, const EnvLookup& env = process_env);

}  // namespace pmx::app
