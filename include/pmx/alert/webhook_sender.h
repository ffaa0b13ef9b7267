// WebhookSender: Discord webhook alerts on their own ops-side thread.
//
//   enqueue()  any non-hot thread; never blocks beyond a short mutex and never does I/O. The
//              queue is bounded: when full the OLDEST message is dropped and counted.
//   pump(now)  one step of the sending logic at time `now`: sends at most one message if one is
//              due and returns when the next step is due. The thread calls it with the injected
//              clock; tests call it directly with a fake time (rate limit and retry_after are
//              checked without sleeping).
//
// Policy: at most `max_per_minute` POSTs in any sliding minute. A 429 blocks every send until
// its retry_after has passed (Discord's limits are per webhook), then the same message is sent
// again. A network error or 5xx is retried with exponential backoff (initial_backoff doubling to
// max_backoff) up to max_attempts; another 4xx is dropped at once (retrying cannot fix it).
// Messages leave in enqueue order.
//
// stop(): the thread gets `shutdown_grace` to deliver what is queued, with one attempt per message
// and no waiting for a backoff; what is left is counted as dropped. A receiver that is down
// cannot hold shutdown beyond the grace plus one request's timeouts.
//
// The webhook URL is a secret: only the transport holds it; no counter, message or error shows it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pmx/alert/rate_window.h"
#include "pmx/alert/webhook_transport.h"
#include "pmx/core/types.h"

namespace pmx {

struct WebhookSenderOptions {
  int max_per_minute = 30;  // AlertsConfig.max_per_minute
  size_t queue_capacity = 256;
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{60'000};
  int max_attempts = 5;               // network errors and 5xx, per message
  int max_rate_limited_retries = 20;  // 429s, per message
  std::chrono::milliseconds shutdown_grace{2000};
};

struct WebhookSenderCounters {
  uint64_t enqueued = 0;
  uint64_t delivered = 0;
  uint64_t dropped_queue_full = 0;  // oldest dropped to make room
  uint64_t rate_limited = 0;        // 429 answers
  uint64_t retries = 0;             // network errors and 5xx that were retried
  uint64_t failed = 0;              // gave up: attempts exhausted, or a 4xx other than 429
  uint64_t dropped_at_shutdown = 0;
};

class WebhookSender {
 public:
  using Clock = std::function<MonoNanos()>;

  // `transport` from make_httplib_transport(url) in the engine; `clock` defaults to mono_now.
  WebhookSender(std::unique_ptr<WebhookTransport> transport, WebhookSenderOptions options = {},
                Clock clock = nullptr);
  ~WebhookSender();  // stop()
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  // Queues `content` (plain text; formatted with alert_format.h). Returns false if the queue was
  // full and the oldest message was dropped to make room.
  bool enqueue(std::string content);

  // Manual mode (no thread): one step at `now`. Returns when the next step is due: `now` if more
  // is ready, a later time when waiting for the rate window or a backoff, MonoNanos::max if idle.
  MonoNanos pump(MonoNanos now);

  void start();
  void stop();

  WebhookSenderCounters counters() const;
  size_t queued() const;

  static constexpr MonoNanos kIdle{INT64_MAX};

 private:
  struct Message {
    std::string body;  // the JSON webhook body
    int attempts = 0;
    int rate_limited = 0;
  };

  MonoNanos step(MonoNanos now, bool shutting_down);
  void run();

  std::unique_ptr<WebhookTransport> transport_;
  WebhookSenderOptions options_;
  Clock clock_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  std::deque<Message> queue_;
  RateWindow window_;
  MonoNanos blocked_until_{};  // a 429's retry_after or a backoff
  bool stopping_ = false;
  WebhookSenderCounters counters_;
  std::thread thread_;
};

}  // namespace pmx
