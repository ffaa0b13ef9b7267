// CLI11 glue for `--pin role=cpu,...`: the tool gets parse_pin_spec's one-line error verbatim
// ("--pin: feed=7: cpu 7 does not exist: this machine has CPUs 0-1").
//
// Header-only so that pmx_core does not depend on CLI11; a tool that includes this links
// CLI11::CLI11 itself.
#pragma once

#include <string>
#include <utility>

#include <CLI/CLI.hpp>

#include "pmx/core/thread.h"

namespace pmx {

// Validates a pin spec against the given CPU sets.
inline CLI::Validator pin_spec_validator(CpuSet allowed = allowed_cpus(), CpuSet online = online_cpus()) {
  return CLI::Validator([allowed = std::move(allowed), online = std::move(online)](
                            std::string& spec) { return parse_pin_spec(spec, allowed, online).error; },
                        "", "pin spec");
}

// Adds `--pin` to `app`: stores the spec text in `spec_out` after validating it, so the caller can
// tell "not given" (empty) from "given" and re-parse with parse_pin_spec.
inline CLI::Option* add_pin_option(CLI::App& app, std::string& spec_out) {
  return app
      .add_option("--pin", spec_out,
                  "Pin threads to CPUs, e.g. feed=1,strategy=2,gateway=3 (roles: feed, feed.kalshi, "
                  "feed.polymarket, strategy, gateway, ops)")
      ->type_name("ROLE=CPU[,ROLE=CPU...]")
      ->check(pin_spec_validator());
}

}  // namespace pmx
