// Thread control for the pinned pipeline: which CPUs exist and may be used, pinning, naming,
// SCHED_FIFO and mlockall, and the pin plan that maps pipeline roles to CPUs.
//
// Everything here runs at start-up, on the thread it configures. Nothing aborts or prints: each
// call returns a ThreadStatus whose message is one line naming what failed and how to fix it.
//
// Pin plan syntax (CLI `--pin` and config `engine.pin`), e.g. `feed=1,strategy=2,gateway=3`:
//
//   spec  := ""                      (no pinning)
//          | entry ("," entry)*
//   entry := role "=" cpu            (spaces around parts are ignored)
//   role  := feed | feed.kalshi | feed.polymarket | strategy | gateway | ops
//
// `feed` covers every feed thread; `feed.kalshi` / `feed.polymarket` override it for one venue.
// Several roles may share a CPU (a 2-core box runs feed and strategy on one core). A role given
// twice, an unknown role, a CPU that does not exist or lies outside the process's affinity mask
// is refused.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "pmx/core/types.h"

namespace pmx {

// The outcome of one thread-control call: ok, or an errno-style code with a one-line message.
struct [[nodiscard]] ThreadStatus {
  std::error_code code;  // empty on success
  std::string message;   // empty on success

  bool ok() const noexcept { return !code; }
};

// A sorted set of CPU numbers.
class CpuSet {
 public:
  CpuSet() = default;
  CpuSet(std::initializer_list<int> cpus);

  void insert(int cpu);
  bool contains(int cpu) const noexcept;
  bool empty() const noexcept { return cpus_.empty(); }
  std::size_t size() const noexcept { return cpus_.size(); }
  const std::vector<int>& cpus() const noexcept { return cpus_; }

  // Kernel list syntax, ranges collapsed: "0-3,6". Empty set: "none".
  std::string to_string() const;

  friend bool operator==(const CpuSet&, const CpuSet&) = default;

 private:
  std::vector<int> cpus_;  // ascending, unique
};

// Parses kernel CPU list syntax ("0-3,6", as in /sys/devices/system/cpu/online); false if malformed.
bool parse_cpu_list(std::string_view text, CpuSet& out);

// CPUs this process may run on: sched_getaffinity of the process (its main thread), so a thread
// that pinned itself does not narrow the answer. Limited to CPU_SETSIZE (1024) CPUs.
CpuSet allowed_cpus();

// CPUs online on this machine (/sys/devices/system/cpu/online, else sysconf).
CpuSet online_cpus();

// Pins the calling thread to one CPU.
ThreadStatus pin_current_thread(int cpu);

// Names the calling thread (shown by top -H, perf, gdb). Linux allows at most 15 bytes;
// a longer name is refused with ERANGE rather than silently truncated.
inline constexpr std::size_t kMaxThreadNameLength = 15;
ThreadStatus set_current_thread_name(std::string_view name);

// Moves the calling thread to SCHED_FIFO at `priority` (1..99). Needs CAP_SYS_NICE or an
// RLIMIT_RTPRIO of at least `priority`; without either the message says so (EPERM).
ThreadStatus set_current_thread_fifo(int priority);

// What a polling thread does after a round that found no work: one PAUSE, a spin-wait hint.
// One, not zero and not several: bench_ring (bench/RESULTS.md) measured the round trip between
// two pinned threads lowest with one PAUSE per empty poll (zero keeps stealing the producer's
// line; four add their own delay), so every polling loop in pmx idles this way.
inline void spin_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// mlockall(MCL_CURRENT | MCL_FUTURE) for the whole process: no page faults on the hot path.
// Needs CAP_IPC_LOCK or an RLIMIT_MEMLOCK larger than the process; the message says which.
ThreadStatus lock_all_memory();

// ---- Pin plan ----

enum class PinRole : uint8_t { feed, feed_kalshi, feed_polymarket, strategy, gateway, ops };
inline constexpr int kPinRoleCount = 6;
inline constexpr std::array<std::string_view, kPinRoleCount> kPinRoleNames = {
    "feed", "feed.kalshi", "feed.polymarket", "strategy", "gateway", "ops"};

constexpr std::string_view to_string(PinRole r) noexcept {
  return kPinRoleNames[static_cast<int>(r)];
}

struct PinPlan {
  static constexpr int kUnpinned = -1;

  // CPU per role as written in the spec, kUnpinned where the spec did not name the role.
  std::array<int, kPinRoleCount> cpu = {kUnpinned, kUnpinned, kUnpinned, kUnpinned, kUnpinned, kUnpinned};

  // The CPU a thread of `role` should run on: feed.<venue> falls back to feed.
  int cpu_for(PinRole role) const noexcept;
  int cpu_for_feed(Venue venue) const noexcept {
    return cpu_for(venue == Venue::kalshi ? PinRole::feed_kalshi : PinRole::feed_polymarket);
  }

  bool empty() const noexcept;

  // Canonical spec in role order, "" when empty; parse_pin_spec(to_string()) gives this plan back.
  std::string to_string() const;

  friend bool operator==(const PinPlan&, const PinPlan&) = default;
};

struct PinSpecResult {
  PinPlan plan;
  std::string error;  // one line, empty on success

  bool ok() const noexcept { return error.empty(); }
};

// Parses a pin spec against the CPUs this process may use (`allowed`) and the CPUs the machine
// has (`online`, only to tell "does not exist" from "not allowed" in the message).
PinSpecResult parse_pin_spec(std::string_view spec, const CpuSet& allowed, const CpuSet& online);
// The same against online_cpus().
PinSpecResult parse_pin_spec(std::string_view spec, const CpuSet& allowed);

}  // namespace pmx
