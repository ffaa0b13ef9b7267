// run_engine: pmx-engine from start-up to exit. Orchestration, so it reads top to bottom:
//
//   start-up  configuration (file, environment, command line) -> the live gate (paper unless
//             --live passes it: live_gate.h) -> the universe from the venues' REST
//             (bootstrap) -> the shared-memory segment /pmx.<instance> (refused while another
//             engine owns the instance) -> the SQLite database (WAL, migrations) -> recovery
//             (positions, working orders, intent-id high-water mark, trading_halted) and
//             reconciliation with the venue (paper: reconciliation.h; live: live_reconciliation.h,
//             which cancels what rests at the venues) -> client order id allocator ->
//             ops thread (+ Discord alerts when alerts.discord_webhook_url is set) ->
//             StrategyEngine (first intent id from the database, recovered positions restored) ->
//             PaperExchange, or live the LiveBackend (live_backend.h) with its private channels
//             connected (at most 10 s) + OrderGateway -> the stages and feeds -> one thread per
//             loop (loop_plan.h) -> trade. Paper and live share every line from the gateway on.
//   warm-up   everything that allocates happens above, before the first loop starts; the feeds
//             then connect and the venues' snapshots fill the books (nothing trades on a book
//             before its snapshot, nor on a venue before its feed's first connect).
//   shutdown  (stop flag: SIGINT/SIGTERM, or --duration) every loop stops (intake stops); on this
//             thread the feeds close, the engine refuses new intents, the strategy drains what
//             the feeds had delivered, a cancel-all goes to the gateway and the stages run until
//             every open order is answered (at most 5 s; live 10 s, and until the sessions hold
//             no open order), a final daily snapshot is written, the ops queue is flushed and
//             committed, alerts get their grace period; live: one REST sweep cancels whatever
//             still rests at a venue (a failed cancel makes the exit code 1); the segment is
//             removed. Exit 0.
//
// Unpinned loops back off when idle (a 50 µs sleep after 2,000 idle rounds) so that an unpinned
// engine shares a small machine with the simulator and tools; pinned loops spin (StageLoop::run).
//
// Errors: every start-up failure is one line on stderr ("pmx-engine: <what>") and an exit code:
// 2 for the command line, the configuration and the live gate; 1 for everything else (venue
// unreachable, database, instance already running). Never a stack of exceptions.
#pragma once

#include <atomic>

#include "pmx/engine/app/engine_arguments.h"

namespace pmx::app {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Runs until `stop` becomes true (or arguments.duration_s passes); returns the exit code.
int run_engine(const EngineArguments& arguments, const std::atomic<bool>& stop);

}  // namespace pmx::app
