#include "engine_link.h"

#include <cstring>

#include "pmx/core/clock.h"

namespace pmx::dash {

void EngineLink::refresh() {
  std::lock_guard refreshing(refresh_mutex_);
  std::string problem;
  if (reader_ && reader_->replaced()) {
    reader_.reset();
    problem = "engine " + instance_ + " restarted or stopped; reattaching";
  }
  bool attached_now = false;
  if (!reader_) {
    try {
      reader_ = std::make_shared<shm::StateReader>(instance_);
      attached_now = true;
    } catch (const shm::SegmentError& e) {
      problem = e.what();
    } catch (const std::exception& e) {
      problem = std::string("cannot attach to engine ") + instance_ + ": " + e.what();
    }
  }
  std::shared_ptr<const shm::Snapshot> snapshot;
  if (reader_) {
    try {
      snapshot = std::make_shared<const shm::Snapshot>(shm::take_snapshot(*reader_));
    } catch (const std::exception& e) {  // allocation failure: keep the reader, try again later
      problem = std::string("cannot read engine ") + instance_ + ": " + e.what();
    }
  }
  std::lock_guard lock(mutex_);
  if (attached_now) ++view_.attaches;
  shared_reader_ = reader_;
  view_.snapshot = std::move(snapshot);
  view_.problem = std::move(problem);
}

EngineLink::View EngineLink::view() const {
  std::lock_guard lock(mutex_);
  return view_;
}

std::optional<int64_t> EngineLink::heartbeat_age_ns(int64_t now_mono_ns) const {
  const View v = view();
  if (!v.snapshot || !v.snapshot->engine.alive) return std::nullopt;
  // The age at the snapshot plus the time since it was taken: a stuck refresher cannot make a
  // dead engine look fresh.
  return v.snapshot->engine.heartbeat_age_ns + (now_mono_ns - v.snapshot->taken_mono_ns);
}

EngineLink::CommandResult EngineLink::command(const shm::CommandRequest& request, int64_t timeout_ns) {
  std::shared_ptr<shm::StateReader> reader;
  {
    std::lock_guard lock(mutex_);
    reader = shared_reader_;  // keeps the mapping alive even if the refresher reattaches
  }
  if (!reader || !reader->engine_alive())
    return {CommandResult::Status::no_engine, "no engine " + instance_ + " is running"};
  const int64_t deadline = mono_now().ns + timeout_ns;
  const uint64_t number = shm::submit_command(reader->control(), request, deadline);
  shm::CommandReply reply;
  if (number == 0 || !shm::await_reply(reader->control(), number, reply, deadline))
    return {CommandResult::Status::no_acknowledgement, "no acknowledgement from engine " + instance_};
  const bool ok = reply.result == shm::CommandResult::ok;
  return {ok ? CommandResult::Status::applied : CommandResult::Status::refused,
          std::string(reply.message, ::strnlen(reply.message, sizeof reply.message))};
}

}  // namespace pmx::dash
