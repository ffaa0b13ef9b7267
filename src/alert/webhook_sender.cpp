#include "pmx/alert/webhook_sender.h"

#include <algorithm>

#include <pthread.h>

#include "pmx/alert/alert_format.h"
#include "pmx/core/clock.h"

namespace pmx {

namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

int64_t to_ns(std::chrono::milliseconds ms) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(ms).count();
}

}  // namespace

WebhookSender::WebhookSender(std::unique_ptr<WebhookTransport> transport, WebhookSenderOptions options,
                             Clock clock)
    : transport_(std::move(transport)),
      options_(options),
      clock_(clock ? std::move(clock) : Clock(mono_now)),
      window_(options.max_per_minute, kMinuteNs) {
  options_.queue_capacity = std::max<size_t>(1, options_.queue_capacity);
  options_.max_attempts = std::max(1, options_.max_attempts);
}

WebhookSender::~WebhookSender() {
  stop();
}

bool WebhookSender::enqueue(std::string content) {
  std::string body = webhook_body(content);  // formatting outside the lock
  bool kept_all = true;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.queue_capacity) {
      queue_.pop_front();
      ++counters_.dropped_queue_full;
      kept_all = false;
    }
    queue_.push_back(Message{std::move(body)});
    ++counters_.enqueued;
  }
  wake_.notify_one();
  return kept_all;
}

MonoNanos WebhookSender::pump(MonoNanos now) {
  return step(now, false);
}

MonoNanos WebhookSender::step(MonoNanos now, bool shutting_down) {
  Message message;
  {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) return kIdle;
    if (!shutting_down) {
      if (now < blocked_until_) return blocked_until_;
      if (!window_.allows(now)) return window_.next_allowed(now);
    } else if (!window_.allows(now) || now < blocked_until_) {
      // No waiting during shutdown: what cannot go now is dropped.
      counters_.dropped_at_shutdown += queue_.size();
      queue_.clear();
      return kIdle;
    }
    message = std::move(queue_.front());
    queue_.pop_front();
    window_.record(now);
  }

  const PostResult result = transport_->post(message.body);  // no lock held: enqueue never waits on I/O

  std::lock_guard lock(mutex_);
  if (result.status >= 200 && result.status < 300) {
    ++counters_.delivered;
    return queue_.empty() ? kIdle : now;
  }
  if (shutting_down) {
    ++counters_.dropped_at_shutdown;
    return queue_.empty() ? kIdle : now;
  }
  if (result.status == 429) {
    ++counters_.rate_limited;
    if (++message.rate_limited > options_.max_rate_limited_retries) {
      ++counters_.failed;
      return queue_.empty() ? kIdle : now;
    }
    const int64_t wait = result.retry_after ? to_ns(*result.retry_after) : to_ns(options_.initial_backoff);
    blocked_until_ = MonoNanos{now.ns + wait};
    queue_.push_front(std::move(message));
    return blocked_until_;
  }
  if (result.status == 0 || result.status >= 500) {
    if (++message.attempts >= options_.max_attempts) {
      ++counters_.failed;
      return queue_.empty() ? kIdle : now;
    }
    ++counters_.retries;
    const int64_t backoff = std::min(to_ns(options_.initial_backoff) << std::min(message.attempts - 1, 30),
                                     to_ns(options_.max_backoff));
    blocked_until_ = MonoNanos{now.ns + backoff};
    queue_.push_front(std::move(message));
    return blocked_until_;
  }
  ++counters_.failed;  // 4xx: bad payload or a revoked webhook; retrying cannot help
  return queue_.empty() ? kIdle : now;
}

void WebhookSender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  pthread_setname_np(thread_.native_handle(), "pmx-alerts");
}

void WebhookSender::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void WebhookSender::run() {
  for (;;) {
    const MonoNanos now = clock_();
    const MonoNanos next = step(now, false);
    std::unique_lock lock(mutex_);
    if (stopping_) break;
    if (next <= now) continue;
    // Idle: sleep until a message arrives or stop(). Waiting (rate window, backoff, 429): sleep
    // until then or stop(); a new message cannot go earlier than the one already waiting.
    if (next == kIdle)
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    else
      wake_.wait_for(lock, std::chrono::nanoseconds(next.ns - now.ns), [&] { return stopping_; });
    if (stopping_) break;
  }
  // Shutdown: deliver what can go within the grace period, one attempt each.
  const MonoNanos deadline{clock_().ns + to_ns(options_.shutdown_grace)};
  for (MonoNanos now = clock_(); now < deadline; now = clock_())
    if (step(now, true) == kIdle) break;
  std::lock_guard lock(mutex_);
  counters_.dropped_at_shutdown += queue_.size();
  queue_.clear();
}

WebhookSenderCounters WebhookSender::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

size_t WebhookSender::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace pmx
