// Subcommands of pmx-ctl that need no running engine (sign, order --dry-run): they read keys from
// the environment, print to stdout and return the exit code. main.cpp wraps them like the others.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace pmx::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // missing or unsafe keys, a request the builder refuses
inline constexpr int kExitUsage = 2;    // bad options

struct OfflineSubcommand {
  CLI::App* app;
  std::function<int()> run;
};

}  // namespace pmx::ctl
