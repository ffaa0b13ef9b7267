// EngineLink: the dashboard's connection to one engine instance through shared memory.
//
// The dashboard may start before the engine and outlive it: refresh() (called by one
// refresher thread) attaches when the segment appears, notices a replaced segment (engine
// restart) and reattaches, and takes a Snapshot each time. HTTP handler threads read the
// latest snapshot (an immutable shared_ptr) and submit control commands; nothing they do
// touches the segment except the control mailbox, so the engine never waits for the dashboard.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "pmx/shm/control.h"
#include "pmx/shm/segment.h"
#include "pmx/shm/snapshot.h"

namespace pmx::dash {

class EngineLink {
 public:
  explicit EngineLink(std::string instance) : instance_(std::move(instance)) {}

  // Attaches or reattaches as needed and takes a snapshot; never throws. Callers are
  // serialised (the refresher thread, and a handler that wants a command's effect visible now).
  void refresh();

  // What the last refresh() saw.
  struct View {
    std::shared_ptr<const shm::Snapshot> snapshot;  // null while no engine is attached
    std::string problem;                            // why not attached ("no engine demo", ...)
    uint64_t attaches = 0;                          // successful attaches (restarts seen + 1)
  };
  View view() const;

  // The engine's heartbeat age now, from the last snapshot; nullopt without an engine or when
  // the engine process is gone.
  std::optional<int64_t> heartbeat_age_ns(int64_t now_mono_ns) const;

  struct CommandResult {
    enum class Status { applied, refused, no_engine, no_acknowledgement } status = Status::no_engine;
    std::string message;
  };
  // Submits `request` and waits up to `timeout_ns` for the engine's reply.
  CommandResult command(const shm::CommandRequest& request, int64_t timeout_ns);

  const std::string& instance() const noexcept { return instance_; }

 private:
  const std::string instance_;
  std::mutex refresh_mutex_;                  // one refresh() at a time
  std::shared_ptr<shm::StateReader> reader_;  // under refresh_mutex_ (copied under mutex_)
  mutable std::mutex mutex_;                  // guards view_ and shared_reader_
  View view_;
  std::shared_ptr<shm::StateReader> shared_reader_;
};

}  // namespace pmx::dash
