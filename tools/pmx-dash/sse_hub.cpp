#include "sse_hub.h"

#include <algorithm>

namespace pmx::dash {

SseHub::Subscription::~Subscription() {
  if (hub_ != nullptr && client_ != nullptr) hub_->unsubscribe(client_);
}

SseHub::Subscription::Wait SseHub::Subscription::next(Event& out, std::chrono::milliseconds limit) {
  std::unique_lock lock(client_->mutex);
  client_->ready.wait_for(lock, limit,
                          [&] { return client_->closed || client_->dropped || !client_->queue.empty(); });
  if (client_->closed) return Wait::closed;
  if (client_->dropped) return Wait::dropped;
  if (client_->queue.empty()) return Wait::timeout;
  out = std::move(client_->queue.front());
  client_->queue.pop_front();
  return Wait::event;
}

SseHub::Subscription SseHub::subscribe() {
  auto client = std::make_shared<Client>();
  std::lock_guard lock(mutex_);
  if (closed_ || clients_.size() >= max_clients_) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  if (latest_) client->queue.push_back(latest_);
  clients_.push_back(client);
  return Subscription(this, std::move(client));
}

void SseHub::publish(std::string text) {
  const Event event = std::make_shared<const std::string>(std::move(text));
  std::lock_guard lock(mutex_);
  latest_ = event;
  published_.fetch_add(1, std::memory_order_relaxed);
  for (const std::shared_ptr<Client>& client : clients_) {
    bool wake = false;
    {
      std::lock_guard client_lock(client->mutex);
      if (client->dropped) continue;
      if (client->queue.size() >= queue_limit_) {
        client->dropped = true;
        client->queue.clear();
        dropped_.fetch_add(1, std::memory_order_relaxed);
      } else {
        client->queue.push_back(event);
      }
      wake = true;
    }
    if (wake) client->ready.notify_one();
  }
}

void SseHub::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (const std::shared_ptr<Client>& client : clients_) {
    {
      std::lock_guard client_lock(client->mutex);
      client->closed = true;
    }
    client->ready.notify_one();
  }
}

size_t SseHub::clients() const {
  std::lock_guard lock(mutex_);
  return clients_.size();
}

void SseHub::unsubscribe(const std::shared_ptr<Client>& client) {
  std::lock_guard lock(mutex_);
  clients_.remove(client);
}

}  // namespace pmx::dash
