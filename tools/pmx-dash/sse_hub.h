// SseHub: fans the dashboard's state events out to Server-Sent-Events clients.
//
// One publisher (the refresher thread, at most 10 Hz) and one thread per client (cpp-httplib
// serves each connection on its own pool thread). Each client has a bounded queue of pending
// events; publish() never waits for a client: when a client's queue is full it is marked
// dropped, its thread closes the connection and the browser's EventSource reconnects. A slow
// or stuck browser therefore costs one bounded queue and one pool thread, never the publisher.
//
// Events are shared immutable strings, so a publish costs one pointer copy per client.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>

namespace pmx::dash {

class SseHub {
 public:
  using Event = std::shared_ptr<const std::string>;

  struct Client;
  class Subscription {
   public:
    Subscription() = default;
    Subscription(SseHub* hub, std::shared_ptr<Client> client) : hub_(hub), client_(std::move(client)) {}
    ~Subscription();
    Subscription(Subscription&& other) noexcept = default;
    Subscription& operator=(Subscription&&) = delete;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    enum class Wait { event, timeout, dropped, closed };
    // Waits up to `limit` for the next event. `dropped`: this client fell behind; `closed`:
    // the hub is shutting down. Either way the caller ends the stream.
    Wait next(Event& out, std::chrono::milliseconds limit);
    explicit operator bool() const noexcept { return client_ != nullptr; }

   private:
    SseHub* hub_ = nullptr;
    std::shared_ptr<Client> client_;
  };

  // `queue_limit`: events a client may have pending before it is dropped.
  // `max_clients`: subscribe() refuses beyond this (each client holds a server thread).
  SseHub(size_t queue_limit, size_t max_clients) : queue_limit_(queue_limit), max_clients_(max_clients) {}

  // An empty Subscription when max_clients are connected or the hub is closed. A new client
  // first receives the latest event, so a page fills at once.
  Subscription subscribe();

  // Queues `event` for every client; drops those whose queue is full. Never blocks on a client.
  void publish(std::string event);

  // Wakes every client with `closed`; later subscribe() calls fail.
  void close();

  size_t clients() const;
  uint64_t published() const noexcept { return published_.load(std::memory_order_relaxed); }
  uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  uint64_t refused() const noexcept { return refused_.load(std::memory_order_relaxed); }

  struct Client {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Event> queue;
    bool dropped = false;
    bool closed = false;
  };

 private:
  void unsubscribe(const std::shared_ptr<Client>& client);

  const size_t queue_limit_;
  const size_t max_clients_;
  mutable std::mutex mutex_;  // guards clients_, latest_ and closed_; never held while waiting
  std::list<std::shared_ptr<Client>> clients_;
  Event latest_;
  bool closed_ = false;
  std::atomic<uint64_t> published_{0}, dropped_{0}, refused_{0};
};

}  // namespace pmx::dash
