#include "dash_server.h"

#include <chrono>
#include <cstring>
#include <stdexcept>

#include <httplib.h>
#include <unistd.h>

#include "pmx/core/clock.h"
#include "pmx/core/decimal.h"
#include "pmx/core/json_writer.h"
#include "pmx/core/types.h"

#include "api_json.h"
#include "form_fields.h"
#include "fragments.h"
#include "pages.h"

namespace pmx::dash {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kHtml = "text/html; charset=utf-8";
constexpr auto kKeepAlive = std::chrono::seconds(5);

void json_answer(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(body), kJson);
}

std::string message_json(std::string_view result, std::string_view message) {
  JsonWriter j;
  j.begin_object().key("result").string(result).key("message").string(message).end_object();
  return j.take();
}

// The HTTP answer of an engine command: 200 applied, 409 refused, 503 no engine, 504 no reply.
void command_answer(httplib::Response& res, const EngineLink::CommandResult& r) {
  using S = EngineLink::CommandResult::Status;
  switch (r.status) {
    case S::applied:
      return json_answer(res, 200, message_json("applied", r.message));
    case S::refused:
      return json_answer(res, 409, message_json("refused", r.message));
    case S::no_engine:
      return json_answer(res, 503, message_json("no_engine", r.message));
    case S::no_acknowledgement:
      return json_answer(res, 504, message_json("no_acknowledgement", r.message));
  }
}

shm::CommandRequest request_of(shm::CommandType type) {
  shm::CommandRequest request;
  request.type = type;
  request.tool_pid = ::getpid();
  return request;
}

}  // namespace

DashServer::DashServer(DashOptions options, AccessToken token)
    : options_(std::move(options)),
      token_(std::move(token)),
      link_(options_.instance),
      history_(options_.database),
      hub_(options_.sse_queue_limit, options_.sse_max_clients),
      server_(std::make_unique<httplib::Server>()) {
  if (!(options_.events_per_second > 0) || options_.events_per_second > 10) options_.events_per_second = 10;
  const size_t threads = options_.server_threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(kMaxFormBytes);
  server_->set_read_timeout(5, 0);
  server_->set_write_timeout(5, 0);
  server_->set_default_headers({{"X-Content-Type-Options", "nosniff"},
                                {"Referrer-Policy", "no-referrer"},
                                {"X-Frame-Options", "DENY"},
                                {"Content-Security-Policy",
                                 "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"}});
  server_->set_logger([this](const httplib::Request&, const httplib::Response&) {
    counters_.requests.fetch_add(1, std::memory_order_relaxed);
  });
  if (std::filesystem::is_directory(options_.assets))
    server_->set_mount_point("/static", options_.assets.string());
  routes();
}

DashServer::~DashServer() {
  stop();
}

bool DashServer::assets_present() const {
  std::error_code ec;
  for (const char* file : {"pmx.css", "htmx.min.js", "chart.umd.min.js", "app.js"})
    if (!std::filesystem::is_regular_file(options_.assets / file, ec)) return false;
  return true;
}

int DashServer::bind(const std::string& host, int port) {
  const int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound <= 0)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) +
                             " (address in use or not local?)");
  return bound;
}

void DashServer::start() {
  if (started_) return;
  started_ = true;
  link_.refresh();  // the first pages already know whether an engine is there
  refresher_thread_ = std::thread([this] { refresher(); });
  listener_ = std::thread([this] { server_->listen_after_bind(); });
}

void DashServer::stop() {
  {
    std::lock_guard lock(stop_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  stop_signal_.notify_all();
  hub_.close();  // SSE handlers return, so the server's pool can join
  server_->stop();
  if (listener_.joinable()) listener_.join();
  if (refresher_thread_.joinable()) refresher_thread_.join();
}

void DashServer::refresher() {
  const auto period = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / options_.events_per_second));
  auto next = std::chrono::steady_clock::now();
  std::unique_lock lock(stop_mutex_);
  while (!stopping_) {
    lock.unlock();
    link_.refresh();
    const EngineLink::View v = link_.view();
    hub_.publish(state_event_json(v.snapshot.get(), options_.instance, v.problem));
    lock.lock();
    next += period;
    const auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // fell behind (a slow snapshot): do not burst to catch up
    stop_signal_.wait_until(lock, next, [this] { return stopping_ || refresh_now_; });
    refresh_now_ = false;
  }
}

DashGauges DashServer::gauges() const {
  DashGauges g;
  g.requests = counters_.requests.load(std::memory_order_relaxed);
  g.unauthorized = counters_.unauthorized.load(std::memory_order_relaxed);
  g.commands = counters_.commands.load(std::memory_order_relaxed);
  g.bad_requests = counters_.bad_requests.load(std::memory_order_relaxed);
  g.sse_clients = hub_.clients();
  g.sse_published = hub_.published();
  g.sse_dropped = hub_.dropped();
  g.sse_refused = hub_.refused();
  g.engine_attaches = link_.view().attaches;
  return g;
}

void DashServer::routes() {
  httplib::Server& s = *server_;

  for (const PageInfo& info : pages()) {
    const Page page = info.page;
    s.Get(std::string(info.path), [this, page](const httplib::Request&, httplib::Response& res) {
      std::string html;
      {
        std::lock_guard lock(config_mutex_);
        html = render_page(page, options_.instance, options_.config);
      }
      res.set_header("Cache-Control", "no-store");
      res.set_content(std::move(html), kHtml);
    });
  }

  // ---- panels ----
  s.Get(R"(/fragment/([a-z]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string name = req.matches[1];
    res.set_header("Cache-Control", "no-store");
    if (name == "alerts") {
      std::string problem;
      const auto alerts = history_.recent_alerts(50, &problem);
      return res.set_content(alerts_fragment(alerts, problem), kHtml);
    }
    const EngineLink::View v = link_.view();
    if (!v.snapshot) return res.set_content(absent_fragment(v.problem), kHtml);
    const shm::Snapshot& snap = *v.snapshot;
    std::string html;
    if (name == "positions") {
      html = positions_fragment(snap);
    } else if (name == "opportunities") {
      html = opportunities_fragment(snap, req.get_param_value("strategy"));
    } else if (name == "orders") {
      html = orders_fragment(snap);
    } else if (name == "risk") {
      html = risk_fragment(snap, history_.portfolio(position_markets(snap)));
    } else if (name == "latency") {
      html = latency_fragment(snap);
    } else if (name == "internals") {
      html = internals_fragment(snap);
    } else {
      res.status = 404;
      return res.set_content("no such panel", "text/plain");
    }
    res.set_content(std::move(html), kHtml);
  });

  // ---- JSON ----
  auto with_snapshot = [this](httplib::Response& res, auto&& render) {
    const EngineLink::View v = link_.view();
    if (!v.snapshot) return json_answer(res, 503, absent_json(options_.instance, v.problem));
    json_answer(res, 200, render(*v.snapshot));
  };
  s.Get("/api/stats", [with_snapshot](const httplib::Request&, httplib::Response& res) {
    with_snapshot(res, [](const shm::Snapshot& snap) { return stats_json(snap); });
  });
  s.Get("/api/positions", [with_snapshot](const httplib::Request&, httplib::Response& res) {
    with_snapshot(res, [](const shm::Snapshot& snap) { return positions_json(snap); });
  });
  s.Get("/api/opportunities", [with_snapshot](const httplib::Request& req, httplib::Response& res) {
    const std::string strategy = req.get_param_value("strategy");
    with_snapshot(res, [&](const shm::Snapshot& snap) { return opportunities_json(snap, strategy); });
  });
  s.Get("/api/state", [with_snapshot](const httplib::Request&, httplib::Response& res) {
    with_snapshot(res, [](const shm::Snapshot& snap) { return shm::to_json(snap); });
  });
  s.Get("/api/history", [this](const httplib::Request&, httplib::Response& res) {
    json_answer(res, 200, history_.history_json());
  });
  s.Get("/api/exposure", [this, with_snapshot](const httplib::Request&, httplib::Response& res) {
    with_snapshot(res, [this](const shm::Snapshot& snap) {
      const HistoryStore::Portfolio portfolio = history_.portfolio(position_markets(snap));
      // Exposure by category: |quantity| x entry price, summed per category, in dollars.
      std::vector<std::pair<std::string, int64_t>> totals;
      for (size_t i = 0; i < snap.positions.size(); ++i) {
        const shm::PositionRow& row = snap.positions[i].row;
        const Money m = notional(Price{static_cast<int32_t>(row.avg_price_ticks)},
                                 Qty{row.quantity < 0 ? -row.quantity : row.quantity});
        const std::string& category = portfolio.categories[i];
        auto it =
            std::find_if(totals.begin(), totals.end(), [&](const auto& t) { return t.first == category; });
        if (it == totals.end())
          totals.emplace_back(category, m.micros);
        else
          it->second += m.micros;
      }
      JsonWriter j;
      j.begin_array();
      for (const auto& [category, micros] : totals)
        j.begin_object().key("category").string(category).key("exposure").decimal(micros, 6).end_object();
      j.end_array();
      return j.take();
    });
  });

  // ---- SSE ----
  s.Get("/api/events", [this](const httplib::Request&, httplib::Response& res) {
    auto subscription = std::make_shared<SseHub::Subscription>(hub_.subscribe());
    if (!*subscription) return json_answer(res, 503, message_json("refused", "too many event clients"));
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [subscription](size_t, httplib::DataSink& sink) {
      SseHub::Event event;
      switch (subscription->next(event, kKeepAlive)) {
        case SseHub::Subscription::Wait::event: {
          std::string frame = "event: state\ndata: ";
          frame += *event;
          frame += "\n\n";
          return sink.write(frame.data(), frame.size());
        }
        case SseHub::Subscription::Wait::timeout:
          return sink.write(": keep-alive\n\n", 14);
        case SseHub::Subscription::Wait::dropped:
        case SseHub::Subscription::Wait::closed:
          break;
      }
      return false;  // closes the connection; EventSource reconnects
    });
  });

  // ---- controls ----
  auto authorized = [this](const httplib::Request& req, httplib::Response& res) {
    if (token_.authorizes(req.get_header_value("Authorization"))) return true;
    counters_.unauthorized.fetch_add(1, std::memory_order_relaxed);
    res.set_header("WWW-Authenticate", "Bearer realm=\"pmx-dash\"");
    json_answer(res, 401, message_json("unauthorized", "this control needs Authorization: Bearer <token>"));
    return false;
  };
  auto form_of = [this](const httplib::Request& req, httplib::Response& res) -> std::optional<FormFields> {
    FormFields form = parse_form(req.body);
    if (form.ok()) return form;
    counters_.bad_requests.fetch_add(1, std::memory_order_relaxed);
    json_answer(res, 400, message_json("invalid", form.error));
    return std::nullopt;
  };
  auto bad_request = [this](httplib::Response& res, std::string_view message) {
    counters_.bad_requests.fetch_add(1, std::memory_order_relaxed);
    json_answer(res, 400, message_json("invalid", message));
  };
  auto submit = [this](const shm::CommandRequest& request) {
    counters_.commands.fetch_add(1, std::memory_order_relaxed);
    EngineLink::CommandResult result = link_.command(request, options_.command_timeout_ns);
    link_.refresh();  // the engine publishes a command's effect before replying: show it at once
    {
      std::lock_guard lock(stop_mutex_);
      refresh_now_ = true;
    }
    stop_signal_.notify_all();
    return result;
  };

  s.Post("/api/kill-switch", [=, this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    const auto form = form_of(req, res);
    if (!form) return;
    const auto close = form_flag(form->get("close_positions").value_or(""));
    if (!close) return bad_request(res, "close_positions must be true or false");
    shm::CommandRequest request = request_of(shm::CommandType::kill);
    request.flag = *close ? 1 : 0;
    command_answer(res, submit(request));
  });

  s.Post("/api/resume", [=, this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    command_answer(res, submit(request_of(shm::CommandType::resume)));
  });

  s.Post("/api/mode", [=, this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    const auto form = form_of(req, res);
    if (!form) return;
    const std::string_view mode = form->get("mode").value_or("");
    if (mode != "paper" && mode != "live") return bad_request(res, "mode must be paper or live");
    if (mode == "live" && form->get("confirm").value_or("") != "live")
      return bad_request(res, "switching to live trading needs the confirmation field confirm=live");
    shm::CommandRequest request = request_of(shm::CommandType::mode);
    mode.copy(request.value, sizeof request.value - 1);
    command_answer(res, submit(request));
  });

  s.Post("/api/config", [=, this](const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    const auto form = form_of(req, res);
    if (!form) return;
    const std::string_view key = form->get("key").value_or("");
    const std::string_view value = form->get("value").value_or("");
    shm::CommandRequest request = request_of(shm::CommandType::set);
    if (key.empty() || key.size() >= sizeof request.key || value.size() >= sizeof request.value)
      return bad_request(res, "config needs key (under 64 characters) and value (under 128 characters)");
    // The engine's own rules, on a copy of this dashboard's configuration: an invalid change is
    // refused here and never reaches the engine.
    Config candidate;
    {
      std::lock_guard lock(config_mutex_);
      candidate = options_.config;
    }
    if (!config_value(candidate, key))
      return bad_request(res, "unknown configuration key " + std::string(key));
    if (!is_runtime_key(key))
      return json_answer(
          res, 403,
          message_json("refused",
                       std::string(key) + " is not a runtime key; restart the engine to change it"));
    const ConfigStatus status = set_config_key(candidate, key, value);
    if (!status.ok()) return bad_request(res, status.error);
    key.copy(request.key, sizeof request.key - 1);
    value.copy(request.value, sizeof request.value - 1);
    const EngineLink::CommandResult result = submit(request);
    if (result.status == EngineLink::CommandResult::Status::applied) {
      std::lock_guard lock(config_mutex_);
      (void)set_config_key(options_.config, key, value);
    }
    command_answer(res, result);
  });

  // ---- ops ----
  s.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
    const auto age = link_.heartbeat_age_ns(mono_now().ns);
    const bool fresh = age && *age <= options_.heartbeat_timeout_ns;
    JsonWriter j;
    j.begin_object().key("status").string(fresh ? "ok" : (age ? "stale" : "no_engine"));
    j.key("instance").string(options_.instance);
    j.key("heartbeat_age_ms");
    if (age)
      j.decimal(*age / 1'000, 3);
    else
      j.null();
    j.key("problem").string(age ? "" : link_.view().problem).end_object();
    json_answer(res, fresh ? 200 : 503, j.take());
  });

  s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    const EngineLink::View v = link_.view();
    res.set_header("Cache-Control", "no-store");
    res.set_content(metrics_text(v.snapshot.get(), options_.instance, gauges()),
                    "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace pmx::dash
