// StageLoop: runs a set of stages round-robin on one thread. The thread layout is configuration:
// the engine builds one loop per thread from --pin (everything in one loop; feeds + strategy in
// one and the gateway in another; or one loop per stage), and backtests and the one-thread
// benchmark put the same stage objects in a single loop and call run_once() themselves.
//
//   StageLoop loop({.name = "pmx-strategy", .cpu = 0});
//   loop.add(kalshi_feed);     // size_t poll()                    (a feed handler)
//   loop.add(strategy_stage);  // bool poll(WallNanos, MonoNanos)  (StrategyStage, GatewayStage)
//   std::thread t([&] { loop.run(stop); });
//
// A stage is any object with `bool poll(WallNanos now, MonoNanos mono)` or `size_t poll()`
// (work done when non-zero). Stages run in the order added; one round reads the clocks once and
// polls each stage once. Stages are held by reference: they must outlive the loop.
//
// run() pins and names the calling thread (pinning failure is returned before any round runs),
// then loops until `stop` is set (acquire load once per round). It never sleeps: an idle round
// executes one `pause` instruction (spin_pause(), a spin-wait hint), so a pinned thread keeps its
// core hot.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "pmx/core/clock.h"
#include "pmx/core/thread.h"
#include "pmx/core/types.h"
#include "pmx/shm/layout.h"

namespace pmx {

struct StageLoopOptions {
  std::string name = "pmx-stages";  // thread name (at most 15 bytes)
  int cpu = -1;                     // -1: not pinned
  WallNanos (*wall_clock)() noexcept = wall_now;
  MonoNanos (*mono_clock)() noexcept = mono_now;
  shm::ThreadSlot* thread_slot = nullptr;  // optional: loops and busy time for shm-top
};

class StageLoop {
 public:
  static constexpr size_t kMaxStages = 8;

  explicit StageLoop(StageLoopOptions options = {}) : options_(std::move(options)) {}
  StageLoop(const StageLoop&) = delete;
  StageLoop& operator=(const StageLoop&) = delete;

  // Start-up. Throws std::length_error beyond kMaxStages.
  template <typename Stage>
  void add(Stage& stage) {
    if (count_ == kMaxStages) throw std::length_error("StageLoop holds at most 8 stages");
    stages_[count_++] = Entry{&stage, &poll_stage<Stage>};
  }

  // One round at the given clock readings. True when any stage did work.
  bool run_once(WallNanos now, MonoNanos mono) noexcept {
    bool worked = false;
    for (size_t i = 0; i < count_; ++i)
      worked |= stages_[i].poll(*this, stages_[i].stage, now, mono);
    ++rounds_;
    busy_rounds_ += worked ? 1 : 0;
    return worked;
  }
  bool run_once() noexcept { return run_once(options_.wall_clock(), options_.mono_clock()); }

  // Pins and names the calling thread, then runs rounds until `stop` (acquire). Returns the
  // pinning or naming failure without running, else ok once stopped.
  ThreadStatus run(const std::atomic<bool>& stop) {
    if (options_.cpu >= 0) {
      ThreadStatus pinned = pin_current_thread(options_.cpu);
      if (!pinned.ok()) return pinned;
    }
    if (!options_.name.empty()) {
      ThreadStatus named = set_current_thread_name(options_.name);
      if (!named.ok()) return named;
    }
    while (!stop.load(std::memory_order_acquire)) {
      if (!run_once()) spin_pause();
      if (options_.thread_slot != nullptr && (rounds_ & 1023) == 0) publish_thread_slot();
    }
    if (options_.thread_slot != nullptr) publish_thread_slot();
    return {};
  }

  uint64_t rounds() const noexcept { return rounds_; }
  uint64_t busy_rounds() const noexcept { return busy_rounds_; }
  uint64_t stage_errors() const noexcept { return stage_errors_; }
  size_t size() const noexcept { return count_; }

 private:
  struct Entry {
    void* stage = nullptr;
    bool (*poll)(StageLoop&, void*, WallNanos, MonoNanos) noexcept = nullptr;
  };

  template <typename Stage>
  static bool poll_stage(StageLoop& loop, void* object, WallNanos now, MonoNanos mono) noexcept {
    Stage& stage = *static_cast<Stage*>(object);
    if constexpr (requires { stage.poll(now, mono); }) {
      (void)loop;
      return static_cast<bool>(stage.poll(now, mono));
    } else {
      static_assert(
          requires { stage.poll(); }, "a stage has bool poll(WallNanos, MonoNanos) or size_t poll()");
      if constexpr (noexcept(stage.poll())) {
        return stage.poll() != 0;
      } else {
        // Feed handlers' poll() is not noexcept (it may reach a socket error path that throws);
        // a throw must not unwind through the loop. It is counted and the round continues.
        try {
          return stage.poll() != 0;
        } catch (...) {
          ++loop.stage_errors_;
          return false;
        }
      }
    }
  }

  void publish_thread_slot() noexcept {
    options_.thread_slot->loops.store(rounds_, std::memory_order_relaxed);
    options_.thread_slot->updated_ns.store(options_.mono_clock().ns, std::memory_order_relaxed);
  }

  StageLoopOptions options_;
  std::array<Entry, kMaxStages> stages_{};
  size_t count_ = 0;
  uint64_t rounds_ = 0;
  uint64_t busy_rounds_ = 0;
  uint64_t stage_errors_ = 0;
};

}  // namespace pmx
