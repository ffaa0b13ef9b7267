#include "pmx/engine/app/engine_app.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <sqlite3.h>

#include "pmx/alert/webhook_sender.h"
#include "pmx/core/clock.h"
#include "pmx/engine/app/alert_composer.h"
#include "pmx/engine/app/feed_link.h"
#include "pmx/engine/app/live_backend.h"
#include "pmx/engine/app/live_gate.h"
#include "pmx/engine/app/live_reconciliation.h"
#include "pmx/engine/app/loop_plan.h"
#include "pmx/engine/app/reconciliation.h"
#include "pmx/engine/app/stage_options.h"
#include "pmx/engine/engine_rings.h"
#include "pmx/engine/gateway_stage.h"
#include "pmx/engine/recording_backend.h"
#include "pmx/engine/stage_runner.h"
#include "pmx/engine/strategy_engine.h"
#include "pmx/engine/strategy_stage.h"
#include "pmx/feed/bootstrap/universe.h"
#include "pmx/feed/kalshi/kalshi_feed.h"
#include "pmx/feed/polymarket/polymarket_feed.h"
#include "pmx/feed/universe_file.h"
#include "pmx/gateway/kalshi_signer.h"
#include "pmx/gateway/order_gateway.h"
#include "pmx/gateway/paper_exchange.h"
#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/database.h"
#include "pmx/persist/market_store.h"
#include "pmx/persist/ops_queue.h"
#include "pmx/persist/ops_thread.h"
#include "pmx/persist/recovery.h"
#include "pmx/persist/run_epoch.h"
#include "pmx/shm/segment.h"
#include "pmx/strategy/cross_venue_mapping.h"

namespace pmx::app {

namespace {

using namespace std::chrono_literals;

// A start-up failure: the one line to print and the exit code.
struct StartupError {
  int exit_code;
  std::string message;
};

template <typename... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "pmx-engine: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

// Client order ids and strategy intent ids: strategy ids never set bits 61..63 (stage closes,
// gateway children and unwinds use them), so the high-water mark is the largest id below 2^61.
uint64_t first_intent_id(Database& db) {
  Statement q = db.prepare(
      "SELECT coalesce(max(intent_id), 0) FROM orders WHERE intent_id > 0 AND intent_id < "
      "2305843009213693952");
  if (q.step() != SQLITE_ROW)
    throw DatabaseError(db.path().string() + ": cannot read the intent-id high-water mark");
  return static_cast<uint64_t>(q.column_int64(0)) + 1;
}

std::vector<MarketRow> market_rows(const MarketUniverse& universe) {
  std::vector<MarketRow> rows;
  rows.reserve(universe.size());
  for (const MarketInfo& m : universe.markets()) {
    if (!m.id.valid()) continue;
    MarketRow r;
    r.venue = m.venue;
    r.ticker = m.key;
    r.event_ticker = m.event_key;
    r.series_ticker = m.series_key;
    r.title = m.title;
    r.category = m.category;
    r.outcome_name = m.outcome_name;
    r.status = std::string(to_string(m.status));
    r.tick = m.tick;
    r.close_time = m.close_time;
    r.mutually_exclusive = m.mutually_exclusive;
    rows.push_back(std::move(r));
  }
  return rows;
}

// The recovered open positions into the engine's portfolio, at their average price with the round
// trip's P&L and fees so far. Returns the positions that could not be placed.
int restore_positions(StrategyEngine& engine, const MarketUniverse& universe,
                      const std::vector<RecoveredPosition>& positions, WallNanos now) {
  int unplaced = 0;
  for (const RecoveredPosition& p : positions) {
    const InstrumentId id = universe.find(p.venue, p.ticker);
    if (!id.valid()) {
      say("recovery: {} {} {} ({} units) is not in today's market list: kept in the database, not traded",
          to_string(p.venue), p.ticker, to_string(p.outcome), p.qty.units);
      ++unplaced;
      continue;
    }
    // The round trip's realized P&L and fees carry on, so the closing record of the position
    // reports the whole trade, not only this run's part of it.
    engine.restore_position(id, p.outcome, p.qty, p.average_price, p.realized_pnl, p.fees, now);
  }
  return unplaced;
}

// VmRSS of this process in MiB (/proc/self/status), 0 if unreadable.
long resident_mib() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr)
    if (std::sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
  std::fclose(f);
  return kib / 1024;
}

// The bootstrap summary has a line per venue; the log wants one.
std::string one_line(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at))
    text.replace(at, 1, "; ");
  return text;
}

void tape_tap(void* context, std::string_view frame, MonoNanos received) {
  static_cast<shm::TapeWriter*>(context)->append(frame, received.ns);
}

// Runs one loop's thread. Pinned: StageLoop::run (spins). Unpinned: rounds with an idle back-off.
void run_loop(StageLoop& loop, const LoopPlan& plan, shm::ThreadSlot& slot, const std::atomic<bool>& stop,
              std::atomic<bool>& failed) {
  if (plan.cpu != PinPlan::kUnpinned) {
    const ThreadStatus status = loop.run(stop);
    if (!status.ok()) {
      say("{}: {}", plan.name, status.message);
      failed.store(true, std::memory_order_release);
    }
    return;
  }
  (void)set_current_thread_name(plan.name);
  constexpr uint32_t kIdleRoundsBeforeSleep = 2000;
  uint32_t idle = 0;
  while (!stop.load(std::memory_order_acquire)) {
    if (loop.run_once()) {
      idle = 0;
    } else if (++idle >= kIdleRoundsBeforeSleep) {
      std::this_thread::sleep_for(50us);
    }
    if ((loop.rounds() & 1023) == 0) {
      slot.loops.store(loop.rounds(), std::memory_order_relaxed);
      slot.updated_ns.store(mono_now().ns, std::memory_order_relaxed);
    }
  }
}

int run(const EngineArguments& arguments, const std::atomic<bool>& stop) {
  // ---- configuration and the live gate ----
  Config config;
  try {
    config = resolve_config(arguments);
  } catch (const ConfigError& e) {
    throw StartupError{kExitUsage, e.what()};
  }
  if (const std::string refusal = live_refusal(config, arguments.live); !refusal.empty())
    throw StartupError{kExitUsage, refusal};
  const bool live = arguments.live;                  // the gate passed: --live means live
  if (live) config.engine.mode = TradingMode::live;  // alerts, shm and the control state all say live
  const PolymarketApiCredentials polymarket_api =
      live ? polymarket_api_credentials() : PolymarketApiCredentials{};
  const std::string& instance = config.engine.instance;
  say("instance {}: {} trading, config {}, database {}", instance, live ? "LIVE" : "paper",
      arguments.config_path, config.engine.database_path);

  // ---- the universe ----
  MarketUniverse universe;
  const BootstrapReport bootstrap = bootstrap_universe(config, universe);
  const std::string summary = one_line(bootstrap.summary());
  if (!bootstrap.ok()) throw StartupError{kExitFailure, "market lists: " + summary};
  if (universe.size() == 0)
    throw StartupError{kExitFailure,
                       "no markets: every venue is disabled or lists nothing (" + summary + ")"};
  say("markets: {}", summary);

  std::vector<std::string> kalshi_tickers;
  std::vector<std::string> polymarket_assets;
  for (const MarketInfo& m : universe.markets()) {
    if (!m.id.valid()) continue;
    (m.venue == Venue::kalshi ? kalshi_tickers : polymarket_assets).push_back(m.key);
  }

  std::optional<CrossVenueMapping> mapping;
  if (!config.arbitrage.cross_venue_pairs.empty()) {
    try {
      mapping = load_cross_venue_mapping(config.arbitrage.cross_venue_pairs);
    } catch (const std::exception& e) {
      throw StartupError{kExitUsage, std::string("arbitrage.cross_venue_pairs: ") + e.what()};
    }
    say("cross-venue pairs: {} accepted, {} refused ({})", mapping->pairs.size(), mapping->refused.size(),
        config.arbitrage.cross_venue_pairs);
    if (!mapping->refused.empty())
      say("cross-venue pairs: first refusal: {}: {}", mapping->refused[0].name, mapping->refused[0].reason);
  }

  // ---- shared memory: one engine per instance ----
  shm::Geometry geometry;
  geometry.max_instruments = static_cast<uint32_t>(std::max<size_t>(64, universe.size()));
  geometry.max_positions = 1024;
  geometry.opportunity_capacity = 1024;
  geometry.order_capacity = 1024;
  geometry.tape_count = 2;
  geometry.tape_entries = 1u << 16;
  geometry.tape_bytes = (uint64_t{arguments.tape_mib} << 20) / 2;
  std::optional<shm::StateWriter> segment;
  try {
    segment.emplace(instance, geometry, live ? shm::TradingMode::live : shm::TradingMode::paper);
  } catch (const shm::SegmentError& e) {
    throw StartupError{kExitFailure, e.what()};
  }
  shm::StateWriter& shm = *segment;
  for (const MarketInfo& m : universe.markets())
    if (m.id.valid()) shm.add_instrument(m.id.value, static_cast<uint8_t>(m.venue), m.key);

  // ---- database, recovery, reconciliation ----
  const std::filesystem::path db_path = config.engine.database_path;
  if (db_path.has_parent_path()) std::filesystem::create_directories(db_path.parent_path());
  Database db(db_path);
  const WallNanos start = wall_now();
  RecoveredState recovered = load_recovery_state(db);
  ReconciliationReport reconciliation;
  std::unique_ptr<LiveAccounts> accounts;  // live: the venues' accounts over blocking REST
  if (live) {
    try {
      accounts = std::make_unique<LiveAccounts>(config, polymarket_api);
    } catch (const LiveSetupError& e) {
      throw StartupError{kExitUsage, e.what()};
    }
    try {
      reconciliation = reconcile_live(db, *accounts, universe, start);
    } catch (const std::runtime_error& e) {
      throw StartupError{kExitFailure, std::string("live reconciliation: ") + e.what()};
    }
  } else {
    close_orphaned_paper_orders(db, start, reconciliation);
    const ReconciliationReport positions = reconcile_positions(db, paper_venue_positions(db), start);
    reconciliation.unchanged = positions.unchanged;
    reconciliation.corrected = positions.corrected;
    reconciliation.closed = positions.closed;
    reconciliation.opened = positions.opened;
    reconciliation.lines.insert(reconciliation.lines.end(), positions.lines.begin(), positions.lines.end());
  }
  for (const std::string& line : reconciliation.lines)
    say("reconciliation: {}", line);
  say("reconciliation with the {} venue: {}", live ? "live" : "paper", reconciliation.summary());
  recovered.open_positions = load_recovery_state(db).open_positions;
  const uint64_t first_id = first_intent_id(db);
  const uint64_t run_epoch = begin_run(db);  // the stage's closes and the gateway's unwinds fold it in
  upsert_markets(db, market_rows(universe), start);
  // The whole universe (ticks, fees, events, strikes) beside the database: pmx-backtest replays
  // this session's captures against exactly these markets (--universe).
  save_universe(universe, std::filesystem::path(db_path).concat(".universe.json"));
  if (recovered.trading_halted)
    say("trading is HALTED (persisted: {}); `pmx-ctl --instance {} resume` resumes it", recovered.halt_reason,
        instance);

  ClientOrderIdAllocator ids(db_path);
  OpsQueue ops;
  const InstrumentNamer namer = [&universe](InstrumentId id) {
    const MarketInfo* m = universe.market(id);
    return m != nullptr ? InstrumentName{m->venue, m->key} : InstrumentName{};
  };
  OpsThreadOptions ops_options;
  ops_options.cpu = config.engine.pin.cpu_for(PinRole::ops);  // --pin ops=N; start() refuses a bad CPU
  OpsThread ops_thread(ops, db, namer, &ids, ops_options);
  std::unique_ptr<WebhookSender> alerts;
  std::optional<AlertComposer> composer;
  if (!config.alerts.discord_webhook_url.empty()) {
    WebhookSenderOptions options;
    options.max_per_minute = config.alerts.max_per_minute;
    try {
      alerts =
          std::make_unique<WebhookSender>(make_httplib_transport(config.alerts.discord_webhook_url), options);
    } catch (const std::invalid_argument& e) {
      throw StartupError{kExitUsage, std::string("alerts.discord_webhook_url: ") + e.what()};
    }
    composer.emplace(config.alerts, config.engine.mode, namer);
    ops_thread.set_observer([&](const OpsEvent& event) {
      if (auto text = composer->compose(event)) alerts->enqueue(std::move(*text));
    });
    alerts->start();
    say("alerts: Discord webhook on");
  }
  ops_thread.start();

  // ---- the strategy thread's engine and the gateway ----
  StrategyEngineOptions engine_options;
  engine_options.first_intent_id = first_id;
  StrategyEngine engine(universe, config, mapping ? &mapping->pairs : nullptr, engine_options);
  const int unplaced = restore_positions(engine, universe, recovered.open_positions, start);
  say("recovery: {} open position(s) restored{}, {} working order(s) closed, next intent id {}",
      recovered.open_positions.size() - static_cast<size_t>(unplaced),
      unplaced > 0 ? fmt::format(" ({} not in today's markets)", unplaced) : std::string(),
      reconciliation.orders_closed, first_id);
  say("run {} of this database", run_epoch);

  // From here the engine is the same on paper and live but for the venue behind the gateway
  // (PaperExchange or LiveBackend): a template lambda, instantiated once for each.
  const auto trade = [&]<typename Backend>(Backend& venue) -> int {
    EngineRings rings;
    OrderGatewayOptions gateway_options;
    gateway_options.route = RouteOptions::from(config.execution);
    RecordingBackend<Backend> recording(venue, gateway_options.max_parents);
    OrderGateway<RecordingBackend<Backend>> gateway(recording, universe, gateway_options);

    StrategyStageOptions strategy_options = strategy_stage_options(config, run_epoch);
    if (recovered.trading_halted) {
      strategy_options.control.status.halted = 1;
      strategy_options.control.status.halted_since_ns = start.ns;
      copy_text(strategy_options.control.status.halt_reason, recovered.halt_reason.empty()
                                                                 ? std::string("halted before the restart")
                                                                 : recovered.halt_reason);
    }
    StrategyStage strategy(engine, rings, universe, &shm, &ops, strategy_options);
    GatewayStage<RecordingBackend<Backend>> gateway_stage(gateway, recording, rings, &shm, &ops, &ids,
                                                          gateway_stage_options(run_epoch));

    // ---- feeds ----
    std::optional<gateway::KalshiSigner> kalshi_signer;
    std::array<shm::TapeWriter, 2> tapes{shm.tape(0, static_cast<uint8_t>(Venue::kalshi)),
                                         shm.tape(1, static_cast<uint8_t>(Venue::polymarket))};
    std::array<FeedLink, kVenueCount> links;
    std::unique_ptr<KalshiFeed> kalshi;
    std::unique_ptr<PolymarketFeed> polymarket;
    if (config.venues.kalshi.enabled && !kalshi_tickers.empty()) {
      KalshiFeedOptions options;
      options.url = config.venues.kalshi.ws_url;
      options.market_tickers = kalshi_tickers;
      if (!config.venues.kalshi.api_key_id.empty() && !config.venues.kalshi.private_key_path.empty()) {
        try {
          kalshi_signer.emplace(gateway::KalshiSigner::from_pem_file(config.venues.kalshi.private_key_path));
        } catch (const gateway::SigningError& e) {
          throw StartupError{kExitUsage, std::string("venues.kalshi.private_key_path: ") + e.what()};
        }
        options.signer = &*kalshi_signer;
        options.key_id = config.venues.kalshi.api_key_id;
      }
      options.frame_tap = tape_tap;
      options.frame_tap_context = &tapes[0];
      kalshi = std::make_unique<KalshiFeed>(universe.instruments(), rings.kalshi_events, std::move(options));
    }
    if (config.venues.polymarket.enabled && !polymarket_assets.empty()) {
      PolymarketFeedOptions options = polymarket_feed_options(config.venues.polymarket, polymarket_assets);
      options.frame_tap = tape_tap;
      options.frame_tap_context = &tapes[1];
      polymarket = std::make_unique<PolymarketFeed>(universe.instruments(), rings.polymarket_events,
                                                    std::move(options));
    }
    std::optional<FeedStage<KalshiFeed>> kalshi_stage;
    std::optional<FeedStage<PolymarketFeed>> polymarket_stage;
    if (kalshi) kalshi_stage.emplace(*kalshi, links[0]);
    if (polymarket) polymarket_stage.emplace(*polymarket, links[1]);
    FeedWatch<StrategyStage> feed_watch(strategy,
                                        {kalshi ? &links[0] : nullptr, polymarket ? &links[1] : nullptr});

    // ---- threads ----
    const std::vector<LoopPlan> plan =
        plan_loops(config.engine.thread_layout, config.engine.pin, kalshi != nullptr, polymarket != nullptr);
    std::vector<std::unique_ptr<StageLoop>> loops;
    std::vector<shm::ThreadSlot*> slots;
    for (const LoopPlan& p : plan) {
      shm::ThreadSlot& slot = shm.add_thread(p.name, p.cpu);
      slots.push_back(&slot);
      auto loop =
          std::make_unique<StageLoop>(StageLoopOptions{.name = p.name, .cpu = p.cpu, .thread_slot = &slot});
      for (StageRole role : p.stages) {
        switch (role) {
          case StageRole::kalshi_feed:
            loop->add(*kalshi_stage);
            break;
          case StageRole::polymarket_feed:
            loop->add(*polymarket_stage);
            break;
          case StageRole::strategy:
            loop->add(feed_watch);
            loop->add(strategy);
            break;
          case StageRole::gateway:
            loop->add(gateway_stage);
            break;
        }
      }
      loops.push_back(std::move(loop));
    }
    say("threads: {}; resident {} MiB after start-up", describe(plan), resident_mib());
    say("shared memory /pmx.{} ({} MiB tape): shm-top --instance {}", instance, arguments.tape_mib, instance);

    std::atomic<bool> loops_stop{false};
    std::atomic<bool> failed{false};
    std::vector<std::jthread> threads;
    for (size_t i = 0; i < loops.size(); ++i)
      threads.emplace_back([&, i] { run_loop(*loops[i], plan[i], *slots[i], loops_stop, failed); });
    say("started: {}", recovered.trading_halted ? "HALTED, market data only" : "trading");

    const auto started = std::chrono::steady_clock::now();
    const auto duration = std::chrono::duration<double>(arguments.duration_s);
    while (!stop.load(std::memory_order_acquire) && !failed.load(std::memory_order_acquire)) {
      if (arguments.duration_s > 0 && std::chrono::steady_clock::now() - started >= duration) break;
      std::this_thread::sleep_for(20ms);
    }

    // ---- shutdown: stop intake, cancel open orders, flush, final snapshot ----
    say("stopping");
    loops_stop.store(true, std::memory_order_release);
    threads.clear();  // joins: from here this thread alone drives every stage
    if (kalshi) kalshi->stop();
    if (polymarket) polymarket->stop();
    engine.set_kill_switch(true);  // no new intents from what the feeds had already delivered
    StageLoop drain(StageLoopOptions{.name = "", .cpu = -1});
    drain.add(strategy);
    drain.add(gateway_stage);
    for (int round = 0;
         round < 10'000 && !(rings.kalshi_events.empty_approx() && rings.polymarket_events.empty_approx());
         ++round)
      drain.run_once();
    OrderIntent cancel_all;
    cancel_all.flags = kIntentCancelAll;
    cancel_all.decision_ts = wall_now();
    const bool cancel_sent = rings.intents.try_push(cancel_all);
    // Live: the venue must answer every cancel over the network, and the fills it reports on the
    // private channel must land before the ops queue is flushed; 10 s bounds a slow venue.
    const auto venue_open = [&]() -> size_t {
      if constexpr (requires { venue.open_orders(); }) return venue.open_orders();
      return 0;
    };
    const auto grace = live ? 10s : 5s;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
      drain.run_once();
      if (gateway_stage.open_orders() == 0 && venue_open() == 0 && rings.intents.empty_approx() &&
          rings.reports.empty_approx() && gateway_stage.report_backlog() == 0 &&
          strategy.intent_backlog() == 0)
        break;
      std::this_thread::sleep_for(200us);
    }
    if (!cancel_sent || gateway_stage.open_orders() != 0 || venue_open() != 0)
      say("shutdown: {} order(s) still open after {} s ({} at the venue)", gateway_stage.open_orders(),
          grace.count(), venue_open());
    strategy.write_daily_snapshot(wall_now());
    ops_thread.stop();
    const OpsThreadCounters written = ops_thread.counters();
    if (alerts) alerts->stop();
    say("stopped: {} intents, {} fills, {} ops events committed in {} batches ({} lost), {} loop errors",
        gateway_stage.counters().intents, gateway_stage.counters().fills, written.events, written.batches,
        written.commit_failures + strategy.counters().ops_dropped + gateway_stage.counters().ops_dropped,
        [&] {
          uint64_t errors = 0;
          for (const auto& loop : loops)
            errors += loop->stage_errors();
          return errors;
        }());
    return failed.load(std::memory_order_acquire) ? kExitFailure : kExitOk;
  };

  if (!live) {
    PaperExchangeOptions paper_options;
    paper_options.seed = config.paper.seed;
    paper_options.latency_min_ns = int64_t{config.paper.latency_min_ms} * 1'000'000;
    paper_options.latency_max_ns = int64_t{config.paper.latency_max_ms} * 1'000'000;
    paper_options.max_slippage_pct = config.paper.max_slippage_pct;
    PaperExchange paper(universe, paper_options);
    return trade(paper);
  }

  // Live: the order sessions, their private channels up before the first order (a fill sent
  // before the channel is subscribed would be lost to it), then trade; after the gateway's
  // cancel-all, one last REST sweep cancels whatever still rests at a venue.
  std::optional<LiveBackend> venue;
  try {
    // Unique per run of this database: no client order id the venue has seen is ever resent.
    venue.emplace(universe, config, polymarket_api, ids.epoch() << 32 | (run_epoch & 0xFFFF'FFFF));
  } catch (const LiveSetupError& e) {
    throw StartupError{kExitUsage, e.what()};
  }
  venue->start(wall_now());
  const auto channels_deadline = std::chrono::steady_clock::now() + 10s;
  while (!venue->private_channels_connected() && std::chrono::steady_clock::now() < channels_deadline &&
         !stop.load(std::memory_order_acquire)) {
    venue->advance(wall_now(), [](const ExecReport&) {});  // no order yet: nothing to report
    std::this_thread::sleep_for(1ms);
  }
  if (!venue->private_channels_connected())
    throw StartupError{kExitFailure, "live: the private fill channels did not connect within 10 s"};
  std::string venues = venue->has(Venue::kalshi) ? "kalshi" : "";
  if (venue->has(Venue::polymarket)) venues += venues.empty() ? "polymarket" : ", polymarket";
  say("live: order sessions up ({}), private channels connected", venues);
  int rc = trade(*venue);
  if (const gateway::KalshiOrderSession* k = venue->kalshi())
    say("live: kalshi: {} orders and {} cancels sent, {} rejected, {} fills on the fill channel ({} "
        "synthesized from REST answers), {} channel connects",
        k->counters().orders_sent, k->counters().cancels_sent, k->counters().rejected_by_venue,
        k->counters().fills_received, k->table().counters().synthesized_fills, k->counters().ws_connects);
  if (const gateway::PolymarketOrderSession* p = venue->polymarket())
    say("live: polymarket: {} orders and {} cancels sent, {} rejected, {} fills on the user channel ({} "
        "synthesized from REST answers), {} settlement failures, {} channel connects",
        p->counters().orders_sent, p->counters().cancels_sent, p->counters().rejected_by_venue,
        p->counters().fills_counted, p->table().counters().synthesized_fills,
        p->counters().settlement_failures, p->counters().ws_connects);
  try {
    const RestingSweep swept = cancel_resting_orders(*accounts);
    for (const std::string& line : swept.lines)
      say("shutdown: {}", line);
    say("shutdown: {} order(s) were still resting at the venues, {} could not be cancelled",
        swept.lines.size(), swept.failed);
    if (swept.failed > 0) rc = kExitFailure;
  } catch (const std::runtime_error& e) {
    say("shutdown: cannot read the venues' resting orders: {}", e.what());
    rc = kExitFailure;
  }
  return rc;
}

}  // namespace

int run_engine(const EngineArguments& arguments, const std::atomic<bool>& stop) {
  try {
    return run(arguments, stop);
  } catch (const StartupError& e) {
    say("{}", e.message);
    return e.exit_code;
  } catch (const std::exception& e) {
    say("{}", e.what());
    return kExitFailure;
  }
}

}  // namespace pmx::app
