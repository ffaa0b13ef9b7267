#include "pmx/persist/ops_thread.h"

#include <algorithm>
#include <future>
#include <stdexcept>
#include <string>

#include <pthread.h>
#include <sqlite3.h>

#include "pmx/core/thread.h"

namespace pmx {

namespace {

constexpr size_t kChunk = 256;

}  // namespace

OpsThread::OpsThread(OpsQueue& queue, Database& db, InstrumentNamer namer, ClientOrderIdAllocator* allocator,
                     OpsThreadOptions options)
    : queue_(queue), db_(db), writer_(db, std::move(namer)), allocator_(allocator), options_(options) {
  options_.max_batch_events = std::max<size_t>(1, options_.max_batch_events);
  batch_.reserve(options_.max_batch_events);
  chunk_.resize(kChunk);
}

OpsThread::~OpsThread() {
  stop();
}

void OpsThread::start() {
  if (thread_.joinable()) return;
  // The thread pins itself before its first batch and says how that went; start() waits for it,
  // so a refused --pin ops=N is an error at start-up, not a thread quietly running elsewhere.
  std::promise<ThreadStatus> pinned;
  std::future<ThreadStatus> pin_result = pinned.get_future();
  thread_ = std::jthread([this, pinned = std::move(pinned)](std::stop_token stop) mutable {
    ThreadStatus status;
    if (options_.cpu >= 0) status = pin_current_thread(options_.cpu);
    const bool ok = status.ok();
    pinned.set_value(std::move(status));
    if (ok) run(std::move(stop));
  });
  pthread_setname_np(thread_.native_handle(), "pmx-ops");
  const ThreadStatus status = pin_result.get();
  if (!status.ok()) {
    thread_.join();
    thread_ = std::jthread();
    throw std::runtime_error("ops thread: " + status.message);
  }
}

void OpsThread::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void OpsThread::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    if (allocator_ != nullptr) allocator_->reserve_ahead();
    const auto deadline = std::chrono::steady_clock::now() + options_.max_batch_delay;
    if (write_batch(deadline) == 0) std::this_thread::sleep_for(options_.idle_poll);
  }
  // Drain: everything pushed before stop() was requested is in the queue now.
  while (write_batch(std::chrono::steady_clock::now()) > 0) {
  }
}

size_t OpsThread::run_once() {
  if (allocator_ != nullptr) allocator_->reserve_ahead();
  return write_batch(std::chrono::steady_clock::now());
}

size_t OpsThread::write_batch(std::chrono::steady_clock::time_point deadline) {
  batch_.clear();
  bool in_transaction = false;
  bool tried_begin = false;
  uint64_t failures = 0;
  while (batch_.size() < options_.max_batch_events) {
    const size_t want = std::min(kChunk, options_.max_batch_events - batch_.size());
    const size_t got = queue_.try_pop_bulk(chunk_.data(), want);
    if (got == 0) {
      // Keep the transaction open for late arrivals until the deadline, then commit.
      if (!tried_begin || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(options_.idle_poll);
      continue;
    }
    // If BEGIN fails (busy beyond the timeout) the events are written one autocommit at a time.
    if (!tried_begin) {
      tried_begin = true;
      in_transaction = db_.try_exec("BEGIN IMMEDIATE") == SQLITE_OK;
    }
    for (size_t k = 0; k < got; ++k) {
      if (writer_.write(chunk_[k]) != WriteResult::ok) ++failures;
      batch_.push_back(chunk_[k]);
    }
  }
  if (batch_.empty()) return 0;

  bool committed = true;
  if (in_transaction && db_.try_exec("COMMIT") != SQLITE_OK) {
    db_.try_exec("ROLLBACK");
    committed = false;
    commit_failures_.fetch_add(batch_.size(), std::memory_order_relaxed);
  }
  events_.fetch_add(batch_.size(), std::memory_order_relaxed);
  write_failures_.fetch_add(failures, std::memory_order_relaxed);
  if (committed) {
    batches_.fetch_add(1, std::memory_order_relaxed);
    if (observer_)
      for (const OpsEvent& event : batch_)
        observer_(event);
  }
  return batch_.size();
}

OpsThreadCounters OpsThread::counters() const noexcept {
  return OpsThreadCounters{events_.load(std::memory_order_relaxed), batches_.load(std::memory_order_relaxed),
                           write_failures_.load(std::memory_order_relaxed),
                           commit_failures_.load(std::memory_order_relaxed)};
}

}  // namespace pmx
