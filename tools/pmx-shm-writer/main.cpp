// pmx-shm-writer: a stand-in engine for the operator tools until pmx-engine exists. It owns
// the instance's state and control segments exactly as the engine will (StateWriter), fills
// them with a seeded random walk of markets, and acknowledges every control command.
//
//   pmx-shm-writer --instance demo --markets 40 --rate 100      then: shm-top --instance demo
//
// Exit codes: 0 on SIGINT/SIGTERM or after --duration; 2 on a bad command line or
// configuration, or when the instance is already owned by another engine.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <signal.h>
#include <time.h>

#include "pmx/core/clock.h"
#include "pmx/core/config.h"
#include "pmx/engine/control_commands.h"
#include "pmx/shm/segment.h"

#include "market_simulator.h"

namespace {

constexpr int kUsage = 2;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) {
  g_stop = 1;
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

timespec add_ns(timespec t, int64_t ns) {
  const int64_t total = t.tv_nsec + ns;
  t.tv_sec += static_cast<time_t>(total / 1'000'000'000);
  t.tv_nsec = static_cast<long>(total % 1'000'000'000);
  return t;
}

// Answers every pending command. The new status is published before the acknowledgement, so a
// tool that got "ok" and then reads the segment sees the command's effect.
void serve_commands(pmx::shm::StateWriter& writer, pmx::ControlState& state,
                    pmx::writer::MarketSimulator& simulator) {
  pmx::shm::ControlPoller::Pending pending;
  while (writer.control().poll(pending, pmx::mono_now().ns)) {
    const int64_t wall = pmx::wall_now().ns;
    const pmx::CommandOutcome out =
        pmx::apply_command(state, pending.request, wall, simulator.open_positions());
    if (out.close_positions) simulator.close_positions(wall);
    writer.publish_status(state.status);
    writer.control().complete(pending.number, out.result, out.message);
    std::fprintf(stderr, "pmx-shm-writer: command %llu %s from pid %lld: %s\n",
                 static_cast<unsigned long long>(pending.number),
                 std::string(pmx::shm::to_string(pending.request.type)).c_str(),
                 static_cast<long long>(pending.request.tool_pid), out.message.c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pmx-shm-writer: a stand-in engine that publishes simulated markets to the shared-memory state plane "
      "and "
      "answers pmx-ctl, for shm-top and pmx-ctl until pmx-engine exists (the test writer until the engine "
      "exists). It never connects to a venue and never trades."};
  std::string instance;
  std::string config_file;
  uint32_t markets = 24;
  uint64_t seed = 0;
  bool seed_given = false;
  double rate_hz = 100;
  double duration_s = 0;
  bool allow_live = false;
  app.add_option("--instance", instance,
                 "Instance name (default: engine.instance of the configuration, \"pmx\")")
      ->type_name("NAME");
  app.add_option("--config", config_file, "TOML configuration (risk limits, starting capital, seed)")
      ->type_name("FILE");
  app.add_option("--markets", markets, "Simulated instruments, alternating Kalshi and Polymarket")
      ->check(CLI::Range(1u, 100'000u))
      ->capture_default_str();
  app.add_option_function<uint64_t>(
         "--seed", [&](uint64_t v) { seed = v, seed_given = true; }, "Random seed (default: paper.seed)")
      ->type_name("N");
  app.add_option("--rate", rate_hz, "Engine loops per second")
      ->check(CLI::Range(0.1, 100'000.0))
      ->capture_default_str();
  app.add_option("--duration", duration_s, "Exit 0 after this many seconds (0: run until SIGINT/SIGTERM)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("S");
  app.add_flag("--allow-live", allow_live, "Accept `pmx-ctl mode live` (refused otherwise)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kUsage;
  }

  pmx::ControlState state;
  try {
    state.config = pmx::load_config(config_file);
  } catch (const pmx::ConfigError& e) {
    std::fprintf(stderr, "pmx-shm-writer: %s\n", e.what());
    return kUsage;
  }
  if (instance.empty()) instance = state.config.engine.instance;
  if (!seed_given) seed = state.config.paper.seed;
  state.allow_live = allow_live;
  if (state.config.engine.mode == pmx::TradingMode::live && !allow_live) {
    std::fprintf(stderr, "pmx-shm-writer: refused: engine.mode = live needs --allow-live\n");
    return kUsage;
  }
  state.status.mode = state.config.engine.mode == pmx::TradingMode::live ? pmx::shm::TradingMode::live
                                                                         : pmx::shm::TradingMode::paper;

  pmx::shm::Geometry geometry;
  geometry.max_instruments = markets < 64 ? 64 : markets;
  geometry.max_positions = 64;
  geometry.opportunity_capacity = 256;
  geometry.order_capacity = 256;
  geometry.tape_count = 2;
  geometry.tape_entries = 1u << 12;
  geometry.tape_bytes = 1u << 20;

  try {
    pmx::shm::StateWriter writer(instance, geometry, state.status.mode);
    pmx::writer::MarketSimulator simulator(writer, markets, seed, state.config.risk.starting_capital);
    writer.publish_status(state.status);
    install_signal_handlers();
    std::fprintf(
        stderr,
        "pmx-shm-writer: engine %s pid %lld: %u markets at %g Hz, seed %llu (stand-in for pmx-engine)\n",
        instance.c_str(), static_cast<long long>(writer.header().engine_pid), markets, rate_hz,
        static_cast<unsigned long long>(seed));

    const auto period_ns = static_cast<int64_t>(1e9 / rate_hz);
    const int64_t start_ns = pmx::mono_now().ns;
    timespec next{};
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (g_stop == 0) {
      const int64_t now = pmx::mono_now().ns;
      serve_commands(writer, state, simulator);
      const uint32_t breakers = state.status.halted != 0 ? pmx::shm::kBreakerKillSwitch : 0u;
      simulator.step(now, pmx::wall_now().ns, state.status.halted != 0, breakers);
      writer.heartbeat(now);
      if (duration_s > 0 && static_cast<double>(now - start_ns) >= duration_s * 1e9) break;
      next = add_ns(next, period_ns);
      clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, nullptr);  // EINTR: the loop re-checks g_stop
    }
    std::fprintf(stderr, "pmx-shm-writer: engine %s stopped\n", instance.c_str());
    return 0;  // ~StateWriter removes both segments
  } catch (const pmx::shm::SegmentError& e) {
    std::fprintf(stderr, "pmx-shm-writer: %s\n", e.what());
    return kUsage;
  }
}
