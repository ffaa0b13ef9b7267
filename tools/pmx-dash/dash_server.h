// DashServer: pmx-dash's HTTP server. Owns the engine link, the refresher thread that takes a
// snapshot and publishes it to SSE clients at most 10 times a second, and the routes:
//
//   pages     GET  /  /positions  /opportunities  /history  /analytics  /settings
//   panels    GET  /fragment/{positions,opportunities,orders,risk,latency,internals,alerts}
//   JSON      GET  /api/stats  /api/positions  /api/opportunities[?strategy=]  /api/state
//                  /api/history  /api/exposure
//   SSE       GET  /api/events                 event "state": {stats, state} (api_json.h)
//   controls  POST /api/kill-switch [close_positions=1]   /api/resume
//                  /api/mode mode=paper|live [confirm=live]   /api/config key=K&value=V
//             (Authorization: Bearer <token>; without it 401 and nothing changes)
//   ops       GET  /health (200 while the heartbeat is fresh, else 503)   /metrics (Prometheus)
//   assets    GET  /static/*  (the npm-built bundle directory)
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pmx/core/config.h"

#include "access_token.h"
#include "engine_link.h"
#include "history_store.h"
#include "prometheus.h"
#include "sse_hub.h"

namespace httplib {
class Server;
}

namespace pmx::dash {

struct DashOptions {
  std::string instance = "pmx";
  std::filesystem::path database = "pmx.db";
  std::filesystem::path assets;   // the bundle (pmx.css, htmx.min.js, chart.umd.min.js, app.js)
  Config config;                  // validates /api/config exactly as the engine does
  double events_per_second = 10;  // SSE rate, clamped to (0, 10]
  int64_t heartbeat_timeout_ns = 2'000'000'000;
  int64_t command_timeout_ns = 5'000'000'000;
  size_t sse_queue_limit = 16;  // events a client may fall behind before it is dropped
  size_t sse_max_clients = 8;   // each holds one server thread
  size_t server_threads = 16;
};

class DashServer {
 public:
  DashServer(DashOptions options, AccessToken token);
  ~DashServer();
  DashServer(const DashServer&) = delete;
  DashServer& operator=(const DashServer&) = delete;

  // Binds `host`:`port` (0: any free port) and returns the port; throws std::runtime_error.
  int bind(const std::string& host, int port);
  // Starts the refresher and the listener threads.
  void start();
  // Closes SSE streams, stops listening and joins the threads. Idempotent.
  void stop();

  bool assets_present() const;
  const DashOptions& options() const noexcept { return options_; }

 private:
  void routes();
  void refresher();
  DashGauges gauges() const;

  DashOptions options_;
  AccessToken token_;
  EngineLink link_;
  HistoryStore history_;
  SseHub hub_;
  DashCounters counters_;
  std::mutex config_mutex_;  // guards options_.config after start
  std::unique_ptr<httplib::Server> server_;
  std::thread listener_, refresher_thread_;
  std::mutex stop_mutex_;
  std::condition_variable stop_signal_;
  bool stopping_ = false;
  bool refresh_now_ = false;  // a command was applied: publish its effect without waiting a period
  bool started_ = false;
};

}  // namespace pmx::dash
