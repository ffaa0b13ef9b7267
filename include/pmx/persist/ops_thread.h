// OpsThread: the consumer of the OpsQueue. Unpinned, low priority, allowed to block on SQLite.
//
// Loop: take up to `max_batch_events` events, or whatever arrives within `max_batch_delay`,
// write them in ONE transaction, commit, then hand them to the observer (alerts) — so an alert
// never announces something the database lost. Between batches it lets the client order id
// allocator reserve its next block (never inside its own transaction: the allocator's
// connection would wait on this one's write lock). Idle, it polls every `idle_poll`: hot threads
// never signal it (a signal would be a syscall on the hot path).
//
// stop() drains the queue completely, commits, and joins: a clean shutdown loses nothing that
// was pushed before stop() was called.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "pmx/persist/client_order_id_allocator.h"
#include "pmx/persist/database.h"
#include "pmx/persist/event_writer.h"
#include "pmx/persist/ops_queue.h"

namespace pmx {

struct OpsThreadOptions {
  size_t max_batch_events = 1024;
  std::chrono::milliseconds max_batch_delay{50};  // the longest an event waits for its commit
  std::chrono::milliseconds idle_poll{2};
  int cpu = -1;  // >= 0: start() pins the ops thread to this CPU (--pin ops=N); -1: unpinned
};

struct OpsThreadCounters {
  uint64_t events = 0;   // taken from the queue
  uint64_t batches = 0;  // transactions committed
  uint64_t write_failures = 0;
  uint64_t commit_failures = 0;  // the batch was rolled back: its events are lost (counted here)
};

class OpsThread {
 public:
  // Called on the ops thread after each committed batch, once per event, in queue order.
  using Observer = std::function<void(const OpsEvent&)>;

  // `allocator` may be null (no order ids in this process). All references must outlive this.
  // Prepares statements (throws DatabaseError).
  OpsThread(OpsQueue& queue, Database& db, InstrumentNamer namer, ClientOrderIdAllocator* allocator = nullptr,
            OpsThreadOptions options = {});
  ~OpsThread();  // stop()
  OpsThread(const OpsThread&) = delete;
  OpsThread& operator=(const OpsThread&) = delete;

  // Before start(): set the observer (alerts).
  void set_observer(Observer observer) { observer_ = std::move(observer); }

  // Starts the thread; pinned first if options.cpu >= 0. Throws std::runtime_error (the thread
  // is stopped) when it cannot pin: "ops thread: cannot pin to cpu N: ...".
  void start();
  // Drains the queue, commits, joins. Idempotent.
  void stop();

  // One batch on the caller's thread (tests, and the single-threaded replay layout): takes what
  // is queued (up to max_batch_events), commits it, notifies. Returns the events taken.
  size_t run_once();

  // Snapshot of the counters; safe from any thread.
  OpsThreadCounters counters() const noexcept;
  // The writer's counters; read only from the ops thread or after stop() (they are plain fields).
  const EventWriter& writer() const noexcept { return writer_; }

 private:
  void run(std::stop_token stop);
  size_t write_batch(std::chrono::steady_clock::time_point deadline);

  OpsQueue& queue_;
  Database& db_;
  EventWriter writer_;
  ClientOrderIdAllocator* allocator_;
  OpsThreadOptions options_;
  Observer observer_;
  std::vector<OpsEvent> batch_;  // events of the open transaction, for the observer
  std::vector<OpsEvent> chunk_;  // one bulk dequeue

  std::atomic<uint64_t> events_{0};
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> write_failures_{0};
  std::atomic<uint64_t> commit_failures_{0};
  std::jthread thread_;
};

}  // namespace pmx
