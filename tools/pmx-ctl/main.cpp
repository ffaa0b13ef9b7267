// pmx-ctl: operate a running engine through its control mailbox, and show its state.
//
//   pmx-ctl [--instance NAME] [--timeout S] status [--json]
//   pmx-ctl ... kill [--close-positions] | resume | mode paper|live | set KEY=VALUE
//   pmx-ctl sign --venue kalshi ... | order --dry-run ...   (no engine: sign_command.h, order_command.h)
//
// Every command waits for the engine's acknowledgement. Exit codes:
//   0  the engine applied it (its reply is printed)       2  no engine, wrong layout, bad usage
//   1  the engine refused it or found it invalid            3  no acknowledgement within --timeout
//
// Adding a subcommand: one add_*() function that declares its options on a CLI11 subcommand and
// returns it with the action to run once the command line is parsed (see add_kill()).
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include "pmx/core/clock.h"
#include "pmx/shm/segment.h"
#include "pmx/shm/snapshot.h"

#include "order_command.h"
#include "sign_command.h"

namespace {

namespace shm = pmx::shm;

constexpr int kOk = 0;
constexpr int kRefused = 1;
constexpr int kNoEngine = 2;  // also: bad usage, wrong layout version
constexpr int kNoAck = 3;

struct Options {
  std::string instance = "pmx";
  double timeout_s = 5;
};

using Action = std::function<int(const Options&)>;
struct Subcommand {
  CLI::App* app;
  Action run;
};

// Opens the instance, or prints why not and returns null.
std::unique_ptr<shm::StateReader> attach(const Options& options) {
  try {
    auto reader = std::make_unique<shm::StateReader>(options.instance);
    if (!reader->engine_alive()) {
      std::fprintf(stderr,
                   "pmx-ctl: no engine %s: pid %lld is not running (a crashed engine left its segment)\n",
                   options.instance.c_str(), static_cast<long long>(reader->header().engine_pid));
      return nullptr;
    }
    return reader;
  } catch (const shm::SegmentError& e) {
    std::fprintf(stderr, "pmx-ctl: %s\n", e.what());
    return nullptr;
  }
}

// Submits one command and waits for the engine's reply.
int run_command(const Options& options, const shm::CommandRequest& request) {
  const auto reader = attach(options);
  if (!reader) return kNoEngine;
  const int64_t deadline = pmx::mono_now().ns + static_cast<int64_t>(options.timeout_s * 1e9);
  const uint64_t number = shm::submit_command(reader->control(), request, deadline);
  shm::CommandReply reply;
  if (number == 0 || !shm::await_reply(reader->control(), number, reply, deadline)) {
    std::fprintf(stderr, "pmx-ctl: no acknowledgement from engine %s within %ss\n", options.instance.c_str(),
                 fmt::format("{}", options.timeout_s).c_str());
    return kNoAck;
  }
  // Engine messages usually name their result ("refused: ..."); add it when they do not.
  const std::string result(shm::to_string(reply.result));
  std::string message = reply.message;
  if (reply.result != shm::CommandResult::ok && message.rfind(result, 0) != 0)
    message = result + ": " + message;
  if (reply.result == shm::CommandResult::ok) {
    std::printf("%s\n", message.c_str());
    return kOk;
  }
  std::fprintf(stderr, "pmx-ctl: %s\n", message.c_str());
  return kRefused;
}

shm::CommandRequest request_of(shm::CommandType type) {
  shm::CommandRequest request;
  request.type = type;
  request.tool_pid = ::getpid();
  return request;
}

// ---- subcommands ----------------------------------------------------------------------------

Subcommand add_status(CLI::App& app) {
  auto* sub = app.add_subcommand("status", "Print the engine's state: threads, latency, books, P&L, risk");
  auto json = std::make_shared<bool>(false);
  sub->add_flag("--json", *json, "One JSON object (the keys of shm-top --json)");
  return {sub, [json](const Options& options) {
            const auto reader = attach(options);
            if (!reader) return kNoEngine;
            const shm::Snapshot snapshot = shm::take_snapshot(*reader);
            const std::string text = *json ? shm::to_json(snapshot) + "\n" : shm::to_text(snapshot);
            std::fputs(text.c_str(), stdout);
            return kOk;
          }};
}

Subcommand add_kill(CLI::App& app) {
  auto* sub = app.add_subcommand("kill", "Kill switch: halt trading now");
  auto close = std::make_shared<bool>(false);
  sub->add_flag("--close-positions", *close, "Also flatten every open position");
  return {sub, [close](const Options& options) {
            shm::CommandRequest request = request_of(shm::CommandType::kill);
            request.flag = *close ? 1 : 0;
            return run_command(options, request);
          }};
}

Subcommand add_resume(CLI::App& app) {
  auto* sub = app.add_subcommand("resume", "Clear the halt and trade again");
  return {sub,
          [](const Options& options) { return run_command(options, request_of(shm::CommandType::resume)); }};
}

Subcommand add_mode(CLI::App& app) {
  auto* sub = app.add_subcommand("mode", "Switch between paper and live trading");
  auto mode = std::make_shared<std::string>();
  sub->add_option("MODE", *mode, "paper or live")->required()->check(CLI::IsMember({"paper", "live"}));
  return {sub, [mode](const Options& options) {
            shm::CommandRequest request = request_of(shm::CommandType::mode);
            fmt::format_to_n(request.value, sizeof request.value - 1, "{}", *mode);
            return run_command(options, request);
          }};
}

Subcommand add_set(CLI::App& app) {
  auto* sub = app.add_subcommand("set", "Change a runtime configuration key (pmx-config keys marks them)");
  auto assignment = std::make_shared<std::string>();
  sub->add_option("KEY=VALUE", *assignment, "e.g. risk.max_drawdown_pct=12")->required();
  return {sub, [assignment](const Options& options) {
            const size_t eq = assignment->find('=');
            shm::CommandRequest request = request_of(shm::CommandType::set);
            if (eq == 0 || eq == std::string::npos || eq >= sizeof request.key ||
                assignment->size() - eq - 1 >= sizeof request.value) {
              std::fprintf(stderr,
                           "pmx-ctl: set needs KEY=VALUE (key < %zu, value < %zu characters), not '%s'\n",
                           sizeof request.key, sizeof request.value, assignment->c_str());
              return kNoEngine;
            }
            assignment->copy(request.key, eq, 0);
            assignment->copy(request.value, assignment->size() - eq - 1, eq + 1);
            return run_command(options, request);
          }};
}

// sign and order run without an engine: the instance options do not apply.
Subcommand offline(pmx::ctl::OfflineSubcommand sub) {
  return {sub.app, [run = std::move(sub.run)](const Options&) { return run(); }};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pmx-ctl: operate a running pmx engine (kill switch, resume, paper/live, runtime config) and show its "
      "state. Exit 0 applied, 1 refused, 2 no engine, 3 no acknowledgement."};
  Options options;
  app.add_option("--instance", options.instance, "Engine instance (shared memory /pmx.<NAME>)")
      ->capture_default_str();
  app.add_option("--timeout", options.timeout_s, "Seconds to wait for the engine's acknowledgement")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.require_subcommand(1);

  const std::vector<Subcommand> subcommands = {add_status(app),
                                               add_kill(app),
                                               add_resume(app),
                                               add_mode(app),
                                               add_set(app),
                                               offline(pmx::ctl::add_sign(app)),
                                               offline(pmx::ctl::add_order(app))};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kOk : kNoEngine;
  }
  for (const Subcommand& sub : subcommands)
    if (sub.app->parsed()) return sub.run(options);
  return kNoEngine;
}
