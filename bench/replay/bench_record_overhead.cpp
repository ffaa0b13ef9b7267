// bench_record_overhead: a busy stand-in engine for the pmx-record overhead gate
// (scripts/record-overhead.sh runs it with and without pmx-record beside it).
//
//   bench_record_overhead --instance NAME --seconds S [--cpu N] [--mode pipeline|tape] [--rate R]
//
// It owns the state segment /pmx.<NAME> with the engine's default tapes (2 x 64 Ki entries,
// 16 MiB each) and runs, as fast as one core allows, what the engine does per venue message:
//   pipeline  the raw frame onto its venue's tape (TapeWriter::append, as the feed's tap does),
//             then parse + book + strategy (the bench_replay path) over the real recordings
//             (bench_replay's "live" set: Kalshi frames and Polymarket updates, cycled)
//   tape      only the tape append: the worst case for a reader's cache traffic
// --rate R caps it at R messages per second (a venue's pace rather than a flat-out replay).
// and prints one line:
//   messages_per_cpu_second=<x> messages_per_second=<x> messages=<n> tape0=<n> tape1=<n> ...
// messages_per_cpu_second divides by this thread's CPU time (CLOCK_THREAD_CPUTIME_ID): on a
// shared machine, where other processes take turns on the engine's CPU, it is the engine's own
// cost per message (cache misses caused by a reader included), free of time spent descheduled.
// Before timing, it waits 1 s (a recorder started first attaches), publishes one message per
// tape and waits 0.2 s more (so the recorder starts reading at message 0 and its
// messages + lost can be compared with tape0 + tape1 exactly).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <sched.h>
#include <time.h>

#include "pmx/core/clock.h"
#include "pmx/shm/segment.h"

#include "replay_path.h"

namespace {

using namespace pmx;

int64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void sleep_ms(int ms) {
  const timespec t{ms / 1000, (ms % 1000) * 1'000'000L};
  nanosleep(&t, nullptr);
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_record_overhead --instance NAME --seconds S [--cpu N] [--mode pipeline|tape] "
               "[--rate R]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string instance, mode = "pipeline";
  double seconds = 0;
  int cpu = -1;
  double rate = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    if (key == "--instance") {
      instance = argv[i + 1];
    } else if (key == "--seconds") {
      seconds = std::atof(argv[i + 1]);
    } else if (key == "--cpu") {
      cpu = std::atoi(argv[i + 1]);
    } else if (key == "--rate") {
      rate = std::atof(argv[i + 1]);
    } else if (key == "--mode") {
      mode = argv[i + 1];
    } else {
      return usage();
    }
  }
  if (instance.empty() || seconds <= 0 || (mode != "pipeline" && mode != "tape")) return usage();
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
      std::perror("bench_record_overhead: sched_setaffinity");
      return 2;
    }
  }

  bench::Replay replay("live");
  shm::Geometry geometry;  // the engine's defaults: 2 tapes of 64 Ki entries and 16 MiB
  shm::StateWriter writer(instance, geometry, shm::TradingMode::paper);
  shm::TapeWriter tapes[2] = {writer.tape(0, static_cast<uint8_t>(Venue::kalshi)),
                              writer.tape(1, static_cast<uint8_t>(Venue::polymarket))};
  sleep_ms(1000);
  tapes[0].append("{\"type\":\"start\"}", mono_now().ns);
  tapes[1].append("{\"type\":\"start\"}", mono_now().ns);
  sleep_ms(200);

  const auto& frames = replay.set.frames;
  const bool pipeline = mode == "pipeline";
  const int64_t cpu_start = thread_cpu_ns();
  const int64_t start = mono_now().ns;
  const auto limit = static_cast<int64_t>(seconds * 1e9);
  uint64_t messages = 0;
  size_t i = 0;
  int64_t now = start;
  for (;;) {
    // The clock is read once per 64 messages (as a feed thread stamps each frame, but cheaper).
    if ((messages & 63) == 0) {
      now = mono_now().ns;
      if (now - start >= limit) break;
      writer.heartbeat(now);
      // Paced: wait until this message is due (1e9 / rate ns apart).
      while (rate > 0 && static_cast<double>(messages) > static_cast<double>(now - start) * rate / 1e9)
        now = mono_now().ns;
    }
    if (i == frames.size()) {
      i = 0;
      replay.rewind();
    }
    const bench::Frame& f = frames[i++];
    tapes[f.venue == Venue::kalshi ? 0 : 1].append(replay.set.frame(f).bytes, now);
    if (pipeline) replay.step(replay.set, f);
    ++messages;
  }
  const double elapsed = static_cast<double>(mono_now().ns - start) / 1e9;
  const double cpu_seconds = static_cast<double>(thread_cpu_ns() - cpu_start) / 1e9;
  std::printf(
      "messages_per_cpu_second=%.0f messages_per_second=%.0f messages=%llu tape0=%llu tape1=%llu "
      "seconds=%.3f cpu_seconds=%.3f mode=%s\n",
      static_cast<double>(messages) / cpu_seconds, static_cast<double>(messages) / elapsed,
      static_cast<unsigned long long>(messages), static_cast<unsigned long long>(tapes[0].published()),
      static_cast<unsigned long long>(tapes[1].published()), elapsed, cpu_seconds, mode.c_str());
  return 0;
}
