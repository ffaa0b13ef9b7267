// pmx-engine: the trading engine. See --help, README "Running the engine" and
// include/pmx/engine/app/engine_app.h for what it does from start-up to exit.
#include <atomic>
#include <csignal>

#include <CLI/CLI.hpp>
#include <signal.h>

#include "pmx/engine/app/engine_app.h"

namespace {

// Set by SIGINT/SIGTERM; a lock-free atomic store is async-signal-safe.
std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler stores into it");

void on_signal(int) {
  g_stop.store(true, std::memory_order_release);
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "pmx-engine: trades Kalshi and Polymarket binary markets, on paper unless --live (real orders).\n"
      "Start-up: configuration, market lists from the venues' REST, shared memory /pmx.<instance>, the "
      "SQLite\n"
      "database (recovery and reconciliation), then the feed, strategy and gateway stages on the threads "
      "--pin\n"
      "and engine.thread_layout give. SIGINT/SIGTERM: stop intake, cancel open orders, flush the database,\n"
      "write a final snapshot, exit 0. Exit 2: bad command line, configuration or refused --live; exit 1:\n"
      "any other start-up failure (venue unreachable, database, instance already running).\n"
      "Live: only with --live (engine.mode = live without it is refused). Needs every enabled venue's\n"
      "credentials in the environment: KALSHI_API_KEY_ID, KALSHI_PRIVATE_KEY_PATH (a 0600 PEM),\n"
      "POLY_PRIVATE_KEY, POLY_FUNDER, POLY_API_KEY, POLY_API_SECRET, POLY_API_PASSPHRASE (and\n"
      "POLY_SIGNATURE_TYPE when the funder is not the key's address), and https/wss URLs (plain only on\n"
      "127.0.0.1/localhost). Start-up cancels every order resting at the venues, reconciles positions with\n"
      "them and connects the private fill channels; then it trades as paper does. Shutdown cancels all,\n"
      "waits up to 10 s for the venues' answers and sweeps them once more for resting orders.",
      "pmx-engine"};
  pmx::app::EngineArguments arguments;
  pmx::app::add_engine_options(app, arguments);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : pmx::app::kExitUsage;
  }
  install_signal_handlers();
  return pmx::app::run_engine(arguments, g_stop);
}
