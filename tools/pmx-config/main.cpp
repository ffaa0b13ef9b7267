// pmx-config: check or show the configuration the engine would run with (a TOML file, then the
// environment overrides), secrets redacted.
//
//   pmx-config check --config config/live.example.toml    prints "ok", or the one-line error and exits 2
//   pmx-config show  --config config/paper.toml           prints the effective configuration as TOML
//   pmx-config keys                                       lists every key, what it allows, runtime keys
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "pmx/core/config.h"
#include "pmx/core/pin_option.h"

namespace {

constexpr int kInvalid = 2;  // invalid configuration or command line

std::string environment_help() {
  std::string out = "Environment overrides (win over the file; empty = unset):\n";
  for (const pmx::ConfigEnvOverride& o : pmx::config_env_overrides()) {
    out += fmt::format("  {:<24} {}\n", o.variable, o.key);
  }
  return out + "  DRY_RUN: true/1/yes = paper, false/0/no = live";
}

pmx::Config load(const std::string& file, const std::string& pin) {
  pmx::Config config = pmx::load_config(file);
  if (!pin.empty()) {
    pmx::ConfigStatus s = pmx::set_config_key(config, "engine.pin", pin);
    if (!s.ok()) throw pmx::ConfigError("--pin: " + s.error);
  }
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Check or show a pmx configuration: defaults, then the TOML file, then the environment."};
  app.footer(environment_help());
  app.require_subcommand(1);

  std::string file;
  std::string pin;
  auto add_source_options = [&](CLI::App* sub) {
    sub->add_option("--config,-c", file, "TOML configuration file (omit for the built-in defaults)")
        ->type_name("FILE");
    pmx::add_pin_option(*sub, pin)->description("Override engine.pin, e.g. feed=1,strategy=2,gateway=3");
  };

  CLI::App* check =
      app.add_subcommand("check", "Validate the configuration: print \"ok\" or the error, exit 2");
  add_source_options(check);
  CLI::App* show = app.add_subcommand("show", "Print the effective configuration as TOML, secrets redacted");
  add_source_options(show);
  CLI::App* keys =
      app.add_subcommand("keys", "List every key with what it allows; (runtime) = pmx-ctl may set it");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kInvalid;
  }

  try {
    if (*check) {
      load(file, pin);
      std::puts("ok");
    } else if (*show) {
      std::fputs(pmx::to_toml(load(file, pin)).c_str(), stdout);
    } else if (*keys) {
      for (const pmx::ConfigKeyInfo& k : pmx::config_keys()) {
        std::fputs(fmt::format("{:<44} {}{}{}\n", k.key, k.allowed, k.runtime ? " (runtime)" : "",
                               k.secret ? " (secret)" : "")
                       .c_str(),
                   stdout);
      }
    }
  } catch (const pmx::ConfigError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kInvalid;
  }
  return 0;
}
